"""Prometheus metrics of every bus call, and JSON log lines that carry correlation ids.

Optional (``pip install specloom-runtime[prometheus]``): nothing imports this module unless a
process turns it on. :func:`enable` installs an observer of every call this process serves
(``side="server"``, in :class:`~specloom_runtime.service.ServiceHost`) or makes
(``side="client"``, in :class:`~specloom_runtime.service.Client`), on any transport:

- ``specloom_bus_calls_total{side, agent, contract, method, outcome}``: calls by outcome, ``ok``
  or the error code of the reply (a declared error's name, ``timeout``, ``invalid_params``...);
- ``specloom_bus_call_duration_seconds{side, agent, contract, method}``: a latency histogram;
- ``specloom_bus_calls_in_flight{side, agent, contract, method}``: calls started, not finished.

Label values come from the contracts (a route a host does not serve is ``unknown``), never from
free text of a request, so a caller cannot grow the number of series.

:func:`serve` exposes the default registry over HTTP (``/metrics``, the Prometheus text
format); :func:`configure_json_logging` makes every log record one JSON line with the
correlation id of the call being served or made (``correlation_id``, null outside a call).
:func:`from_env` does both as the environment asks; the generated package's command line calls
it when ``SPECLOOM_METRICS_PORT`` (the port of ``/metrics``; ``SPECLOOM_METRICS_ADDR``, default
127.0.0.1, the address) or ``SPECLOOM_LOG_FORMAT=json`` is set.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from prometheus_client import REGISTRY, Counter, Gauge, Histogram, start_http_server

from .service import CALL_OBSERVERS

__all__ = [
    "CALLS",
    "IN_FLIGHT",
    "LATENCY",
    "JsonFormatter",
    "configure_json_logging",
    "correlation_id",
    "enable",
    "from_env",
    "serve",
]

LABELS = ("side", "agent", "contract", "method")
CALLS = Counter("specloom_bus_calls", "Bus calls served or made, by outcome", [*LABELS, "outcome"])
LATENCY = Histogram(
    "specloom_bus_call_duration_seconds",
    "Duration of bus calls, from request to reply",
    LABELS,
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
IN_FLIGHT = Gauge("specloom_bus_calls_in_flight", "Bus calls started and not finished", LABELS)

correlation_id: ContextVar[str | None] = ContextVar("specloom_correlation_id", default=None)
"""The correlation id of the call the current task serves or makes (set while it runs)."""


def _observe(
    side: str, agent: str, contract: str, method: str, correlation: str
) -> Callable[[str], None]:
    labels = (side, agent, contract, method)
    gauge = IN_FLIGHT.labels(*labels)
    gauge.inc()
    token = correlation_id.set(correlation)
    start = time.perf_counter()

    def finish(outcome: str) -> None:
        LATENCY.labels(*labels).observe(time.perf_counter() - start)
        CALLS.labels(*labels, outcome).inc()
        gauge.dec()
        try:
            correlation_id.reset(token)
        except ValueError:  # finished in another context than it started in
            correlation_id.set(None)

    return finish


def enable() -> None:
    """Measure every bus call of this process from now on (idempotent)."""
    if _observe not in CALL_OBSERVERS:
        CALL_OBSERVERS.append(_observe)


def disable() -> None:
    """Stop measuring (the metrics keep their values)."""
    while _observe in CALL_OBSERVERS:
        CALL_OBSERVERS.remove(_observe)


class MetricsServer:
    """The HTTP server of ``/metrics`` started by :func:`serve`."""

    def __init__(self, server: Any, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def serve(port: int = 0, addr: str = "127.0.0.1") -> MetricsServer:
    """Serve the default registry on ``addr:port`` (0: a free port) and enable the bus metrics."""
    enable()
    server, thread = start_http_server(port, addr=addr, registry=REGISTRY)
    return MetricsServer(server, thread)


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, correlation_id."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat().replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": correlation_id.get(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_json_logging(level: int = logging.INFO) -> logging.Handler:
    """Log JSON lines to stderr from the root logger (replacing its handlers); the handler."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level)
    return handler


def from_env(environ: dict[str, str] | None = None) -> MetricsServer | None:
    """JSON logs if ``SPECLOOM_LOG_FORMAT=json``; ``/metrics`` on ``SPECLOOM_METRICS_PORT`` (at
    ``SPECLOOM_METRICS_ADDR``, default 127.0.0.1) if set. Returns the metrics server, if any."""
    env = os.environ if environ is None else environ
    if env.get("SPECLOOM_LOG_FORMAT") == "json":
        configure_json_logging()
    port = env.get("SPECLOOM_METRICS_PORT")
    if not port:
        return None
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise ValueError(f"SPECLOOM_METRICS_PORT must be a port number, got {port!r}")
    return serve(int(port), env.get("SPECLOOM_METRICS_ADDR", "127.0.0.1"))
