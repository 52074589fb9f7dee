"""Helpers of the flagship tests: run the committed generated package and impl/ in subprocesses.

``worker.py`` (beside this file) hosts one flagship module's implementation (the others as
mocks) on the in-process bus of its own process and runs one command against it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).resolve().parent / "worker.py"


def worker_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra)
    return env


def run_worker(
    env: dict[str, str], *args: str, timeout: float = 120, cwd: Path | None = None
) -> Any:
    """Run one worker command to completion; its last stdout line is JSON."""
    done = subprocess.run(
        [sys.executable, str(WORKER), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def started_worker(env: dict[str, str], *args: str) -> Iterator[subprocess.Popen[str]]:
    """A worker left running; killed (and reaped) when the block ends, whatever happens."""
    process = subprocess.Popen(
        [sys.executable, str(WORKER), *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def merge_concurrently(env: dict[str, str], writers: int = 4, each: int = 25) -> None:
    """Create record ``counters/c``, then ``writers`` worker processes at once each merge
    ``each`` keys into it; the read back must hold every key (no update lost)."""
    create = json.dumps({"table": "counters", "data": {"id": "c"}})
    run_worker(env, "database", "Database@1", "create", create)
    processes = [
        subprocess.Popen(
            [sys.executable, str(WORKER), "database", "Database@1"]
            + ["--merge", "c", f"w{w}_", str(each)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(writers)
    ]
    try:
        for p in processes:
            _, err = p.communicate(timeout=240)
            assert p.returncode == 0, err[-3000:]
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
                p.communicate()
    [record] = run_worker(env, "database", "Database@1", "read", '{"table": "counters", "id": "c"}')
    assert record == {f"w{w}_{i}": i for w in range(writers) for i in range(each)} | {"id": "c"}
