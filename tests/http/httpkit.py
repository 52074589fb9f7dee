"""Helpers of the HTTP edge tests: generated systems' gateway and mock in real subprocesses."""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
SYSTEMS = {
    "orchestra": REPO / "generated",
    "notes": REPO / "examples" / "notes" / "generated",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(package: str, data_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(f"{package.upper()}_")}
    env[f"{package.upper()}_DATA_DIR"] = str(data_dir)
    env.update(extra or {})
    return env


def run_cli(package: str, *args: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", package, *args],
        cwd=SYSTEMS[package],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def token(package: str, env: Mapping[str, str], *args: str) -> str:
    done = run_cli(package, "token", *args, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    log: Path

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: Mapping[str, str] | None = None,
        raw: bytes | None = None,
    ) -> tuple[int, dict[str, str], Any]:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        req = urllib.request.Request(self.url + path, data=data, method=method)
        if data is not None:
            req.add_header("content-type", "application/json")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status, hdrs, text = resp.status, dict(resp.headers), resp.read()
        except urllib.error.HTTPError as err:
            status, hdrs, text = err.code, dict(err.headers), err.read()
        hdrs = {k.lower(): v for k, v in hdrs.items()}
        ctype = hdrs.get("content-type", "")
        value = json.loads(text) if "json" in ctype and text else text.decode("utf-8", "replace")
        return status, hdrs, value


@contextlib.contextmanager
def serve(
    package: str, command: list[str], env: Mapping[str, str], log_dir: Path
) -> Iterator[Server]:
    """Start ``python -m package <command> --port P`` and stop it (even when the test fails)."""
    port = free_port()
    log = log_dir / f"{package}-{command[0]}-{port}.log"
    out = log.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", package, *command, "--host", "127.0.0.1", "--port", str(port)],
        cwd=SYSTEMS[package],
        env=dict(env),
        stdout=out,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise AssertionError(f"server exited: {log.read_text()}")
            try:
                with urllib.request.urlopen(server.url + "/healthz", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise AssertionError(f"server did not start: {log.read_text()}") from None
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        out.close()
