"""llm.ask / check_server with the real ollama client against the fake server."""

from __future__ import annotations

from typing import Any

import ollama
import pytest
from fake_ollama import FakeOllama, Reply

from generator.fill import LlmError
from generator.fill.llm import ask, check_server, normalize_host
from generator.fill.prompt import ANSWER_SCHEMA

MESSAGES = [{"role": "system", "content": "rules"}, {"role": "user", "content": "write it"}]


def _ask(kit: Any, host: str, model: str | None = None, timeout: float = 5.0, **kw: Any) -> Any:
    return ask(
        MESSAGES, model or kit.MODEL, host=host, timeout=timeout, format_schema=ANSWER_SCHEMA, **kw
    )


def _error(kit: Any, host: str, **kw: Any) -> LlmError:
    with pytest.raises(LlmError) as info:
        _ask(kit, host, **kw)
    assert "\n" not in str(info.value)
    return info.value


def test_streamed_answer_progress_and_request(kit: Any, server: FakeOllama) -> None:
    answer_text = kit.structured(kit.GOOD_TOTAL)
    server.push(answer_text)
    seen: list[int] = []
    answer = _ask(kit, server.url, on_chunk=seen.append)
    assert answer.text == answer_text
    assert (answer.done_reason, answer.model, answer.cached) == ("stop", kit.MODEL, False)
    assert answer.chunks == len(seen) > 5 and seen == list(range(1, len(seen) + 1))
    (request,) = server.chats
    assert request.body["stream"] is True
    assert request.body["format"] == ANSWER_SCHEMA
    assert request.body["options"] == {"temperature": 0, "seed": 0}
    assert request.body["messages"] == MESSAGES


def test_fake_also_answers_non_streaming_requests(kit: Any, server: FakeOllama) -> None:
    server.push("hello")
    with ollama.Client(host=server.url, timeout=5) as client:
        response = client.chat(model=kit.MODEL, messages=MESSAGES, stream=False)
    assert response.message.content == "hello"
    assert response.done_reason == "stop"


def test_hang_is_a_timeout_line(kit: Any, server: FakeOllama) -> None:
    server.push("hang")
    error = _error(kit, server.url, timeout=1)
    assert str(error) == "Ollama did not answer within 1 s"
    assert not error.fatal


def test_slow_stream_is_bounded_by_the_whole_timeout(kit: Any, server: FakeOllama) -> None:
    server.push(Reply("x" * 40, piece_size=1, delay=0.05))
    error = _error(kit, server.url, timeout=0.5)
    assert str(error) == "Ollama did not answer within 0.5 s"


def test_length_and_empty_are_failed_attempts(kit: Any, server: FakeOllama) -> None:
    server.push("length", "empty")
    error = _error(kit, server.url)
    assert str(error) == "answer cut off by the length limit (done_reason=length)"
    assert not error.fatal
    error = _error(kit, server.url)
    assert str(error) == "Ollama returned an empty answer"
    assert not error.fatal


def test_unknown_model_says_how_to_pull_it(kit: Any, server: FakeOllama) -> None:
    error = _error(kit, server.url, model="nope:1b")
    assert (
        str(error) == f"model 'nope:1b' is not available on {server.url}: run `ollama pull nope:1b`"
    )
    assert error.fatal


def test_no_server_is_one_line(kit: Any) -> None:
    url = kit.closed_port_url()
    error = _error(kit, url)
    assert str(error) == (
        f"cannot reach Ollama at {url}: connection refused; "
        "start it with `ollama serve` or pass --host"
    )
    assert error.fatal


def test_check_server(kit: Any, server: FakeOllama) -> None:
    assert check_server(server.url, kit.MODEL, timeout=5) == "0.6.5"
    assert [r.path for r in server.requests] == ["/api/version", "/api/tags"]
    with pytest.raises(LlmError, match=r"run `ollama pull llama3`$"):
        check_server(server.url, "llama3", timeout=5)
    url = kit.closed_port_url()
    with pytest.raises(LlmError, match="^cannot reach Ollama at .*: connection refused;"):
        check_server(url, kit.MODEL, timeout=5)


def test_latest_tag_matches_a_bare_model_name(kit: Any) -> None:
    with FakeOllama(models=["llama3:latest"]) as fake:
        assert check_server(fake.url, "llama3", timeout=5) == "0.6.5"


def test_normalize_host() -> None:
    assert normalize_host(None) == "http://127.0.0.1:11434"
    assert normalize_host("localhost") == "http://localhost:11434"
    assert normalize_host("http://10.0.0.2:8080/") == "http://10.0.0.2:8080"
    assert normalize_host("https://ollama.example") == "https://ollama.example:443"
