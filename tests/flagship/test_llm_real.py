"""Module 07 for real: the ollama AsyncClient against the fake Ollama server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from .flagkit import ROOT

sys.path[:0] = [str(ROOT / "generated"), str(ROOT), str(ROOT / "tests")]

from fake_ollama import HANG, LENGTH, FakeOllama, Reply  # noqa: E402
from orchestra.contracts.llm_v1 import LlmUnavailable, ModelNotFound  # noqa: E402
from orchestra.mocks.llm_v1 import LlmV1Mock  # noqa: E402
from orchestra.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime import System  # noqa: E402
from specloom_runtime.testing import check_example  # noqa: E402

OTHERS = [d.name for d in MODULES if d.name != "llm"]
MODEL = "qwen2.5-coder:7b"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOllama]:
    with FakeOllama(models=[MODEL], registry=["tiny:1b"], hang_seconds=5) as server:
        monkeypatch.setenv("ORCHESTRA_LLM_HOST", server.url)
        monkeypatch.setenv("ORCHESTRA_LLM_TIMEOUT_S", "2")
        yield server


def _run(body: Any) -> Any:
    async def main() -> Any:
        async with System(MODULES, clients=CLIENTS, force_mock=OTHERS) as system:
            running = system.modules["llm"]
            assert running.mode == "impl"
            client = system.client("Llm@1", source_agent="test")._with_options(timeout_ms=20000)
            return await body(client, running.objects[0])

    return asyncio.run(main())


@pytest.mark.parametrize("example", LlmV1Mock.EXAMPLES, ids=[e["name"] for e in LlmV1Mock.EXAMPLES])
def test_every_contract_example_passes_against_the_fake_server(
    fake: FakeOllama, example: dict[str, Any]
) -> None:
    fake.push("def add(a, b):\n    return a + b\n", "Hello.")
    assert (
        asyncio.run(check_example(MODULES, CLIENTS, "Llm@1", example, implementation=True)) is None
    )
    assert fake.requests, "the implementation never talked to the server"


def test_streamed_answers_are_assembled_and_requests_are_real(fake: FakeOllama) -> None:
    fake.push(Reply("a long answer in many small pieces", piece_size=3), "chat reply")

    async def body(llm: Any, impl: Any) -> Any:
        gen = await llm.generate(prompt="hi", options={"temperature": 0})
        chat = await llm.chat(messages=[{"role": "user", "content": "yo"}])
        return gen, chat, impl.status

    gen, chat, status = _run(body)
    assert (gen.model, gen.response, gen.done) == (
        MODEL,
        "a long answer in many small pieces",
        True,
    )
    assert (chat.message.role, chat.message.content, chat.done) == ("assistant", "chat reply", True)
    assert status["status"] == "ok" and status["models"] == 1
    generate = next(r for r in fake.requests if r.path == "/api/generate")
    assert generate.body["stream"] is True and generate.body["options"] == {"temperature": 0}
    assert [m["content"] for m in fake.chats[0].body["messages"]] == ["yo"]


def test_a_length_cut_is_not_done(fake: FakeOllama) -> None:
    fake.push(LENGTH)
    result = _run(lambda llm, _: llm.generate(prompt="hi"))
    assert result.done is False and result.response


def test_pull_lists_and_unknown_models(fake: FakeOllama) -> None:
    async def body(llm: Any, impl: Any) -> Any:
        assert await llm.pull_model(name=MODEL) is True  # present: no pull
        assert await llm.pull_model(name="tiny:1b") is True  # from the registry
        names = [m.name for m in await llm.list_models()]
        with pytest.raises(ModelNotFound):
            await llm.pull_model(name="nope:1b")
        with pytest.raises(ModelNotFound):
            await llm.generate(prompt="x", model="nope:1b")
        return names

    assert _run(body) == [MODEL, "tiny:1b"]
    assert [r.body["model"] for r in fake.requests if r.path == "/api/pull"] == [
        "tiny:1b",
        "nope:1b",
    ]


def test_a_hanging_server_is_llm_unavailable_within_timeout(fake: FakeOllama) -> None:
    fake.push(HANG)

    async def body(llm: Any, impl: Any) -> Any:
        with pytest.raises(LlmUnavailable, match="timed out"):
            await llm.chat(messages=[{"role": "user", "content": "hi"}])
        return dict(impl.status)

    assert _run(body)["status"] == "unreachable"


def test_no_server_is_llm_unavailable_and_health_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    monkeypatch.setenv("ORCHESTRA_LLM_HOST", f"http://127.0.0.1:{port}")

    async def body(llm: Any, impl: Any) -> Any:
        start = dict(impl.status)
        with pytest.raises(LlmUnavailable):
            await llm.generate(prompt="hi")
        with pytest.raises(LlmUnavailable):
            await llm.list_models()
        return start

    status = _run(body)
    assert status["status"] == "unreachable" and status["backend"] == "ollama"
