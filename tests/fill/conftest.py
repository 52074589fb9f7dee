"""Fixtures of the fill tests: the fake Ollama server, a small implementation file with stubs,
and a real ``run_tests`` that checks a candidate copy in a subprocess.

Test modules get the helpers through the ``kit`` fixture (importing ``conftest`` is unreliable).
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: fake_ollama

from fake_ollama import FakeOllama  # noqa: E402

from generator.fill.engine import TestOutcome  # noqa: E402

MODEL = "qwen2.5-coder:7b"

IMPL = '''\
"""Implementation of module inventory (fill test fixture)."""

from typing import Any


def stub(fn: Any) -> Any:
    return fn


class ItemNotFound(Exception):
    """Declared error."""


class Inventory:
    """Implementation of module inventory."""

    def __init__(self) -> None:
        self._rows: dict[str, dict[str, Any]] = {}

    @stub
    async def create(self, table: str, data: dict[str, Any]) -> str:
        """Create new record, return ID"""
        raise NotImplementedError

    def read(self, id: str) -> dict[str, Any] | None:
        return self._rows.get(id)

    @stub
    def total(self, values: list[int], *, start: int = 0) -> int:
        """Sum of values plus start."""
        raise NotImplementedError

    @stub
    def get(self, id: str) -> dict[str, Any]:
        """Read a row; raise ItemNotFound when missing."""
        raise NotImplementedError
'''

CHECKER = """\
import asyncio
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("candidate", sys.argv[1])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
inv = mod.Inventory()
method = sys.argv[2]
if method == "create":
    rid = asyncio.run(inv.create("t", {"a": 1}))
    assert isinstance(rid, str), f"create returned {rid!r}, not a str"
    assert inv.read(rid) == {"a": 1}, f"read({rid!r}) gave {inv.read(rid)!r}"
elif method == "total":
    assert inv.total([1, 2, 3]) == 6, f"total([1, 2, 3]) == {inv.total([1, 2, 3])!r}"
    assert inv.total([1], start=10) == 11, f"total([1], start=10) == {inv.total([1], start=10)!r}"
elif method == "get":
    inv._rows["x"] = {"v": 1}
    assert inv.get("x") == {"v": 1}
    try:
        inv.get("nope")
    except mod.ItemNotFound:
        pass
    else:
        raise AssertionError("get('nope') did not raise ItemNotFound")
else:
    raise SystemExit(f"no check for {method}")
print("ok", method)
"""

GOOD_CREATE = '''\
async def create(self, table: str, data: dict[str, Any]) -> str:
    """Create new record, return ID"""
    new_id = uuid.uuid4().hex
    self._rows[new_id] = dict(data)
    return new_id
'''
GOOD_TOTAL = '''\
def total(self, values: list[int], *, start: int = 0) -> int:
    """Sum of values plus start."""
    return start + sum(values)
'''
WRONG_TOTAL = '''\
def total(self, values: list[int], *, start: int = 0) -> int:
    """Sum of values plus start."""
    return sum(values)
'''
GOOD_GET = '''\
def get(self, id: str) -> dict[str, Any]:
    """Read a row; raise ItemNotFound when missing."""
    row = self._rows.get(id)
    if row is None:
        raise ItemNotFound(id)
    return row
'''


def structured(code: str, imports: list[str] | None = None) -> str:
    """An answer as the model gives it under ``format=ANSWER_SCHEMA``."""
    return json.dumps({"imports": imports or [], "code": code})


def run_checker(copy: Path, method: str) -> TestOutcome:
    """A real ``run_tests``: a checker script, run against the candidate copy in a subprocess."""
    checker = copy.parent / "check_candidate.py"
    checker.write_text(CHECKER, encoding="utf-8")
    started = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, str(checker), str(copy), method],
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return TestOutcome(False, "checker timed out", time.monotonic() - started)
    output = done.stdout + done.stderr
    return TestOutcome(done.returncode == 0, output, time.monotonic() - started)


def closed_port_url() -> str:
    """The URL of a local port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


class FillKit:
    """Constants and helpers shared by the fill tests."""

    MODEL = MODEL
    IMPL = IMPL
    GOOD_CREATE = GOOD_CREATE
    GOOD_TOTAL = GOOD_TOTAL
    WRONG_TOTAL = WRONG_TOTAL
    GOOD_GET = GOOD_GET
    structured = staticmethod(structured)
    run_checker = staticmethod(run_checker)
    closed_port_url = staticmethod(closed_port_url)


@pytest.fixture
def kit() -> FillKit:
    return FillKit()


@pytest.fixture
def server() -> Iterator[FakeOllama]:
    with FakeOllama(models=[MODEL], hang_seconds=5.0) as fake:
        yield fake


@pytest.fixture
def impl_file(tmp_path: Path) -> Path:
    path = tmp_path / "impl" / "inventory.py"
    path.parent.mkdir()
    path.write_bytes(IMPL.encode("utf-8"))
    return path
