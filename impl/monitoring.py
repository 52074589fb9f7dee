"""Implementation of module monitoring (Monitoring): metrics, events and health, on disk.

What it does: metric samples and events are kept in arrival order, each with its UTC time, in
memory and in two JSON Lines files in the system's data dir (``monitoring/samples.jsonl`` and
``monitoring/events.jsonl`` under ``$SPECLOOM_DATA_DIR``, else ``.orchestra/``): every write
appends one line, a start reads them back (so health, samples and events survive a restart) and
rewrites them without what has expired. Samples and events older than ``retention_days`` are
dropped on every write (never on reads).

Prometheus: every reported sample also sets the gauge ``orchestra_reported_value`` (label
``metric`` = the metric's name, plus each tag whose key is a valid Prometheus label name; others
are left out of the labels, never renamed) and counts ``orchestra_reported_samples_total``;
``orchestra_component_health`` is 0/1/2 (healthy/degraded/unhealthy) per component. They are in
the process's default registry, so the ``/metrics`` port of the process serves them beside the
bus metrics. An event named ``component_health`` must carry ``data.status`` (healthy, degraded or
unhealthy) and sets the latest status of its source; get_health reports the worst of them
(healthy when nothing was reported). When the system status reaches ``alert_on`` an alert is
raised: a warning on the ``impl.monitoring`` logger and an ``alert`` event in the store; it is
raised again only after the status went back below ``alert_on``.

Limits: no dashboards or queries over the stored samples (the contract has none); the volume
setting names the Infrastructure@1 volume but the files go to the data dir.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

from orchestra.contracts.monitoring_v1 import InvalidEvent, LogEventParamsEvent
from orchestra.modules.monitoring import MonitoringBase
from orchestra.types import Health
from prometheus_client import REGISTRY, Counter, Gauge
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

Status = Literal["healthy", "degraded", "unhealthy"]
RANK: dict[str, int] = {"healthy": 0, "degraded": 1, "unhealthy": 2}

logger = logging.getLogger(__name__)
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*")

SAMPLES = Counter(
    "orchestra_reported_samples", "Metric samples reported to the monitoring module", ["metric"]
)
COMPONENT_HEALTH = Gauge(
    "orchestra_component_health",
    "Latest component_health per component: 0 healthy, 1 degraded, 2 unhealthy",
    ["component"],
)


def data_dir() -> Path:
    """The system's data dir: ``$SPECLOOM_DATA_DIR``, else ``.orchestra/`` in the project root."""
    configured = os.environ.get("SPECLOOM_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / ".orchestra"


class _Reported(Collector):
    """The last value of each reported metric and tag set, as one gauge family."""

    def __init__(self) -> None:
        self.latest: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}

    def collect(self) -> Iterator[GaugeMetricFamily]:
        by_labels: dict[tuple[str, ...], list[tuple[list[str], float]]] = {}
        for (metric, tags), value in sorted(self.latest.items()):
            names = ("metric", *(k for k, _ in tags))
            by_labels.setdefault(names, []).append(([metric, *(v for _, v in tags)], value))
        for names, rows in by_labels.items():
            family = GaugeMetricFamily(
                "orchestra_reported_value", "Last reported value of a metric", labels=names
            )
            for values, value in rows:
                family.add_metric(values, value)
            yield family


REPORTED = _Reported()
REGISTRY.register(REPORTED)


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
        REPORTED.latest.clear()  # one provider per process; a new start shows what it loaded
        COMPONENT_HEALTH.clear()
        self._dir = data_dir() / "monitoring"
        self._dir.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - self.config.retention_days * 86400
        for row in self._load("samples", cutoff):
            self._samples.append(Sample(**row))
        for row in self._load("events", cutoff):
            event = Event(**row)
            self._events.append(event)
            if event.name == "component_health" and event.data.get("status") in RANK:
                self._health[event.source] = cast(Status, event.data["status"])
        self._alerting = RANK[self._overall()] >= RANK[self.config.alert_on]
        for component, status in self._health.items():
            COMPONENT_HEALTH.labels(component).set(RANK[status])

    def _load(self, name: str, cutoff: float) -> list[dict[str, Any]]:
        """The rows of one JSON Lines file that are not expired; the file is rewritten with them
        (a torn last line from a killed process is dropped)."""
        path = self._dir / f"{name}.jsonl"
        rows = []
        if path.exists():
            for line in path.read_text("utf-8").splitlines():
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict) and row.get("at", 0) >= cutoff:
                    rows.append(row)
        temp = path.with_suffix(".tmp")
        temp.write_text("".join(_line(row) for row in rows), "utf-8")
        os.replace(temp, path)
        return rows

    def _append(self, name: str, item: Sample | Event) -> None:
        with (self._dir / f"{name}.jsonl").open("a", encoding="utf-8") as out:
            out.write(_line(asdict(item)))

    async def log_metric(self, name: str, value: float, tags: dict[str, str]) -> bool:
        """Log a metric"""
        now = self._expire()
        sample = Sample(now, name, value, dict(tags))
        self._samples.append(sample)
        self._append("samples", sample)
        labels = tuple(
            sorted((k, v) for k, v in tags.items() if LABEL.fullmatch(k) and k != "metric")
        )
        REPORTED.latest[(name, labels)] = value
        SAMPLES.labels(name).inc()
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
        item = Event(now, event.name, event.source, event.level, event.message, dict(event.data))
        self._events.append(item)
        self._append("events", item)
        if event.name == "component_health":
            self._health[event.source] = cast(Status, status)
            COMPONENT_HEALTH.labels(event.source).set(RANK[cast(str, status)])
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
            alert = Event(now, "alert", self.AGENT, "critical", message, {"status": status})
            self._events.append(alert)
            self._append("events", alert)
        self._alerting = alerting

    def _expire(self) -> float:
        """Drop what is older than the retention period; return the current time."""
        now = time.time()
        cutoff = now - self.config.retention_days * 86400
        for store in (self._samples, self._events):
            while store and store[0].at < cutoff:
                store.popleft()
        return now


def _line(row: dict[str, Any]) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
