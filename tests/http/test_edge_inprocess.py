"""The edge's answers that need a particular system state: no responder (503), a timeout (504),
a result that breaks the contract (502). The real app and backends on the notes system, called
through httpx's ASGI transport (no sockets needed for these)."""

from __future__ import annotations

import asyncio
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
TOKEN = AUTHORITY.issue("test", ["*"], 600)
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
