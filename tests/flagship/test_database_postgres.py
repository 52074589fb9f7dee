"""Module 02 on a real PostgreSQL (``ORCHESTRA_DATABASE_URL=postgresql://...``, asyncpg): every
Database@1 example, create/read/update/delete with hostile input kept literal, hostile table
names refused, concurrent writer processes losing no update, and the rows really in PostgreSQL.

The server (Debian's binaries, ``make postgres``) runs in a temporary folder on a free port of
127.0.0.1 for this module's tests and is stopped by the fixture; each test gets a database of
its own."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .flagkit import ROOT, merge_concurrently, worker_env
from .pgserver import PostgresServer, find_bindir
from .test_database_real import HOSTILE, OTHERS, _with_db

sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

import asyncpg  # noqa: E402
from orchestra.contracts.database_v1 import InvalidRecord  # noqa: E402
from orchestra.mocks.database_v1 import DatabaseV1Mock  # noqa: E402
from orchestra.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime import InvalidParams, System  # noqa: E402
from specloom_runtime.testing import check_example  # noqa: E402


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    bindir = find_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed here (make postgres installs Debian's)")
    server = PostgresServer(bindir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


async def _sql(url: str, statement: str) -> list[Any]:
    conn = await asyncpg.connect(url)
    try:
        return list(await conn.fetch(statement))
    finally:
        await conn.close()


def _new_database(server: PostgresServer) -> str:
    name = f"t_{uuid.uuid4().hex[:12]}"
    asyncio.run(_sql(server.url, f'CREATE DATABASE "{name}"'))
    return server.url_of(name)


@pytest.fixture
def pg_url(
    postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    url = _new_database(postgres)
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ORCHESTRA_DATABASE_URL", url)
    yield url


@pytest.mark.parametrize(
    "example", DatabaseV1Mock.EXAMPLES, ids=[e["name"] for e in DatabaseV1Mock.EXAMPLES]
)
def test_every_contract_example_on_postgres(
    postgres: PostgresServer, example: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTRA_DATABASE_URL", _new_database(postgres))
    check = check_example(MODULES, CLIENTS, "Database@1", example, implementation=True)
    assert asyncio.run(check) is None


def test_rows_are_in_postgres_with_a_schema_version(pg_url: str) -> None:
    async def body(db: Any) -> Any:
        rid = await db.create(table="users", data={"name": "Ada"})
        assert await db.update(table="users", id=rid, data={"age": 36}) is True
        return rid, await db.read(table="users", id=rid)

    rid, record = asyncio.run(_with_db(body))
    assert record == {"id": rid, "name": "Ada", "age": 36}
    rows = asyncio.run(_sql(pg_url, "SELECT tbl, rid, data::text AS data FROM records"))
    assert [(r["tbl"], r["rid"], json.loads(r["data"])) for r in rows] == [("users", rid, record)]
    [version] = asyncio.run(_sql(pg_url, "SELECT version FROM schema_version"))
    assert version["version"] >= 1

    async def delete(db: Any) -> Any:
        return await db.delete(table="users", id=rid), await db.read(table="users", id=rid)

    assert asyncio.run(_with_db(delete)) == (True, None)
    assert asyncio.run(_sql(pg_url, "SELECT count(*) AS n FROM records"))[0]["n"] == 0


@pytest.mark.parametrize("text", [t for t in HOSTILE if "\x00" not in t])
def test_hostile_values_ids_and_filter_keys_are_literals(pg_url: str, text: str) -> None:
    async def body(db: Any) -> Any:
        rid = await db.create(table="notes", data={"id": text, text: text, "plain": text})
        assert rid == text
        record = await db.read(table="notes", id=text)
        assert record == {"id": text, text: text, "plain": text}
        assert await db.query(table="notes", filters={"plain": text}) == [record]
        assert await db.query(table="notes", filters={text: text}) == [record]
        assert await db.query(table="notes", filters={"plain": text + "x"}) == []
        assert await db.update(table="notes", id=text, data={"more": text}) is True
        other = await db.create(table="notes", data={"plain": "other"})
        assert [r["id"] for r in await db.query(table="notes", filters={})] == [text, other]
        assert await db.delete(table="notes", id=text) is True
        return await db.query(table="notes", filters={})

    remaining = asyncio.run(_with_db(body))
    assert [r["plain"] for r in remaining] == ["other"]
    tables = asyncio.run(
        _sql(pg_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    )
    assert {r["tablename"] for r in tables} == {"records", "schema_version"}


def test_nul_is_a_declared_error_or_matches_nothing(pg_url: str) -> None:
    """PostgreSQL text cannot hold U+0000: an error where it would be stored, else no match."""

    async def body(db: Any) -> Any:
        with pytest.raises(InvalidRecord, match="U\\+0000"):
            await db.create(table="notes", data={"text": "nul\x00byte"})
        with pytest.raises(InvalidRecord):
            await db.create(table="notes", data={"id": "a\x00b"})
        rid = await db.create(table="notes", data={"text": "plain"})
        with pytest.raises(InvalidParams):
            await db.update(table="notes", id=rid, data={"k\x00": 1})
        return (
            await db.read(table="notes", id="a\x00b"),
            await db.update(table="notes", id="a\x00b", data={"x": 1}),
            await db.delete(table="notes", id="a\x00b"),
            await db.query(table="notes", filters={"text": "x\x00"}),
            await db.query(table="notes", filters={}),
        )

    got = asyncio.run(_with_db(body))
    assert got[:4] == (None, False, False, [])
    assert [r["text"] for r in got[4]] == ["plain"]


@pytest.mark.parametrize("table", ["users; drop table records", "Users", "x'--", "us\u00e9rs"])
def test_hostile_table_names_are_invalid_params(pg_url: str, table: str) -> None:
    async def body(db: Any) -> Any:
        with pytest.raises(InvalidParams):
            await db.create(table=table, data={"a": 1})
        with pytest.raises(InvalidParams):
            await db.query(table=table, filters={})
        return await db.query(table="users", filters={})

    assert asyncio.run(_with_db(body)) == []


def test_concurrent_writer_processes_lose_no_update(pg_url: str, tmp_path: Path) -> None:
    env = worker_env(SPECLOOM_DATA_DIR=str(tmp_path / "data"), ORCHESTRA_DATABASE_URL=pg_url)
    merge_concurrently(env)


def test_an_unreachable_server_is_a_clear_start_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres: PostgresServer
) -> None:
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ORCHESTRA_DATABASE_URL", postgres.url_of("no_such_database"))

    async def main() -> None:
        async with System(MODULES, clients=CLIENTS, force_mock=OTHERS):
            pass

    with pytest.raises(Exception, match="no_such_database"):
        asyncio.run(main())
