"""Implementation of module database (Database Layer).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from typing import Any

from orchestra.modules.database import DatabaseBase
from orchestra.runtime import stub


class DatabaseImpl(DatabaseBase):
    """Database Layer"""

    @stub
    async def create(self, table: str, data: dict[str, Any]) -> str:
        """Create new record, return ID

        Stores `data` as a new record. If `data.id` is given (a non-empty string) it becomes the
        record's id."""
        raise NotImplementedError

    @stub
    async def read(self, table: str, id: str) -> dict[str, Any] | None:
        """Read record by ID"""
        raise NotImplementedError

    @stub
    async def update(self, table: str, id: str, data: dict[str, Any]) -> bool:
        """Update record, return success

        Merges `data` into the record (top-level keys replace, others are kept). Returns false
        when there is no such record."""
        raise NotImplementedError

    @stub
    async def delete(self, table: str, id: str) -> bool:
        """Delete record, return success"""
        raise NotImplementedError

    @stub
    async def query(
        self, table: str, filters: dict[str, str | float | bool | None]
    ) -> list[dict[str, Any]]:
        """Query records with filters

        Records whose top-level keys equal every filter value (an empty filter matches all), in
        creation order."""
        raise NotImplementedError
