"""Implementation of module database (Database Layer): JSON records in memory.

What it does: each table is a dict of id -> record kept in creation order; a table exists once a
record was created in it, and reading or querying an empty table is not an error. A record's id
is ``data.id`` when given (a non-empty string), else a random hex id. Records are returned with
their ``id`` and are deep-copied in and out, so no caller shares state with the store. Query
filters are equality on top-level keys, type-aware for booleans (``true`` never equals ``1``).

Limits: nothing is persisted. The ``url`` and ``volume`` settings are not used and records are
lost when the process ends; a file-backed store (SQLite on the volume provisioned through
Infrastructure@1 at start-up) would replace the dicts behind the same methods.
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from orchestra.contracts.database_v1 import DuplicateId, IdMismatch, InvalidRecord
from orchestra.modules.database import DatabaseBase

Scalar = str | float | bool | None


class DatabaseImpl(DatabaseBase):
    """Database Layer: tables of JSON records in memory."""

    _tables: dict[str, dict[str, dict[str, Any]]]

    async def on_start(self) -> None:
        self._tables = {}

    async def create(self, table: str, data: dict[str, Any]) -> str:
        """Create new record, return ID

        Stores `data` as a new record. If `data.id` is given (a non-empty string) it becomes the
        record's id."""
        records = self._tables.setdefault(table, {})
        if "id" in data:
            record_id = data["id"]
            if not isinstance(record_id, str) or not record_id:
                raise InvalidRecord("data.id must be a non-empty string", {"id": record_id})
            if record_id in records:
                raise DuplicateId(f"{table} already has a record {record_id!r}", {"id": record_id})
        else:
            record_id = uuid.uuid4().hex
        records[record_id] = copy.deepcopy(data) | {"id": record_id}
        return record_id

    async def read(self, table: str, id: str) -> dict[str, Any] | None:
        """Read record by ID"""
        record = self._tables.get(table, {}).get(id)
        return copy.deepcopy(record)

    async def update(self, table: str, id: str, data: dict[str, Any]) -> bool:
        """Update record, return success

        Merges `data` into the record (top-level keys replace, others are kept). Returns false
        when there is no such record."""
        if "id" in data and data["id"] != id:
            raise IdMismatch("ids are immutable", {"id": id, "data_id": data["id"]})
        record = self._tables.get(table, {}).get(id)
        if record is None:
            return False
        record.update(copy.deepcopy(data))
        return True

    async def delete(self, table: str, id: str) -> bool:
        """Delete record, return success"""
        return self._tables.get(table, {}).pop(id, None) is not None

    async def query(self, table: str, filters: dict[str, Scalar]) -> list[dict[str, Any]]:
        """Query records with filters

        Records whose top-level keys equal every filter value (an empty filter matches all), in
        creation order."""
        return [
            copy.deepcopy(record)
            for record in self._tables.get(table, {}).values()
            if all(key in record and _same(record[key], value) for key, value in filters.items())
        ]


def _same(actual: Any, expected: Scalar) -> bool:
    """JSON equality of a stored value and a scalar filter value (booleans are not numbers)."""
    if isinstance(actual, bool) or isinstance(expected, bool):
        return type(actual) is type(expected) and actual == expected
    return bool(actual == expected)
