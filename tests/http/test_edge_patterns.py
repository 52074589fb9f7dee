"""Patterns at the HTTP edge run in linear time: the edge validates bodies against the OpenAPI
schemas before forwarding, and a backtracking engine would let one body with a nested-quantifier
pattern (``^(a+)+$``, valid in a spec) stall the gateway. Python's ``re`` needs ~2^40 steps for
the body below; the Rust engine answers at once. The test has a timeout, so a regression fails
rather than hangs."""

from __future__ import annotations

import asyncio
import copy
import os
import sys
from typing import Any

import httpx
import pytest
from httpkit import SYSTEMS

sys.path[:0] = [str(SYSTEMS["notes"]), str(SYSTEMS["notes"].parent)]
os.environ.setdefault("SPECLOOM_IMPL_PACKAGE", "impl")

from notes.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime.http.app import create_app  # noqa: E402
from specloom_runtime.http.auth import TokenAuthority  # noqa: E402
from specloom_runtime.http.backends import SystemBackend  # noqa: E402
from specloom_runtime.http.fastcheck import compile_check  # noqa: E402
from specloom_runtime.http.routes import RouteTable, load_openapi, pointer_errors  # noqa: E402

EVIL = "^(a+)+$"
BODY = "a" * 40 + "!"
AUTHORITY = TokenAuthority(b"k" * 32, issuer="notes")
H = {"authorization": f"Bearer {AUTHORITY.issue('test', ['*'], 24 * 3600)}"}


def _doc_with_pattern(pattern: str) -> dict[str, Any]:
    doc = copy.deepcopy(load_openapi("notes"))
    body = doc["paths"]["/api/notes/v1/create_note"]["post"]["requestBody"]
    body["content"]["application/json"]["schema"]["properties"]["title"]["pattern"] = pattern
    return doc


@pytest.mark.timeout(30)
def test_hostile_body_against_nested_quantifier_is_a_quick_422() -> None:
    async def go() -> None:
        backend = SystemBackend(MODULES, CLIENTS)
        app = create_app(RouteTable(_doc_with_pattern(EVIL)), backend, authority=AUTHORITY)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://edge") as c:
                url = "/api/notes/v1/create_note"
                r = await c.post(url, json={"title": BODY[:100]}, headers=H)
                assert r.status_code == 422, r.text
                pointers = [e["pointer"] for e in r.json()["errors"]]
                assert pointers == ["/title"], r.text
                ok = await c.post(url, json={"title": "aaaa"}, headers=H)
                assert ok.status_code == 200, ok.text

    asyncio.run(go())


@pytest.mark.timeout(30)
def test_fast_check_and_error_listing_share_the_linear_engine() -> None:
    schema = {"type": "string", "pattern": EVIL}
    check = compile_check(schema, {})
    assert check("aaa") and not check(BODY)
    table = RouteTable(_doc_with_pattern(EVIL))
    route = next(r for r in table.routes if r.path.endswith("create_note"))
    assert [e["pointer"] for e in pointer_errors(route.params, {"title": BODY})] == ["/title"]
    # Rust-regex semantics everywhere: a search, and ``$`` is the very end (no final newline)
    assert compile_check({"type": "string", "pattern": "b"}, {})("abc")
    assert not compile_check({"type": "string", "pattern": "^a$"}, {})("a\n")
