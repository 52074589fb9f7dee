"""Prometheus metrics of every bus call (specloom_runtime.metrics_prometheus), scraped over
HTTP from /metrics and parsed with prometheus-client's own parser; JSON log lines carry the
correlation id of the call they were written in."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import sys
import urllib.request
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from .flagkit import ROOT

sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

from orchestra.contracts.database_v1 import IdMismatch  # noqa: E402
from orchestra.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime import System, metrics_prometheus  # noqa: E402
from specloom_runtime.service import CALL_OBSERVERS  # noqa: E402

REAL = {"database", "core_engine"}
MOCKED = [d.name for d in MODULES if d.name not in REAL]


@pytest.fixture
def metrics(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))
    server = metrics_prometheus.serve(0)
    try:
        yield server
    finally:
        server.close()
        metrics_prometheus.disable()
    assert not CALL_OBSERVERS


def _scrape(port: int) -> dict[str, Any]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as answer:
        text = answer.read().decode()
    return {family.name: family for family in text_string_to_metric_families(text)}


def _value(families: dict[str, Any], name: str, **labels: str) -> float:
    """The sum of the samples called ``name`` whose labels include ``labels``."""
    return sum(
        s.value
        for family in families.values()
        for s in family.samples
        if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())
    )


def test_calls_outcomes_latency_and_in_flight_are_scraped(metrics: Any) -> None:
    before = _scrape(metrics.port)
    base = _value(before, "specloom_bus_calls_total", side="server", method="create", outcome="ok")

    async def main() -> None:
        async with System(MODULES, clients=CLIENTS, force_mock=MOCKED) as system:
            db = system.client("Database@1", source_agent="test")
            await db.create(table="t", data={"id": "a"})
            await db.create(table="t", data={"id": "b"})
            with pytest.raises(IdMismatch):
                await db.update(table="t", id="a", data={"id": "z"})
            engine = system.client("CoreEngine@1", source_agent="test")
            await engine.process_task(task={"id": "e", "kind": "echo"})

    asyncio.run(main())
    after = _scrape(metrics.port)
    server = {"side": "server", "agent": "agent-02-database", "contract": "Database@1"}
    # two creates of the test, one of the core engine recording its task
    assert _value(after, "specloom_bus_calls_total", method="create", outcome="ok", **server) == (
        base + 3
    )
    assert _value(after, "specloom_bus_calls_total", method="update", outcome="IdMismatch") >= 1
    client = {"side": "client", "agent": "test", "contract": "Database@1", "method": "create"}
    assert _value(after, "specloom_bus_calls_total", outcome="ok", **client) >= 2
    # the core engine called the database itself: its client side is measured too
    engine = {"side": "client", "agent": "agent-03-core-engine", "contract": "Database@1"}
    assert _value(after, "specloom_bus_calls_total", **engine) >= 2
    count = _value(after, "specloom_bus_call_duration_seconds_count", method="create", **server)
    assert count >= 3
    bucket = [
        s
        for s in after["specloom_bus_call_duration_seconds"].samples
        if s.name.endswith("_bucket") and s.labels.get("method") == "create"
    ]
    assert bucket and max(s.value for s in bucket) == count
    assert _value(after, "specloom_bus_calls_in_flight") == 0


def test_unknown_routes_do_not_create_series_from_request_text(metrics: Any) -> None:
    from specloom_runtime import Envelope

    async def main() -> Envelope:
        async with System(MODULES, clients=CLIENTS, force_mock=MOCKED) as system:
            request = Envelope.make_request(
                "test", "agent-02-database", 'Evil"}label', 1, "x' or 1", {}
            )
            return await system.bus.request(request)

    reply = asyncio.run(main())
    assert reply.payload.data["code"] == "unknown_method"
    families = _scrape(metrics.port)
    labels = {
        (s.labels.get("contract"), s.labels.get("method"))
        for s in families["specloom_bus_calls"].samples
    }
    assert ("unknown", "unknown") in labels
    assert not any("Evil" in str(c) or "or 1" in str(m) for c, m in labels)


def test_json_log_lines_carry_the_correlation_id(metrics: Any) -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(metrics_prometheus.JsonFormatter())
    logger = logging.getLogger("test.flagship.json")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    seen: list[Any] = []

    async def main() -> None:
        async with System(MODULES, clients=CLIENTS, force_mock=MOCKED) as system:
            system.bus.on_envelope(seen.append)
            engine = system.modules["core_engine"].objects[0]

            async def logged(data: dict[str, Any]) -> dict[str, Any]:
                logger.info("working on %s", data.get("n"))
                return data

            engine._kinds["logged"] = logged
            client = system.client("CoreEngine@1", source_agent="test")
            await client.process_task(task={"id": "j", "kind": "logged", "input": {"n": 1}})
            logger.info("outside")

    try:
        asyncio.run(main())
    finally:
        logger.removeHandler(handler)
    inside, outside = (json.loads(line) for line in out.getvalue().splitlines())
    request = next(
        e
        for e in seen
        if e.message_type == "request" and e.payload.metadata["method"] == "process_task"
    )
    assert inside["message"] == "working on 1" and inside["level"] == "info"
    assert inside["correlation_id"] == request.correlation_id
    assert outside["correlation_id"] is None
