"""Module 02 for real: SQLAlchemy + SQLite file, surviving kill -9, concurrent writer processes,
hostile input kept literal, a recorded schema version."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .flagkit import ROOT, merge_concurrently, run_worker, started_worker, worker_env

sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

from orchestra.contracts.database_v1 import DuplicateId  # noqa: E402
from orchestra.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime import InvalidParams, System  # noqa: E402

OTHERS = [d.name for d in MODULES if d.name != "database"]


def _db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "database.sqlite3"


async def _with_db(body: Any) -> Any:
    async with System(MODULES, clients=CLIENTS, force_mock=OTHERS) as system:
        assert system.modules["database"].mode == "impl"
        return await body(system.client("Database@1", source_agent="test"))


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ORCHESTRA_DATABASE_URL", raising=False)
    return tmp_path / "data"


def test_default_file_in_data_dir_with_schema_version(data_dir: Path) -> None:
    async def body(db: Any) -> Any:
        return await db.create(table="users", data={"name": "Ada"})

    asyncio.run(_with_db(body))
    path = data_dir / "database.sqlite3"
    assert path.is_file()
    with sqlite3.connect(path) as conn:
        assert conn.execute("select component, version from schema_version").fetchall() == [
            ("records", 1)
        ]
        assert conn.execute("select tbl, json_extract(data, '$.name') from records").fetchall() == [
            ("users", "Ada")
        ]


def test_newer_schema_is_refused(data_dir: Path) -> None:
    asyncio.run(_with_db(lambda db: db.query(table="t", filters={})))
    with sqlite3.connect(data_dir / "database.sqlite3") as conn:
        conn.execute("update schema_version set version = 99")
    with pytest.raises(RuntimeError, match="schema version 99"):
        asyncio.run(_with_db(lambda db: db.query(table="t", filters={})))


HOSTILE = [
    "x'); DROP TABLE records; --",
    "quote \" and ' both",
    "semi;colon -- comment /* block */",
    "unicode \u00e9\u4e2d\U0001f600 \u202e rtl",
    "nul\x00byte",
    "$.path[0]",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_values_ids_and_filter_keys_are_literals(data_dir: Path, text: str) -> None:
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
    with sqlite3.connect(data_dir / "database.sqlite3") as conn:
        names = {r[0] for r in conn.execute("select name from sqlite_master where type='table'")}
    assert {"records", "schema_version"} <= names


@pytest.mark.parametrize(
    "table", ["users; drop table records", "Users", "x'--", "us\u00e9rs", "users\n", ""]
)
def test_hostile_table_names_are_invalid_params(data_dir: Path, table: str) -> None:
    async def body(db: Any) -> Any:
        with pytest.raises(InvalidParams):
            await db.create(table=table, data={"a": 1})
        with pytest.raises(InvalidParams):
            await db.query(table=table, filters={})
        return await db.query(table="users", filters={})

    assert asyncio.run(_with_db(body)) == []


def test_type_aware_filters(data_dir: Path) -> None:
    async def body(db: Any) -> Any:
        await db.create(table="t", data={"id": "b", "v": True})
        await db.create(table="t", data={"id": "n", "v": 1})
        await db.create(table="t", data={"id": "s", "v": "1"})
        await db.create(table="t", data={"id": "z", "v": None})
        return [
            [r["id"] for r in await db.query(table="t", filters={"v": value})]
            for value in (True, 1, "1", None, False)
        ]

    assert asyncio.run(_with_db(body)) == [["b"], ["n"], ["s"], ["z"], []]


def test_sqlite_memory_url(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORCHESTRA_DATABASE_URL", "sqlite:///:memory:")

    async def body(db: Any) -> Any:
        await db.create(table="t", data={"id": "a"})
        return await db.read(table="t", id="a")

    assert asyncio.run(_with_db(body)) == {"id": "a"}
    assert not (data_dir / "database.sqlite3").exists()


def test_record_survives_kill_9(tmp_path: Path) -> None:
    env = worker_env(SPECLOOM_DATA_DIR=str(tmp_path / "data"))
    args = ["database", "Database@1", "--hold", "create"]
    record = json.dumps({"table": "users", "data": {"id": "ada", "name": "Ada \u00e9"}})
    with started_worker(env, *args, record) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert json.loads(line) == ["ada"], line
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    read = json.dumps({"table": "users", "id": "ada"})
    again = json.dumps({"table": "users", "data": {"id": "ada"}})
    assert run_worker(env, "database", "Database@1", "read", read, "create", again) == [
        {"id": "ada", "name": "Ada \u00e9"},
        {"raised": DuplicateId.code},
    ]


def test_concurrent_writer_processes_lose_no_update(tmp_path: Path) -> None:
    env = worker_env(SPECLOOM_DATA_DIR=str(tmp_path / "data"))
    merge_concurrently(env)


def test_concurrent_creates_of_one_id_exactly_one_wins(tmp_path: Path) -> None:
    env = worker_env(SPECLOOM_DATA_DIR=str(tmp_path / "data"))
    create = json.dumps({"table": "locks", "data": {"id": "leader"}})
    processes = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "tests/flagship/worker.py"), "database", "Database@1"]
            + ["create", create],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outcomes = []
    try:
        for p in processes:
            out, err = p.communicate(timeout=240)
            assert p.returncode == 0, err[-3000:]
            outcomes.append(json.loads(out.strip().splitlines()[-1])[0])
    finally:
        for p in processes:
            if p.poll() is None:
                p.kill()
                p.communicate()
    assert sorted(map(str, outcomes)) == sorted(
        ["leader"] + [str({"raised": DuplicateId.code})] * 3
    )


def test_metrics_replays_examples_on_empty_state_whatever_the_system_holds(data_dir: Path) -> None:
    """``python -m orchestra metrics`` after the system stored records: the examples (which
    expect empty tables) still pass, each on a fresh data dir, and the records are untouched."""
    env = {**worker_env(), "SPECLOOM_DATA_DIR": str(data_dir)}

    def orchestra(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "orchestra", *args],
            cwd=ROOT / "generated", env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    created = orchestra("call", "Database@1.create", '{"table": "users", "data": {"name": "Ada"}}')
    assert created.returncode == 0, created.stderr
    done = orchestra("metrics")
    assert done.returncode == 0, done.stderr
    assert "modules completed:        12/12" in done.stdout, done.stdout + done.stderr
    record_id = json.loads(created.stdout)
    read = orchestra("call", "Database@1.read", json.dumps({"table": "users", "id": record_id}))
    assert json.loads(read.stdout)["name"] == "Ada", read.stdout + read.stderr
