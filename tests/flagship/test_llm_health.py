"""``python -m orchestra health`` says honestly whether the LLM module's Ollama server answers,
in-process and ``--nats`` (asked of the serving process when health runs): against the fake
Ollama server, and against a port where nothing listens."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from specloom_runtime.natsserver import LocalNatsServer

from .flagkit import ROOT

sys.path[:0] = [str(ROOT / "tests")]

from fake_ollama import FakeOllama  # noqa: E402

MODEL = "qwen2.5-coder:7b"
WAIT = 60  # seconds a process gets to be ready; reached only when something is wrong


def _env(tmp_path: Path, host: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPECLOOM_", "ORCHESTRA_"))}
    env.update(SPECLOOM_DATA_DIR=str(tmp_path / "data"), ORCHESTRA_LLM_HOST=host)
    env["ORCHESTRA_LLM_TIMEOUT_S"] = "3"
    return env


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestra", *args],
        cwd=ROOT / "generated",
        env=env,
        capture_output=True,
        text=True,
        timeout=WAIT,
        check=False,
    )


def _llm_row(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("llm "))


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again: nothing listens there


@pytest.fixture
def fake() -> Iterator[FakeOllama]:
    with FakeOllama(models=[MODEL]) as server:
        yield server


def test_in_process_health_shows_a_reachable_server(tmp_path: Path, fake: FakeOllama) -> None:
    done = _cli(_env(tmp_path, fake.url), "health")
    assert done.returncode == 0, done.stderr
    assert "DETAIL" in done.stdout.splitlines()[0]
    row = _llm_row(done.stdout)
    assert f"ollama at {fake.url}: reachable, model {MODEL} available (1 models)" in row
    assert any(r.path == "/api/tags" for r in fake.requests)


def test_in_process_health_shows_an_unreachable_server(tmp_path: Path) -> None:
    host = f"http://127.0.0.1:{_closed_port()}"
    done = _cli(_env(tmp_path, host), "health")
    assert done.returncode == 0, done.stderr
    row = _llm_row(done.stdout)
    assert f"ollama at {host}: unreachable: ConnectionRefusedError" in row, row


_FAKE_PROCESS = """
import sys, time
from fake_ollama import FakeOllama
with FakeOllama(models=[sys.argv[1]]) as server:
    print(server.url, flush=True)
    time.sleep(3600)
"""


@pytest.fixture
def fake_process() -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The fake server in a process of its own, so that killing it closes every connection
    (as a stopped Ollama does; the in-thread fake keeps its keep-alive connections open)."""
    process = subprocess.Popen(
        [sys.executable, "-c", _FAKE_PROCESS, MODEL],
        cwd=ROOT / "tests",
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        yield process, process.stdout.readline().strip()
    finally:
        process.kill()
        process.wait()


def test_health_over_nats_asks_the_serving_process_now(
    tmp_path: Path, fake_process: tuple[subprocess.Popen[str], str]
) -> None:
    fake, host = fake_process
    with LocalNatsServer(data_dir=tmp_path / "nats") as nats:
        url = f"nats://{nats.token}@127.0.0.1:{nats.port}"
        env = _env(tmp_path, host)
        log = tmp_path / "serve.log"
        with log.open("wb") as out:
            serve = subprocess.Popen(
                [sys.executable, "-m", "orchestra", "--nats", url, "serve", "llm"],
                cwd=ROOT / "generated",
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        try:
            end = time.monotonic() + WAIT
            while "ready llm" not in log.read_text(errors="replace"):
                assert serve.poll() is None and time.monotonic() < end, log.read_text()
                time.sleep(0.05)
            up = _cli(env, "--nats", url, "health")
            row = _llm_row(up.stdout)
            assert f"ollama at {host}: reachable, model {MODEL} available" in row, up.stdout
            assert f":{serve.pid}" in row  # the serving process answered
            fake.kill()  # the server goes away; the next health says so
            fake.wait()
            down = _cli(env, "--nats", url, "health")
            row = _llm_row(down.stdout)
            assert f"ollama at {host}: unreachable: ConnectionRefusedError" in row, down.stdout
        finally:
            serve.terminate()
            try:
                serve.wait(WAIT)
            except subprocess.TimeoutExpired:
                serve.kill()
                serve.wait()
