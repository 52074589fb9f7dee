"""Implementation of module stats (Stats): figures from KeyValue@2.

Yours to edit: specloom wrote this file once and never overwrites it.
"""

from __future__ import annotations

from shelf.modules.stats import StatsBase


class StatsImpl(StatsBase):
    """Stats"""

    async def stored(self, prefix: str = "") -> int:
        """How many values are stored under a prefix."""
        return await self.deps.key_value.count(prefix=prefix)
