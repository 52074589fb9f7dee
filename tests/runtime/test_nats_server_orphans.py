"""A nats-server started by LocalNatsServer goes away when the process that started it dies
without stopping it (a test run or supervisor killed mid-way leaves no server behind)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHILD = """
import os, sys
from pathlib import Path
from specloom_runtime.natsserver import LocalNatsServer
server = LocalNatsServer(data_dir=Path(sys.argv[1]))
server.start()
print(server.process.pid, flush=True)
os._exit(0)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal is Linux")
def test_the_server_dies_with_the_process_that_started_it(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    pid = int(done.stdout.strip())
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        raise AssertionError(f"nats-server {pid} outlived its parent")
    finally:
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            pass
