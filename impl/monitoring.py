"""Implementation of module monitoring (Monitoring): metrics, events and health in memory.

What it does: metric samples and events are kept in memory in arrival order, each with its UTC
time; samples and events older than ``retention_days`` are dropped on every write (never on
reads). An event named ``component_health`` must carry ``data.status`` (healthy, degraded or
unhealthy) and sets the latest status of its source; get_health reports the worst of them
(healthy when nothing was reported). When the system status reaches ``alert_on`` an alert is
raised: a warning on the ``impl.monitoring`` logger and an ``alert`` event in the store; it is
raised again only after the status went back below ``alert_on``.

Limits: nothing is persisted (the ``volume`` setting is not used) and there are no dashboards
or queries over the stored samples, since the contract has none.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from orchestra.contracts.monitoring_v1 import InvalidEvent, LogEventParamsEvent
from orchestra.modules.monitoring import MonitoringBase
from orchestra.types import Health

Status = Literal["healthy", "degraded", "unhealthy"]
RANK: dict[str, int] = {"healthy": 0, "degraded": 1, "unhealthy": 2}

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sample:
    at: float
    name: str
    value: float
    tags: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Event:
    at: float
    name: str
    source: str
    level: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)


class MonitoringImpl(MonitoringBase):
    """Monitoring: in-memory samples, events, component health and alerts."""

    _samples: deque[Sample]
    _events: deque[Event]
    _health: dict[str, Status]
    _alerting: bool

    async def on_start(self) -> None:
        self._samples, self._events, self._health = deque(), deque(), {}
        self._alerting = False

    async def log_metric(self, name: str, value: float, tags: dict[str, str]) -> bool:
        """Log a metric"""
        now = self._expire()
        self._samples.append(Sample(now, name, value, dict(tags)))
        return True

    async def log_event(self, event: LogEventParamsEvent) -> bool:
        """Log an event

        Records a structured log event. An event named component_health sets the health of its
        source; its data must be {status: healthy|degraded|unhealthy}."""
        status = event.data.get("status")
        if event.name == "component_health" and status not in RANK:
            raise InvalidEvent(
                "component_health data must be {status: healthy|degraded|unhealthy}",
                {"status": status},
            )
        now = self._expire()
        self._events.append(
            Event(now, event.name, event.source, event.level, event.message, dict(event.data))
        )
        if event.name == "component_health":
            self._health[event.source] = cast(Status, status)
            self._check_alert(now)
        return True

    async def get_health(self) -> Health:
        """Get system health"""
        return Health.model_validate(
            {
                "status": self._overall(),
                "components": dict(self._health),
                "details": {
                    "metrics": len(self._samples),
                    "events": len(self._events),
                    "alerting": self._alerting,
                },
            }
        )

    def _overall(self) -> Status:
        return max(self._health.values(), key=RANK.__getitem__, default="healthy")

    def _check_alert(self, now: float) -> None:
        status = self._overall()
        alerting = RANK[status] >= RANK[self.config.alert_on]
        if alerting and not self._alerting:
            worst = sorted(name for name, s in self._health.items() if s == status)
            message = f"system status is {status} ({', '.join(worst)})"
            logger.warning("alert: %s", message)
            self._events.append(
                Event(now, "alert", self.AGENT, "critical", message, {"status": status})
            )
        self._alerting = alerting

    def _expire(self) -> float:
        """Drop what is older than the retention period; return the current time."""
        now = time.time()
        cutoff = now - self.config.retention_days * 86400
        for store in (self._samples, self._events):
            while store and store[0].at < cutoff:
                store.popleft()
        return now
