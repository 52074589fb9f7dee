"""The edge's answers that need a particular system state: no responder (503), a timeout (504),
a result that breaks the contract (502). The real app and backends on the notes system, called
through httpx's ASGI transport (no sockets needed for these)."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
from httpkit import SYSTEMS

sys.path[:0] = [str(SYSTEMS["notes"]), str(SYSTEMS["notes"].parent)]
os.environ.setdefault("SPECLOOM_IMPL_PACKAGE", "impl")

from notes.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime.http.app import EdgeSettings, create_app  # noqa: E402
from specloom_runtime.http.auth import TokenAuthority  # noqa: E402
from specloom_runtime.http.backends import MockBackend, SystemBackend  # noqa: E402
from specloom_runtime.http.routes import RouteTable, load_openapi  # noqa: E402

AUTHORITY = TokenAuthority(b"k" * 32, issuer="notes")
TOKEN = AUTHORITY.issue("test", ["*"], 24 * 3600)  # made at import: outlives a slow run
H = {"authorization": f"Bearer {TOKEN}"}


async def _client(app: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://edge") as client:
            yield client


def test_no_responder_is_503() -> None:
    async def go() -> None:
        backend = SystemBackend(MODULES, CLIENTS)
        app = create_app(RouteTable(load_openapi("notes")), backend, authority=AUTHORITY)
        async for c in _client(app):
            backend.system.modules["notes"].host.close()  # the provider leaves the bus
            r = await c.post("/api/notes/v1/create_note", json={"title": "x"}, headers=H)
            assert r.status_code == 503, r.text
            assert r.headers["content-type"] == "application/problem+json"
            assert r.json()["code"] in ("unknown_target", "service_unavailable", "no_responders")

    asyncio.run(go())


def test_timeout_is_504_and_broken_result_502() -> None:
    async def go() -> None:
        backend = MockBackend(MODULES, CLIENTS)
        settings = EdgeSettings(timeout_ms=50, mode="mock")
        app = create_app(
            RouteTable(load_openapi("notes")), backend, authority=None, settings=settings
        )
        async for c in _client(app):
            session = await backend.session("slow")
            session.mocks["Notes@1"].stub("get_note", delay=1.0)
            r = await c.get("/api/notes/v1/notes/a", headers={"x-mock-session": "slow"})
            assert r.status_code == 504, r.text
            assert r.json()["code"] == "timeout"

    asyncio.run(go())


class ForeignProvider(MockBackend):
    """A provider whose answers skip this process's client-side checks (as one reached over
    another transport might): its create_note answers ``{"id": 7}``."""

    async def call(self, key: str, method: str, params: dict[str, Any], **kw: Any) -> Any:
        return {"id": 7}


def test_result_breaking_the_schema_is_502() -> None:
    async def go() -> None:
        backend = ForeignProvider(MODULES, CLIENTS)
        app = create_app(RouteTable(load_openapi("notes")), backend, authority=AUTHORITY)
        async for c in _client(app):
            r = await c.post("/api/notes/v1/create_note", json={"title": "x"}, headers=H)
            assert r.status_code == 502 and r.json()["code"] == "contract_violation"
            pointers = {e["pointer"] for e in r.json()["errors"]}
            assert {"/id", "/title"} <= pointers

    asyncio.run(go())


def test_route_table_has_one_route_per_method() -> None:
    table = RouteTable(load_openapi("notes"))
    assert sorted((r.http_method, r.path) for r in table) == [
        ("GET", "/api/notes/v1/notes"),
        ("GET", "/api/notes/v1/notes/{note_id}"),
        ("POST", "/api/key_value/v1/delete"),
        ("POST", "/api/key_value/v1/get"),
        ("POST", "/api/key_value/v1/keys"),
        ("POST", "/api/key_value/v1/put"),
        ("POST", "/api/notes/v1/create_note"),
    ]
    assert Path(load_openapi.__code__.co_filename).name == "routes.py"


class Broken(MockBackend):
    """A backend failing in a way no contract declares (a bug in the edge's own path)."""

    async def call(self, key: str, method: str, params: dict[str, Any], **kw: Any) -> Any:
        raise RuntimeError("boom")


def test_an_unexpected_failure_is_a_500_problem_without_the_trace() -> None:
    async def go() -> None:
        app = create_app(
            RouteTable(load_openapi("notes")), Broken(MODULES, CLIENTS), authority=None
        )
        async for c in _client(app):
            r = await c.post("/api/notes/v1/create_note", json={"title": "x"})
            assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
            assert r.json()["code"] == "internal_error" and "boom" not in r.text
            assert r.json()["request_id"] == r.headers["x-request-id"]

    asyncio.run(go())


async def _raw(app: Any, method: str, path: str, chunks: list[bytes]) -> tuple[int, bytes]:
    """One request straight through ASGI, its body in ``chunks`` (no content-length)."""
    messages = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"edge"), (b"content-type", b"application/json")],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 2),
    }
    await app(scope, receive, send)
    if not sent:
        return 0, b""
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_a_body_in_chunks_is_read_whole_and_limited_without_content_length() -> None:
    async def go() -> None:
        backend = MockBackend(MODULES, CLIENTS)
        settings = EdgeSettings(max_body_bytes=64, mode="mock")
        app = create_app(
            RouteTable(load_openapi("notes")), backend, authority=None, settings=settings
        )
        async with app.router.lifespan_context(app):
            path = "/api/notes/v1/create_note"
            status, body = await _raw(app, "POST", path, [b'{"tit', b'le": "in ', b'chunks"}'])
            assert status == 200, body
            assert json.loads(body)["title"] == "in chunks"
            status, body = await _raw(app, "POST", path, [b'{"title": "', b"x" * 80, b'"}'])
            assert status == 413 and json.loads(body)["code"] == "body_too_large"
            # the client left before its body arrived: nobody to answer, nothing forwarded
            calls = len(backend.calls("default"))
            status, _ = await _raw(app, "POST", path, [])
            assert status == 0 and len(backend.calls("default")) == calls
            status, body = await _raw(app, "DELETE", path, [b""])
            assert status == 405 and json.loads(body)["code"] == "method_not_allowed"

    asyncio.run(go())
