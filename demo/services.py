"""``make demo-services``: the flagship as services on NATS, end to end.

Starts a nats-server (JetStream, token), a fake Ollama HTTP server, the twelve modules as twelve
processes (``python -m orchestra --nats URL serve MODULE``, each with its /metrics port and JSON
logs) and the gateway
when the generated package has one; stores a record, restarts the database module, reads the
record back, asks the LLM module (against the fake server), shows ``health --nats`` (the LLM
module's DETAIL: whether Ollama answers), deploys two versions of the database module through
the deployment module (real processes on the environment's own nats-server; the test gate is
off here) and rolls back, shows /metrics, and stops everything, also when a step fails. Data
goes to a temporary data dir.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "generated"), str(ROOT), str(ROOT / "tests")]

from fake_ollama import FakeOllama  # noqa: E402
from orchestra.system import CLIENTS, MODULES  # noqa: E402

try:
    from specloom_runtime.natsserver import LocalNatsServer, free_port
    from specloom_runtime.transport import connect
except ImportError:  # the runtime of this checkout has no NATS transport yet
    print(
        "demo-services needs the NATS transport of specloom_runtime (specloom_runtime.transport, "
        "natsserver); this checkout's runtime does not have it yet",
        file=sys.stderr,
    )
    raise SystemExit(1) from None


def say(text: str) -> None:
    print(f"demo: {text}", flush=True)


class Module:
    """One module process."""

    def __init__(self, name: str, env: dict[str, str], logs: Path) -> None:
        self.name, self.env, self.logs = name, env, logs
        self.process: subprocess.Popen[str] | None = None
        self.ready: dict[str, Any] = {}

    def start(self, url: str) -> None:
        self.port = free_port()
        env = dict(self.env, SPECLOOM_METRICS_PORT=str(self.port))
        log = (self.logs / f"{self.name}.log").open("a")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "orchestra", "--nats", url, "serve", self.name],
            cwd=ROOT / "generated",
            env=env,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )

    def wait_ready(self, timeout: float = 180) -> None:
        assert self.process is not None and self.process.stdout is not None
        deadline = time.monotonic() + timeout
        line = ""
        while not line.startswith("ready") and time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line and self.process.poll() is not None:
                break
        if not line.startswith("ready"):
            log = (self.logs / f"{self.name}.log").read_text().splitlines()[-15:]
            raise RuntimeError(f"{self.name} did not start:\n" + "\n".join(log))
        pid = int(line.rsplit("pid=", 1)[1])  # "ready MODULE pid=N"
        self.ready = {"pid": pid, "metrics_port": self.port}

    def stop(self, timeout: float = 10) -> int | None:
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        code = self.process.returncode
        self.process = None
        return code


def scrape(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        return answer.read().decode()


async def calls(url: str, token: str, modules: dict[str, Module]) -> None:
    transport = connect(url, system="orchestra", token=token)
    await transport.start()
    try:

        def client(key: str) -> Any:
            provider = next(d for d in MODULES if any(c.key == key for c in d.provides))
            return CLIENTS[key](transport, "demo", provider.agent, timeout_ms=20000)

        db = client("Database@1")
        record = {"id": "ada", "name": "Ada Lovelace", "role": "admin"}
        say(f"Database@1.create -> {await db.create(table='users', data=record)!r}")
        database = modules["database"]
        old_pid = database.ready["pid"]
        say(f"restarting the database module (pid {old_pid}): exit {database.stop()}")
        database.start(url)
        database.wait_ready()
        say(f"database module is back (pid {database.ready['pid']})")
        read = await db.read(table="users", id="ada")
        say(f"Database@1.read after the restart -> {json.dumps(read)}")
        assert read == record, "the record did not survive the restart"
        llm = client("Llm@1")
        answer = await llm.generate(prompt="Write a haiku about message buses.")
        say(f"Llm@1.generate (fake Ollama) -> {answer.response!r} (model {answer.model})")
        health = await client("Monitoring@1").get_health()
        say(f"Monitoring@1.get_health -> {health.model_dump_json()}")
        deployment = client("Deployment@1")._with_options(timeout_ms=120000)
        for version in ("1.0.0", "1.1.0"):
            done = await deployment.deploy(version=version, environment="staging")
            say(f"Deployment@1.deploy {version} -> {done.id} {done.status}: {_procs(done)}")
        back = await deployment.rollback(environment="staging")
        say(f"Deployment@1.rollback -> {back.id} (rollback of {back.rollback_of}): {_procs(back)}")
    finally:
        await transport.close()


def _procs(deployment: Any) -> str:
    return ", ".join(
        f"{p.module} pid {p.pid} version {p.version} {'alive' if p.alive else 'not running'}"
        for p in deployment.processes or []
    )


def show_health(url: str, env: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "orchestra", "--nats", url, "health"],
        cwd=ROOT / "generated",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    say("python -m orchestra --nats URL health (DETAIL of llm: is the fake Ollama answering?):")
    for line in done.stdout.splitlines():
        print(f"    {line}")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="orchestra-demo-") as scratch:
        tmp = Path(scratch)
        logs = tmp / "logs"
        logs.mkdir()
        haiku = "Envelopes in flight / subjects fan out through the night / replies come back home"
        with FakeOllama([haiku]) as ollama, LocalNatsServer(data_dir=tmp / "nats") as nats:
            say(f"nats-server at {nats.url} (JetStream, token auth); fake Ollama at {ollama.url}")
            env = dict(
                os.environ,
                SPECLOOM_DATA_DIR=str(tmp / "data"),
                SPECLOOM_NATS_TOKEN=nats.token,
                SPECLOOM_LOG_FORMAT="json",
                ORCHESTRA_LLM_HOST=ollama.url,
                ORCHESTRA_DEPLOYMENT_REQUIRE_TESTS="false",
                PYTHONDONTWRITEBYTECODE="1",
            )
            modules = {d.name: Module(d.name, env, logs) for d in MODULES}
            try:
                for module in modules.values():
                    module.start(nats.url)
                for module in modules.values():
                    module.wait_ready()
                    ready = module.ready
                    port = ready["metrics_port"]
                    say(f"{module.name:16} pid {ready['pid']:>7}  /metrics on :{port}")
                say("gateway: not started (no gateway command in the generated package yet)")
                show_health(nats.url, env)
                asyncio.run(calls(nats.url, nats.token, modules))
                port = modules["database"].ready["metrics_port"]
                lines = [
                    line
                    for line in scrape(port).splitlines()
                    if line.startswith("specloom_bus_calls_total")
                ]
                say(f"/metrics of the restarted database module (port {port}):")
                for line in lines:
                    print(f"    {line}")
                tail = (logs / "database.log").read_text().splitlines()[-2:]
                say("last JSON log lines of the database module:")
                for line in tail:
                    print(f"    {line}")
            finally:
                codes = {name: module.stop() for name, module in modules.items()}
                say(f"stopped all modules: exit codes {sorted(set(codes.values()), key=str)}")
        say("stopped nats-server and the fake Ollama; done")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
