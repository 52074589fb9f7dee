"""Implementation of module database (Database Layer): JSON records in SQL, via SQLAlchemy 2.

Where the data lives: the ``url`` setting (``ORCHESTRA_DATABASE_URL``), any SQLAlchemy URL.
Empty (the default) means a SQLite file ``database.sqlite3`` in the system's data dir:
``$SPECLOOM_DATA_DIR`` when set, else ``.orchestra/`` in the project root (the folder holding
``impl/``), created on first start and git-ignored. ``sqlite:///path`` and
``sqlite:///:memory:`` use aiosqlite; ``postgresql://user:pw@host/db`` uses asyncpg (install it
beside the flagship extra); a URL naming its async driver (``postgresql+psycopg://``) is used as
given.

Schema: one SQL table ``records`` (seq, tbl, rid, data JSON) holds every record table's rows,
unique on (tbl, rid), ordered by ``seq`` (creation order). Record table names are never SQL
identifiers: they are validated (``^[a-z][a-z0-9_]*``, no trailing newline) and bound as values,
like ids, filter values and the JSON itself, so no input can become SQL. ``schema_version``
records the applied migration (``MIGRATIONS``); a database written by a newer schema is refused.

Transactions: every write is one transaction. On SQLite a write starts with ``BEGIN IMMEDIATE``
(the write lock is taken before the record is read, WAL journal, 30 s busy timeout); on other
databases update reads with ``SELECT ... FOR UPDATE``. So update's read-merge-write cannot lose a
concurrent writer's keys, also across processes.

PostgreSQL text cannot hold the character U+0000 (NUL): there, create of a record containing it
(in a key, a value or the id) is InvalidRecord and update with it InvalidParams; read, update
and delete of such an id find nothing, and a query filtering on it matches nothing (no stored
record can contain it). SQLite stores it like any other character.

Query filters are equality on top-level keys, type-aware (``true`` never equals ``1``): keys that
are plain identifiers narrow the rows in SQL (bound JSON paths), then every filter is checked
exactly in Python.

The volume setting names the Infrastructure@1 volume of the database files: looked up at
start-up and logged (not provisioned: a start must not change another module's state, and the
file lives in the data dir either way).
"""

from __future__ import annotations

import json
import logging
import os
import re
import uuid
from pathlib import Path
from typing import Any

from orchestra.contracts.database_v1 import DuplicateId, IdMismatch, InvalidRecord
from orchestra.modules.database import DatabaseBase
from specloom_runtime import InvalidParams, SpecloomError
from sqlalchemy import (
    JSON,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    event,
    select,
)
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool, StaticPool

logger = logging.getLogger(__name__)

Scalar = str | float | bool | None

SCHEMA_VERSION = 1
DATA_FILE = "database.sqlite3"
_TABLE = re.compile(r"[a-z][a-z0-9_]*")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

metadata = MetaData()
schema_version = Table(
    "schema_version",
    metadata,
    Column("component", String(64), primary_key=True),
    Column("version", Integer, nullable=False),
)
records = Table(
    "records",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("tbl", String(255), nullable=False),
    Column("rid", String, nullable=False),
    Column("data", JSON, nullable=False),
    UniqueConstraint("tbl", "rid", name="records_tbl_rid"),
    Index("records_tbl_seq", "tbl", "seq"),
    sqlite_autoincrement=True,
)


def _migrate_1(conn: Connection) -> None:
    """Version 1: the records table."""
    records.create(conn, checkfirst=True)


MIGRATIONS = {1: _migrate_1}


