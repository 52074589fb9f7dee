"""Thin wrapper over the real ``ollama.Client``: one streamed chat, one-line errors.

``ask`` streams ``/api/chat`` (so a callback can report progress), concatenates the message
pieces and returns an ``LlmAnswer``. Every failure becomes one ``LlmError`` line, never a
traceback; ``LlmError.fatal`` tells the engine whether to stop the run (no server, unknown model,
HTTP error) or just count a failed attempt (timeout, cut-off or empty answer, broken stream).
``check_server`` fails fast, before any work, when the server or the model is missing.
"""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import ollama
import pydantic

from generator.fill import LlmError

DEFAULT_HOST = "http://127.0.0.1:11434"
DEFAULT_OPTIONS: Mapping[str, Any] = {"temperature": 0, "seed": 0}


@dataclass(frozen=True)
class LlmAnswer:
    """The concatenated answer of one chat call."""

    text: str
    done_reason: str | None
    model: str
    seconds: float
    chunks: int = 0
    cached: bool = False


def normalize_host(host: str | None) -> str:
    """``OLLAMA_HOST`` semantics: ``h`` -> ``http://h:11434``, ``http://h`` -> ``http://h:80``."""
    text = (host or DEFAULT_HOST).strip()
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest, port = "http", text, 11434
    else:
        port = 443 if scheme == "https" else 80
    split = urllib.parse.urlsplit(f"{scheme}://{rest}")
    name = split.hostname or "127.0.0.1"
    if ":" in name:  # IPv6
        name = f"[{name}]"
    try:
        port = split.port or port
    except ValueError:
        raise LlmError(f"invalid Ollama host {text!r}", fatal=True) from None
    path = split.path.strip("/")
    return f"{scheme}://{name}:{port}" + (f"/{path}" if path else "")


def ask(
    messages: Sequence[Mapping[str, Any]],
    model: str,
    *,
    host: str | None,
    timeout: float,
    format_schema: Mapping[str, Any] | None = None,
    options: Mapping[str, Any] | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> LlmAnswer:
    """One streamed chat call; ``timeout`` bounds the connection, each read and the whole answer."""
    base = normalize_host(host)
    start = time.monotonic()
    pieces: list[str] = []
    chunks = 0
    done_reason: str | None = None
    answered_by = model
    try:
        with ollama.Client(host=base, timeout=timeout) as client:
            stream = client.chat(
                model=model,
                messages=list(messages),
                format=dict(format_schema) if format_schema is not None else None,
                options=dict(DEFAULT_OPTIONS if options is None else options),
                stream=True,
            )
            try:
                for part in stream:
                    chunks += 1
                    if part.message.content:
                        pieces.append(part.message.content)
                    if part.done:
                        done_reason = part.done_reason or "stop"
                        answered_by = part.model or model
                    if on_chunk is not None:
                        on_chunk(chunks)
                    if time.monotonic() - start > timeout:
                        raise _timeout(timeout)
            finally:
                stream.close()
    except LlmError:
        raise
    except Exception as exc:  # mapped to one line; unknown kinds re-raised below
        raise _map_error(exc, base, model, timeout) from None
    text = "".join(pieces)
    if done_reason == "length":
        raise LlmError("answer cut off by the length limit (done_reason=length)", fatal=False)
    if done_reason is None:
        raise LlmError(f"Ollama at {base} ended the answer without a final message", fatal=False)
    if not text.strip():
        raise LlmError("Ollama returned an empty answer", fatal=False)
    return LlmAnswer(text, done_reason, answered_by, time.monotonic() - start, chunks)


def check_server(host: str | None, model: str, timeout: float) -> str:
    """Fail fast unless Ollama answers at ``host`` and has ``model``; return its version."""
    base = normalize_host(host)
    try:
        with httpx.Client(base_url=base, timeout=timeout) as http:
            response = http.get("/api/version")
            response.raise_for_status()
            version = str(response.json().get("version", "unknown"))
        with ollama.Client(host=base, timeout=timeout) as client:
            available = {m.model for m in client.list().models if m.model}
    except Exception as exc:
        if isinstance(exc, httpx.HTTPStatusError | json.JSONDecodeError | AttributeError):
            raise LlmError(
                f"{base} does not look like an Ollama server (GET /api/version failed: "
                f"{_one_line(str(exc))})",
                fatal=True,
            ) from None
        raise _map_error(exc, base, model, timeout) from None
    if not has_model(available, model):
        raise _unknown_model(model, base)
    return version


def has_model(available: set[str], model: str) -> bool:
    """``llama3`` matches ``llama3:latest`` (and the reverse)."""
    bare = model.removesuffix(":latest")
    return bool({model, bare, f"{bare}:latest"} & available)


def _timeout(timeout: float) -> LlmError:
    return LlmError(f"Ollama did not answer within {timeout:g} s", fatal=False)


def _unknown_model(model: str, base: str) -> LlmError:
    return LlmError(
        f"model '{model}' is not available on {base}: run `ollama pull {model}`", fatal=True
    )


def _one_line(text: str, limit: int = 200) -> str:
    line = next((s.strip() for s in text.splitlines() if s.strip()), "")
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _connect_reason(exc: BaseException) -> str:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or current.__context__
    text = " ".join(str(e) for e in chain).lower()
    if "refused" in text or any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connection refused"
    inner = next((e for e in chain if isinstance(e, httpx.ConnectError)), exc)
    return _one_line(str(inner)) or type(inner).__name__


def _map_error(exc: Exception, base: str, model: str, timeout: float) -> Exception:
    """One ``LlmError`` line for a client failure (unexpected kinds are returned unchanged)."""
    if isinstance(exc, httpx.TimeoutException):
        return _timeout(timeout)
    if isinstance(exc, httpx.ConnectError | ConnectionError):
        reason = _connect_reason(exc)
        return LlmError(
            f"cannot reach Ollama at {base}: {reason}; start it with `ollama serve` or pass --host",
            fatal=True,
        )
    if isinstance(exc, ollama.ResponseError):
        error = _one_line(str(exc.error)) or "(no message)"
        if exc.status_code == 404 and "model" in error.lower():
            return _unknown_model(model, base)
        if exc.status_code == -1:  # an error reported inside the stream
            return LlmError(f"Ollama reported an error while answering: {error}", fatal=False)
        return LlmError(f"Ollama at {base} answered HTTP {exc.status_code}: {error}", fatal=True)
    if isinstance(exc, ollama.RequestError):
        return LlmError(f"invalid request to Ollama: {_one_line(exc.error)}", fatal=True)
    if isinstance(exc, httpx.HTTPError):
        return LlmError(f"connection to Ollama at {base} broke: {_one_line(str(exc))}", fatal=False)
    if isinstance(exc, json.JSONDecodeError | pydantic.ValidationError):
        return LlmError(
            f"Ollama at {base} sent a malformed reply: {_one_line(str(exc))}", fatal=False
        )
    return exc
