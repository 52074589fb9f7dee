"""``ManagedProcess`` (a child an implementation starts and stops itself) and the parent-death
signal of every supervised child: real processes, a real kill -9 of their parent."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from specloom_runtime.supervisor import ManagedProcess

WAIT = 60.0  # seconds for a process to change state; reached only when something is wrong
READY_CHILD = "import time; print('hello'); print('ready now', flush=True); time.sleep(3600)"


def _gone(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] in ("Z", "X")


def _wait_gone(pid: int) -> None:
    end = time.monotonic() + WAIT
    while not _gone(pid):
        assert time.monotonic() < end, f"process {pid} outlived its parent"
        time.sleep(0.05)


def test_start_ready_observe_kill_and_stop(tmp_path: Path) -> None:
    log = tmp_path / "child.log"

    async def main() -> tuple[int | None, bool, bool, int | None]:
        child = ManagedProcess([sys.executable, "-c", READY_CHILD], log_path=log)
        await child.start(ready_timeout=WAIT)
        pid, alive = child.pid, child.alive
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        end = time.monotonic() + WAIT
        while child.alive:  # seen dead even before the event loop reaps it
            assert time.monotonic() < end
            await asyncio.sleep(0.02)
        return pid, alive, child.alive, await child.stop(drain_seconds=1)

    pid, alive_before, alive_after, code = asyncio.run(main())
    assert alive_before is True and alive_after is False and code == -signal.SIGKILL
    assert log.read_text().splitlines() == ["hello", "ready now"]
    assert _gone(pid)


def test_stop_drains_with_sigterm() -> None:
    async def main() -> int | None:
        child = ManagedProcess([sys.executable, "-c", READY_CHILD])
        await child.start(ready_timeout=WAIT)
        return await child.stop(drain_seconds=WAIT)

    assert asyncio.run(main()) == -signal.SIGTERM


def test_a_child_that_exits_before_ready_is_an_error_with_its_output() -> None:
    async def main() -> None:
        child = ManagedProcess([sys.executable, "-c", "print('cannot start: no config')"])
        await child.start(ready_timeout=WAIT)

    with pytest.raises(RuntimeError, match="exited: cannot start: no config"):
        asyncio.run(main())


def test_a_child_not_ready_in_time_is_stopped() -> None:
    async def main() -> int | None:
        child = ManagedProcess([sys.executable, "-c", "import time; time.sleep(3600)"])
        with pytest.raises(RuntimeError, match="was not ready"):
            await child.start(ready_timeout=0.5)
        return child.pid

    pid = asyncio.run(main())
    assert pid is not None and _gone(pid)


_PARENT = """
import asyncio, json, sys
from specloom_runtime.supervisor import ManagedProcess, Supervisor
child = [sys.executable, "-c", sys.argv[1]]
async def main():
    managed = ManagedProcess(child)
    await managed.start(60)
    sup = Supervisor([("c", child)], log=lambda line: None)
    task = asyncio.ensure_future(sup.run(asyncio.Event()))
    while not sup.children[0].ready.is_set():
        await asyncio.sleep(0.02)
    print("pids", json.dumps([managed.pid, sup.children[0].pid]), flush=True)
    await task
asyncio.run(main())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux")
def test_no_child_outlives_a_killed_parent() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT, READY_CHILD], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        line = ""
        while not line.startswith("pids "):  # the supervisor also prints its child's output
            line = parent.stdout.readline()
            assert line, "the parent ended before starting its children"
        pids = json.loads(line.removeprefix("pids "))
    finally:
        parent.kill()
        parent.wait()
    for pid in pids:
        _wait_gone(pid)
