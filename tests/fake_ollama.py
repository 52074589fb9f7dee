"""A small real HTTP server speaking the Ollama REST API the way ``ollama-python`` uses it.

Endpoints: ``GET /``, ``GET /api/version``, ``GET /api/tags``, ``POST /api/chat`` and
``POST /api/generate`` (NDJSON stream over chunked HTTP/1.1, or one JSON object when
``"stream": false``), ``POST /api/pull`` (a model of ``registry`` becomes local; any other
streams Ollama's ``file does not exist`` error). An unknown model gets
``404 {"error": "model 'x' not found"}``. Each chat or generate call consumes the next scripted
response:

- a string: the answer's content, streamed in small pieces, then ``done_reason: "stop"``;
- ``"hang"``: sends nothing for ``hang_seconds`` (longer than the client's timeout);
- ``"length"``: a truncated answer ending with ``done_reason: "length"``;
- ``"empty"``: an empty answer;
- a ``Reply`` for finer control (done reason, piece size, delay between pieces).

Every request is recorded (``requests``, ``chats``). Use as a context manager::

    with FakeOllama(["def f(): ..."]) as server:
        ollama.Client(host=server.url, timeout=5).chat(...)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

HANG = "hang"
LENGTH = "length"
EMPTY = "empty"
TRUNCATED = '{"imports": [], "code": "def '


@dataclass(frozen=True)
class Reply:
    """One scripted chat answer."""

    content: str
    done_reason: str = "stop"
    piece_size: int = 7
    delay: float = 0.0  # seconds between two streamed pieces


@dataclass(frozen=True)
class Recorded:
    """One request as received."""

    method: str
    path: str
    body: Any  # the parsed JSON body, or None

    @property
    def prompt(self) -> str:
        """All message contents of a chat request, joined."""
        messages = (self.body or {}).get("messages") or []
        return "\n".join(str(m.get("content", "")) for m in messages)


class FakeOllama:
    """The fake server; ``url`` is valid between ``start()`` and ``close()``."""

    def __init__(
        self,
        script: Iterable[str | Reply] = (),
        *,
        models: Iterable[str] = ("qwen2.5-coder:7b",),
        registry: Iterable[str] = (),
        version: str = "0.6.5",
        hang_seconds: float = 10.0,
    ) -> None:
        self.script: list[str | Reply] = list(script)
        self.models = list(models)
        self.registry = set(registry) | set(self.models)
        self.version = version
        self.hang_seconds = hang_seconds
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeOllama:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        server.daemon_threads = True
        server.fake = self  # type: ignore[attr-defined]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def url(self) -> str:
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # --- script and records ------------------------------------------------------------------

    def push(self, *responses: str | Reply) -> None:
        with self._lock:
            self.script.extend(responses)

    def next_response(self) -> str | Reply | None:
        with self._lock:
            return self.script.pop(0) if self.script else None

    def record(self, item: Recorded) -> None:
        with self._lock:
            self.requests.append(item)

    @property
    def chats(self) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path == "/api/chat"]

    def knows(self, model: str) -> bool:
        bare = model.removesuffix(":latest")
        return bool({model, bare, f"{bare}:latest"} & set(self.models))

    def wait_stopping(self, seconds: float) -> None:
        self._stopping.wait(seconds)


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeOllama/1"

    @property
    def fake(self) -> FakeOllama:
        fake: FakeOllama = self.server.fake  # type: ignore[attr-defined]
        return fake

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # --- plumbing ----------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value).encode(), "application/json; charset=utf-8")

    def _chunk(self, value: Any) -> None:
        data = (json.dumps(value) + "\n").encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    # --- endpoints ---------------------------------------------------------------------------

    def do_GET(self) -> None:
        self.fake.record(Recorded("GET", self.path, None))
        if self.path == "/":
            self._send(200, b"Ollama is running", "text/plain; charset=utf-8")
        elif self.path == "/api/version":
            self._json(200, {"version": self.fake.version})
        elif self.path == "/api/tags":
            self._json(200, {"models": [_model_entry(name) for name in self.fake.models]})
        else:
            self._send(404, b"404 page not found", "text/plain")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = None
        self.fake.record(Recorded("POST", self.path, body))
        if self.path not in ("/api/chat", "/api/generate", "/api/pull"):
            self._send(404, b"404 page not found", "text/plain")
            return
        if not isinstance(body, dict):
            self._json(400, {"error": "invalid request body"})
            return
        model = str(body.get("model", ""))
        if self.path == "/api/pull":
            self._pull(model, bool(body.get("stream", True)))
            return
        if not self.fake.knows(model):
            self._json(404, {"error": f"model '{model}' not found"})
            return
        response = self.fake.next_response()
        if response is None:
            self._json(500, {"error": "fake ollama: no scripted response left"})
            return
        if response == HANG:
            self.fake.wait_stopping(self.fake.hang_seconds)
            self.close_connection = True
            return
        reply = _as_reply(response)
        generate = self.path == "/api/generate"
        if body.get("stream", True):
            self._stream(model, reply, generate=generate)
        else:
            final = _final(model, reply.content, reply.done_reason)
            self._json(200, _as_generate(final) if generate else final)

    def _pull(self, model: str, stream: bool) -> None:
        known = model in self.fake.registry or self.fake.knows(model)
        if not stream:
            if known:
                self._json(200, {"status": "success"})
            else:
                self._json(500, {"error": "pull model manifest: file does not exist"})
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._chunk({"status": "pulling manifest"})
        if known:
            with self.fake._lock:
                if not self.fake.knows(model):
                    self.fake.models.append(model)
            self._chunk({"status": "success"})
        else:
            self._chunk({"error": "pull model manifest: file does not exist"})
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _stream(self, model: str, reply: Reply, *, generate: bool = False) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            text, size = reply.content, max(1, reply.piece_size)
            for i in range(0, len(text), size):
                piece = {"role": "assistant", "content": text[i : i + size]}
                part = {"model": model, "created_at": _now(), "message": piece, "done": False}
                self._chunk(_as_generate(part) if generate else part)
                if reply.delay:
                    self.fake.wait_stopping(reply.delay)
            final = _final(model, "", reply.done_reason)
            self._chunk(_as_generate(final) if generate else final)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up
            self.close_connection = True


def _as_reply(response: str | Reply) -> Reply:
    if isinstance(response, Reply):
        return response
    if response == LENGTH:
        return Reply(TRUNCATED, done_reason="length")
    if response == EMPTY:
        return Reply("")
    return Reply(response)


def _final(model: str, content: str, done_reason: str) -> dict[str, Any]:
    return {
        "model": model,
        "created_at": _now(),
        "message": {"role": "assistant", "content": content},
        "done": True,
        "done_reason": done_reason,
        "total_duration": 1_000_000,
        "load_duration": 1_000,
        "prompt_eval_count": 10,
        "prompt_eval_duration": 1_000,
        "eval_count": max(1, len(content) // 4),
        "eval_duration": 1_000,
    }


def _as_generate(chat_part: dict[str, Any]) -> dict[str, Any]:
    """The /api/generate form of a chat answer part: the text in ``response``, no message."""
    part = dict(chat_part)
    part["response"] = part.pop("message")["content"]
    return part


def _model_entry(name: str) -> dict[str, Any]:
    return {
        "name": name,
        "model": name,
        "modified_at": "2025-01-01T00:00:00Z",
        "size": 4_683_087_332,
        "digest": "0" * 64,
        "details": {
            "parent_model": "",
            "format": "gguf",
            "family": "qwen2",
            "families": ["qwen2"],
            "parameter_size": "7.6B",
            "quantization_level": "Q4_K_M",
        },
    }
