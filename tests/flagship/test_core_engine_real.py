"""Module 03 for real: tasks get free slots by priority, transient failures are retried, and
every task is recorded through the real database module."""

from __future__ import annotations

import asyncio
import socket
import sys
from typing import Any

import pytest

from .flagkit import ROOT

sys.path[:0] = [str(ROOT / "generated"), str(ROOT), str(ROOT / "tests")]

from fake_ollama import HANG, FakeOllama  # noqa: E402
from orchestra.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime import System  # noqa: E402

REAL = {"core_engine", "database", "llm"}
MOCKED = [d.name for d in MODULES if d.name not in REAL]


@pytest.fixture(autouse=True)
def _data(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ORCHESTRA_CORE_ENGINE_RETRY_BACKOFF_MS", "10")


def _run(body: Any) -> Any:
    async def main() -> Any:
        async with System(MODULES, clients=CLIENTS, force_mock=MOCKED) as system:
            engine = system.modules["core_engine"].objects[0]
            return await body(system, engine)

    return asyncio.run(main())


def test_waiting_tasks_get_the_slot_by_priority_then_arrival() -> None:
    async def body(system: Any, engine: Any) -> Any:
        client = system.client("CoreEngine@1", source_agent="test")._with_options(timeout_ms=30000)
        gate = asyncio.Event()
        order: list[str] = []

        async def gated(data: dict[str, Any]) -> dict[str, Any]:
            await gate.wait()
            return {}

        async def tracked(data: dict[str, Any]) -> dict[str, Any]:
            order.append(data["name"])
            return data

        engine._kinds["gated"] = gated
        engine._kinds["tracked"] = tracked
        assert await client.configure(config={"max_concurrent_tasks": 1}) is True
        blocker = asyncio.create_task(client.process_task(task={"id": "b", "kind": "gated"}))
        while engine._running < 1:
            await asyncio.sleep(0.001)
        pending = []
        for i, priority in enumerate(["low", "medium", "critical", "low", "high", "critical"]):
            task = {"id": f"t{i}", "kind": "tracked", "priority": priority}
            task["input"] = {"name": f"{priority}-{i}"}
            pending.append(asyncio.create_task(client.process_task(task=task)))
            while len(engine._waiting) < i + 1:
                await asyncio.sleep(0.001)
        gate.set()
        results = await asyncio.gather(blocker, *pending)
        assert all(r.status == "completed" for r in results)
        db = system.client("Database@1", source_agent="test")
        rows = await db.query(table="tasks", filters={"status": "completed"})
        return order, sorted(r["id"] for r in rows)

    order, recorded = _run(body)
    assert order == ["critical-2", "critical-5", "high-4", "medium-1", "low-0", "low-3"]
    assert recorded == ["b", "t0", "t1", "t2", "t3", "t4", "t5"]


def test_a_transient_llm_failure_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    with FakeOllama([HANG, "the answer"], hang_seconds=5) as server:
        monkeypatch.setenv("ORCHESTRA_LLM_HOST", server.url)
        monkeypatch.setenv("ORCHESTRA_LLM_TIMEOUT_S", "0.5")

        async def body(system: Any, engine: Any) -> Any:
            client = system.client("CoreEngine@1", source_agent="t")._with_options(timeout_ms=30000)
            task = {"id": "g1", "kind": "llm.generate", "input": {"prompt": "hi"}}
            result = await client.process_task(task=task)
            record = await system.client("Database@1").read(table="tasks", id="g1")
            return result, record

        result, record = _run(body)
    assert (result.status, result.output["response"]) == ("completed", "the answer")
    assert record["attempts"] == 2 and record["status"] == "completed"


def test_attempts_stop_at_max_attempts_and_own_failures_are_not_retried(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("ORCHESTRA_LLM_HOST", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("ORCHESTRA_CORE_ENGINE_MAX_ATTEMPTS", "4")

    async def body(system: Any, engine: Any) -> Any:
        client = system.client("CoreEngine@1", source_agent="t")._with_options(timeout_ms=30000)
        down = await client.process_task(
            task={"id": "g2", "kind": "llm.generate", "input": {"prompt": "hi"}}
        )
        own = await client.process_task(task={"id": "f", "kind": "fail", "input": {"message": "x"}})
        db = system.client("Database@1")
        return (
            down,
            own,
            await db.read(table="tasks", id="g2"),
            await db.read(table="tasks", id="f"),
        )

    down, own, down_row, own_row = _run(body)
    assert down.status == "failed" and "unreachable" in (down.error or "")
    assert down_row["attempts"] == 4
    assert (own.status, own.error, own_row["attempts"]) == ("failed", "x", 1)
