"""Module 06 for real: the agent loop asks the LLM module (ollama client, fake server) for steps
and runs them on the real core engine, which records them in the real database."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import pytest

from .flagkit import ROOT

sys.path[:0] = [str(ROOT / "generated"), str(ROOT), str(ROOT / "tests")]

from fake_ollama import FakeOllama  # noqa: E402
from orchestra.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime import System  # noqa: E402

REAL = {"agent_framework", "core_engine", "database", "llm"}
MOCKED = [d.name for d in MODULES if d.name not in REAL]
AGENT = "agent-06-agent-framework"


def _run(body: Any) -> Any:
    async def main() -> Any:
        async with System(MODULES, clients=CLIENTS, force_mock=MOCKED) as system:
            agent = system.client("Agent@1", source_agent="test")._with_options(timeout_ms=30000)
            assert await agent.initialize() is True
            return await body(system, agent)

    return asyncio.run(main())


@pytest.fixture
def fake(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))
    with FakeOllama() as server:
        monkeypatch.setenv("ORCHESTRA_LLM_HOST", server.url)
        yield server


def test_the_agent_loop_runs_model_proposed_tasks_until_a_final_answer(fake: FakeOllama) -> None:
    fake.push(
        'Sure. {"task": {"kind": "echo", "input": {"sum": 5}}}',
        '```json\n{"task": {"kind": "fail", "input": {"message": "nope"}}}\n```',
        '{"task": {"kind": "no_such_kind"}}',
        '{"final": "the sum is 5"}',
    )

    async def body(system: Any, agent: Any) -> Any:
        message = {
            "action": "custom",
            "data": {"goal": "add 2 and 3"},
            "metadata": {"method": "run"},
        }
        reply = await agent.communicate(message=message, target=AGENT)
        tasks = await system.client("Database@1").query(table="tasks", filters={})
        return reply, tasks

    reply, tasks = _run(body)
    data = reply.data
    assert (data["final"], data["done"]) == ("the sum is 5", True)
    outcomes = [s["result"]["status"] for s in data["steps"]]
    assert outcomes == ["completed", "failed", "rejected"]
    assert data["steps"][0]["result"]["output"] == {"sum": 5}
    assert [t["kind"] for t in tasks] == ["echo", "fail"]  # the refused one never ran
    # the model saw each result: the last request carries the whole conversation
    last = fake.chats[-1].body["messages"]
    assert last[1]["content"] == "add 2 and 3"
    assert json.loads(last[-1]["content"])["result"]["error"]["code"] == "UnknownTaskKind"


def test_think_is_one_llm_call_and_a_down_llm_is_an_error_reply(
    fake: FakeOllama, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.push("a thought")

    async def body(system: Any, agent: Any) -> Any:
        message = {"action": "custom", "data": {"prompt": "why?"}, "metadata": {"method": "think"}}
        return await agent.communicate(message=message, target=AGENT)

    reply = _run(body)
    assert reply.data == {"response": "a thought", "model": "qwen2.5-coder:7b", "done": True}
    assert fake.chats[-1].body["messages"] == [{"role": "user", "content": "why?"}]

    async def unknown_model(system: Any, agent: Any) -> Any:
        message = {
            "action": "custom",
            "data": {"prompt": "x", "model": "nope:1b"},
            "metadata": {"method": "think"},
        }
        return await agent.communicate(message=message, target=AGENT)

    reply = _run(unknown_model)
    assert reply.data["code"] == "ModelNotFound"
