"""Module 11 for real, with the real infrastructure module: a deployment is a process
(``python -m orchestra serve database``) started from the deployed version's release folder; it
answers over its environment's NATS, a newer version replaces it, rollback runs the previous
version's code again, status shows the processes as they are, a killed one is started again
(unless ``restart_on_exit`` is off: then it is reported not alive), the replaced processes'
services are released, and no process outlives the Deployment host."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .flagkit import ROOT, run_worker, worker_env

sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

from orchestra.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime import System  # noqa: E402
from specloom_runtime.transport import connect  # noqa: E402

REAL = ("deployment", "infrastructure")
OTHERS = [d.name for d in MODULES if d.name not in REAL]
WAIT = 60.0  # seconds for a process to change state; reached only when something is wrong
DATABASE_AGENT = next(d.agent for d in MODULES if d.name == "database")


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "data"
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(folder))
    monkeypatch.setenv("ORCHESTRA_DEPLOYMENT_REQUIRE_TESTS", "false")
    monkeypatch.setenv("ORCHESTRA_DEPLOYMENT_READY_TIMEOUT_S", str(WAIT))
    yield folder


def _system() -> System:
    return System(MODULES, clients=CLIENTS, force_mock=OTHERS)


def _clients(system: System) -> tuple[Any, Any]:
    for name in REAL:
        assert system.modules[name].mode == "impl", system.modules[name].reason
    deployment = system.client("Deployment@1", source_agent="test")._with_options(timeout_ms=120000)
    return deployment, system.client("Infrastructure@1", source_agent="test")


def _exists(pid: int) -> bool:
    """Running (a zombie or a missing /proc entry is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _wait_gone(pid: int) -> None:
    end = time.monotonic() + WAIT
    while _exists(pid):
        assert time.monotonic() < end, f"process {pid} is still running"
        time.sleep(0.05)


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode().split("=", 1) for item in raw if b"=" in item)


async def _database_over_nats(data: Path, environment: str, body: Any) -> Any:
    """Run ``body(database_client)`` over the environment's own NATS server."""
    url = (data / "deployment" / "environments" / environment / "nats" / "url").read_text()
    token, _, address = url.strip().removeprefix("nats://").partition("@")
    transport = connect(f"nats://{address}", system="orchestra", token=token)
    await transport.start()
    try:
        client = CLIENTS["Database@1"](transport, "test", DATABASE_AGENT)
        return await body(client._with_options(timeout_ms=20000))
    finally:
        await transport.close()


def test_deploy_answer_replace_roll_back_kill_and_stop(data: Path) -> None:
    async def main() -> dict[str, Any]:
        seen: dict[str, Any] = {}
        async with _system() as system:
            deployment, infrastructure = _clients(system)
            first = await deployment.deploy(version="1.0.0", environment="staging")
            [p1] = first.processes
            assert (first.status, p1.module, p1.alive, p1.version) == (
                "succeeded",
                "database",
                True,
                "1.0.0",
            )
            release = data / "deployment" / "releases" / "1.0.0"
            assert json.loads((release / "release.json").read_text())["package_version"]
            assert Path(f"/proc/{p1.pid}/cwd").resolve() == release / "generated"
            assert _environ(p1.pid)["ORCHESTRA_VERSION"] == "1.0.0"
            service = await infrastructure.get_resource(name="orchestra-staging-1-database")
            assert service.status == "ready"  # its /metrics port answers
            assert service.endpoint == p1.metrics

            async def create(db: Any) -> str:
                return str(await db.create(table="notes", data={"text": "kept"}))

            record = await _database_over_nats(data, "staging", create)

            second = await deployment.deploy(version="1.1.0", environment="staging")
            [p2] = second.processes
            assert p2.alive and p2.version == "1.1.0" and p2.pid != p1.pid
            assert not _exists(p1.pid)  # the replaced process was stopped first
            assert await infrastructure.get_resource(name="orchestra-staging-1-database") is None

            async def read(db: Any) -> Any:
                return await db.read(table="notes", id=record)

            assert await _database_over_nats(data, "staging", read) == {
                "id": record,
                "text": "kept",
            }

            back = await deployment.rollback(environment="staging")
            [p3] = back.processes
            assert (back.version, back.rollback_of, p3.alive) == ("1.0.0", second.id, True)
            assert Path(f"/proc/{p3.pid}/cwd").resolve() == release / "generated"
            assert not _exists(p2.pid)
            assert await _database_over_nats(data, "staging", read) == {
                "id": record,
                "text": "kept",
            }

            os.kill(p3.pid, signal.SIGKILL)  # it is started again, from the same release
            _wait_gone(p3.pid)
            p4 = await _restarted(deployment, "staging", p3.pid)
            assert (p4.version, p4.metrics) == ("1.0.0", p3.metrics)
            assert Path(f"/proc/{p4.pid}/cwd").resolve() == release / "generated"
            assert await _database_over_nats(data, "staging", read) == {
                "id": record,
                "text": "kept",
            }
            detail = await system.modules["deployment"].detail()
            assert detail == f"staging: {back.id} 1.0.0, 1/1 processes alive, 1 restart", detail
            seen["nats"] = system.modules["deployment"].objects[0]._servers["staging"]
        return seen

    seen = asyncio.run(main())
    assert seen["nats"].process is None  # the environment's nats-server stopped with the host