def data_dir() -> Path:
    """The system's data dir: ``$SPECLOOM_DATA_DIR``, else ``.orchestra/`` in the project root."""
    configured = os.environ.get("SPECLOOM_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / ".orchestra"


def database_url(setting: str) -> URL:
    """The async SQLAlchemy URL of a ``url`` setting (empty: the SQLite file in the data dir)."""
    if not setting:
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        return URL.create("sqlite+aiosqlite", database=str(folder / DATA_FILE))
    url = make_url(setting)
    driver = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
    return url.set(drivername=driver.get(url.drivername, url.drivername))


def open_engine(url: URL) -> AsyncEngine:
    """An engine for ``url``; on SQLite with explicit transactions (BEGIN IMMEDIATE for writes)."""
    dumps = _dumps
    if url.get_backend_name() != "sqlite":
        return create_async_engine(url, json_serializer=dumps, pool_pre_ping=True)
    memory = url.database in (None, "", ":memory:")
    if not memory and url.database:
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(
        url,
        json_serializer=dumps,
        connect_args={"timeout": 30},
        # one shared connection for :memory:; a fresh one per operation for a file, so nothing
        # is left open when the event loop that made it ends
        poolclass=StaticPool if memory else NullPool,
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        if not memory:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(conn: Connection) -> None:
        write = conn.get_execution_options().get("specloom_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _table(name: str) -> str:
    if not isinstance(name, str) or _TABLE.fullmatch(name) is None:
        raise InvalidParams("table must match ^[a-z][a-z0-9_]*$", {"table": repr(name)[:80]})
    return name


class DatabaseImpl(DatabaseBase):
    """Database Layer: tables of JSON records in one SQL table, through SQLAlchemy (async)."""

    _engine: AsyncEngine
    _writer: AsyncEngine

    async def on_start(self) -> None:
        self._engine = open_engine(database_url(self.config.url))
        self._nul_ok = self._engine.url.get_backend_name() == "sqlite"
        self._writer = self._engine.execution_options(specloom_write=True)
        async with self._writer.begin() as conn:
            await conn.run_sync(_upgrade)
        await self._look_up_volume()

    async def on_stop(self) -> None:
        await self._engine.dispose()

    async def _look_up_volume(self) -> None:
        try:
            volume = await self.deps.infrastructure.get_resource(self.config.volume)
        except SpecloomError as exc:
            logger.warning("could not look up volume %s: %s", self.config.volume, exc)
            return
        where = volume.endpoint if volume is not None else "not provisioned"
        logger.info("volume %s: %s; database at %s", self.config.volume, where, self._engine.url)

    async def create(self, table: str, data: dict[str, Any]) -> str:
        """Create new record, return ID

        Stores `data` as a new record. If `data.id` is given (a non-empty string) it becomes the
        record's id."""
        tbl = _table(table)
        if "id" in data:
            record_id = data["id"]
            if not isinstance(record_id, str) or not record_id:
                raise InvalidRecord("data.id must be a non-empty string", {"id": record_id})
        else:
            record_id = uuid.uuid4().hex
        record = dict(data) | {"id": record_id}
        if not self._nul_ok and _has_nul(record):
            raise InvalidRecord(
                f"{self._engine.url.get_backend_name()} cannot store the character U+0000 (NUL)",
                {"backend": self._engine.url.get_backend_name()},
            )
        try:
            async with self._writer.begin() as conn:
                await conn.execute(records.insert().values(tbl=tbl, rid=record_id, data=record))
        except IntegrityError:
            raise DuplicateId(
                f"{tbl} already has a record {record_id!r}", {"id": record_id}
            ) from None
        return record_id

    async def read(self, table: str, id: str) -> dict[str, Any] | None:
        """Read record by ID"""
        tbl = _table(table)
        if not self._nul_ok and "\x00" in id:
            return None  # no stored id holds NUL
        async with self._engine.connect() as conn:
            row = await conn.scalar(select(records.c.data).where(_key(tbl, id)))
        return None if row is None else dict(row)

    async def update(self, table: str, id: str, data: dict[str, Any]) -> bool:
        """Update record, return success

        Merges `data` into the record (top-level keys replace, others are kept). Returns false
        when there is no such record."""
        tbl = _table(table)
        if "id" in data and data["id"] != id:
            raise IdMismatch("ids are immutable", {"id": id, "data_id": data["id"]})
        if not self._nul_ok and "\x00" in id:
            return False
        if not self._nul_ok and _has_nul(data):
            raise InvalidParams(
                f"{self._engine.url.get_backend_name()} cannot store the character U+0000 (NUL)",
                {"backend": self._engine.url.get_backend_name()},
            )
        async with self._writer.begin() as conn:
            current = await conn.scalar(
                select(records.c.data).where(_key(tbl, id)).with_for_update()
            )
            if current is None:
                return False
            merged = dict(current) | dict(data)
            await conn.execute(records.update().where(_key(tbl, id)).values(data=merged))
        return True

    async def delete(self, table: str, id: str) -> bool:
        """Delete record, return success"""
        tbl = _table(table)
        if not self._nul_ok and "\x00" in id:
            return False
        async with self._writer.begin() as conn:
            result = await conn.execute(records.delete().where(_key(tbl, id)))
        return bool(result.rowcount)

    async def query(self, table: str, filters: dict[str, Scalar]) -> list[dict[str, Any]]:
        """Query records with filters

        Records whose top-level keys equal every filter value (an empty filter matches all), in
        creation order."""
        tbl = _table(table)
        if not self._nul_ok and _has_nul(filters):
            return []  # no stored record holds NUL
        statement = select(records.c.data).where(records.c.tbl == tbl).order_by(records.c.seq)
        for key, value in filters.items():
            if _KEY.fullmatch(key) is None:
                continue  # checked in Python below only
            field = records.c.data[key]
            if isinstance(value, bool):
                statement = statement.where(field.as_boolean() == value)
            elif isinstance(value, str) and "\x00" not in value:  # SQLite text stops at NUL
                statement = statement.where(field.as_string() == value)
        async with self._engine.connect() as conn:
            rows = (await conn.scalars(statement)).all()
        return [
            dict(record)
            for record in rows
            if all(key in record and _same(record[key], value) for key, value in filters.items())
        ]


def _key(tbl: str, rid: str) -> Any:
    return (records.c.tbl == tbl) & (records.c.rid == rid)


def _upgrade(conn: Connection) -> None:
    """Bring the schema to SCHEMA_VERSION inside the caller's (write) transaction."""
    schema_version.create(conn, checkfirst=True)
    row = conn.execute(
        select(schema_version.c.version).where(schema_version.c.component == "records")
    ).scalar()
    current = int(row or 0)
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"the database has schema version {current}, newer than this code ({SCHEMA_VERSION})"
        )
    for version in range(current + 1, SCHEMA_VERSION + 1):
        MIGRATIONS[version](conn)
    if row is None:
        conn.execute(schema_version.insert().values(component="records", version=SCHEMA_VERSION))
    elif current != SCHEMA_VERSION:
        conn.execute(
            schema_version.update()
            .where(schema_version.c.component == "records")
            .values(version=SCHEMA_VERSION)
        )


def _has_nul(value: Any) -> bool:
    """Whether the character U+0000 is in a string, key or nested value of ``value``."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _same(actual: Any, expected: Scalar) -> bool:
    """JSON equality of a stored value and a scalar filter value (booleans are not numbers)."""
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    return bool(actual == expected)
