"""Implementation of module monitoring (Monitoring).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from orchestra.contracts.monitoring_v1 import (
    LogEventParamsEvent,
)
from orchestra.modules.monitoring import MonitoringBase
from orchestra.runtime import stub
from orchestra.types import Health


class MonitoringImpl(MonitoringBase):
    """Monitoring"""

    @stub
    async def log_metric(self, name: str, value: float, tags: dict[str, str]) -> bool:
        """Log a metric"""
        raise NotImplementedError

    @stub
    async def log_event(self, event: LogEventParamsEvent) -> bool:
        """Log an event

        Records a structured log event. An event named component_health sets the health of its
        source; its data must be {status: healthy|degraded|unhealthy}."""
        raise NotImplementedError

    @stub
    async def get_health(self) -> Health:
        """Get system health"""
        raise NotImplementedError