async def _restarted(deployment: Any, environment: str, dead_pid: int) -> Any:
    """The environment's process once it runs again under a new pid (within WAIT)."""
    end = time.monotonic() + WAIT
    while True:
        status = await deployment.get_deployment_status(environment=environment)
        [process] = status.processes
        if process.alive and process.pid != dead_pid:
            return process
        assert time.monotonic() < end, f"not restarted: {process}"
        await asyncio.sleep(0.1)


def test_a_killed_process_stays_down_when_restart_is_off(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTRA_DEPLOYMENT_RESTART_ON_EXIT", "false")

    async def main() -> None:
        async with _system() as system:
            deployment, _ = _clients(system)
            first = await deployment.deploy(version="1.0.0", environment="staging")
            [p1] = first.processes
            os.kill(p1.pid, signal.SIGKILL)
            _wait_gone(p1.pid)
            await asyncio.sleep(1.5)  # past the first restart delay: nothing starts
            status = await deployment.get_deployment_status(environment="staging")
            assert status.id == first.id and status.processes[0].alive is False
            assert status.processes[0].pid == p1.pid
            detail = await system.modules["deployment"].detail()
            assert detail == f"staging: {first.id} 1.0.0, 0/1 processes alive", detail

    asyncio.run(main())


def test_a_restarted_host_starts_the_current_deployment_again(data: Path) -> None:
    async def deploy() -> Any:
        async with _system() as system:
            deployment, _ = _clients(system)
            await deployment.deploy(version="2.0.0", environment="production")
            return await deployment.get_deployment_status(environment="production")

    async def status() -> Any:
        async with _system() as system:
            deployment, _ = _clients(system)
            return await deployment.get_deployment_status(environment="production")

    before = asyncio.run(deploy())
    _wait_gone(before.processes[0].pid)  # stopped with its host
    after = asyncio.run(status())
    [process] = after.processes
    assert (after.id, after.version, process.alive) == (before.id, "2.0.0", True)
    assert process.pid != before.processes[0].pid


def test_a_process_that_cannot_start_fails_the_deployment(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def main() -> Any:
        async with _system() as system:
            deployment, infrastructure = _clients(system)
            good = await deployment.deploy(version="1.0.0", environment="staging")
            monkeypatch.setenv("ORCHESTRA_DATABASE_URL", "nope://")  # the next one cannot start
            bad = await deployment.deploy(version="1.0.1", environment="staging")
            current = await deployment.get_deployment_status(environment="staging")
            service = await infrastructure.get_resource(name=f"orchestra-{bad.id}-database")
            return good, bad, current, service

    good, bad, current, service = asyncio.run(main())
    assert bad.status == "failed" and not bad.processes
    assert current.id == good.id and service is None
    log = data / "deployment" / "environments" / "staging" / "logs" / f"{bad.id}-database.log"
    assert log.read_text().strip()  # what the process said before it exited


_HOST = """
import asyncio, json, sys
sys.path[:0] = sys.argv[1:3]
from orchestra.system import CLIENTS, MODULES
from specloom_runtime import System
async def main():
    others = [d.name for d in MODULES if d.name not in ("deployment", "infrastructure")]
    async with System(MODULES, clients=CLIENTS, force_mock=others) as system:
        client = system.client("Deployment@1")._with_options(timeout_ms=120000)
        done = await client.deploy(version="1.0.0", environment="staging")
        nats = system.modules["deployment"].objects[0]._servers["staging"].process.pid
        print(json.dumps({"pid": done.processes[0].pid, "nats": nats}), flush=True)
        await asyncio.sleep(3600)
asyncio.run(main())
"""


def test_no_process_outlives_a_killed_host(data: Path) -> None:
    host = subprocess.Popen(
        [sys.executable, "-c", _HOST, str(ROOT / "generated"), str(ROOT)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert host.stdout is not None
        started = json.loads(host.stdout.readline())
    finally:
        host.kill()
        host.wait()
    _wait_gone(started["pid"])
    _wait_gone(started["nats"])


def test_an_older_history_file_is_read_and_a_lost_release_is_reported(tmp_path: Path) -> None:
    env = worker_env(
        SPECLOOM_DATA_DIR=str(tmp_path / "data"),
        ORCHESTRA_DEPLOYMENT_REQUIRE_TESTS="false",
    )
    saved_path = tmp_path / "data" / "deployment" / "history.json"
    saved_path.parent.mkdir(parents=True)
    rows = [
        {"id": "staging-1", "version": "1.0.0", "environment": "staging", "status": "succeeded"},
        {"id": "staging-2", "version": "1.1.0", "environment": "staging", "status": "succeeded"},
    ]
    for row, previous in zip(rows, [None, "staging-1"], strict=True):
        row.update(rollback_of=None, previous=previous, service=f"orchestra-{row['id']}")
    # the earlier format (one service per deployment, no modules), and no release folders
    saved_path.write_text(json.dumps({"history": rows, "current": {"staging": "staging-2"}}))
    [status] = run_worker(
        env, "deployment", "Deployment@1", "get_deployment_status", '{"environment": "staging"}'
    )
    assert (status["id"], status["version"], status["processes"]) == ("staging-2", "1.1.0", [])
    saved = json.loads(saved_path.read_text())
    assert [row["services"] for row in saved["history"]] == [
        ["orchestra-staging-1"],
        ["orchestra-staging-2"],
    ]
