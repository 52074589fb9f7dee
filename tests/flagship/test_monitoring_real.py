"""Module 08 for real: samples, events and health survive a restart (JSON Lines in the data
dir), and reported metrics are Prometheus metrics of the process."""

from __future__ import annotations

import json
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from .flagkit import run_worker, worker_env

HEALTH = {"name": "component_health", "source": "agent-02-database", "data": {"status": "degraded"}}


def test_health_and_samples_survive_a_restart_and_show_as_prometheus_metrics(
    tmp_path: Path,
) -> None:
    env = worker_env(SPECLOOM_DATA_DIR=str(tmp_path / "data"))
    metric = {"name": "core_engine.tasks", "value": 3, "tags": {"module": "core", "bad-key": "x"}}
    first = run_worker(
        env,
        "monitoring",
        "Monitoring@1",
        "log_metric",
        json.dumps(metric),
        "log_event",
        json.dumps({"event": HEALTH}),
        "get_health",
        "{}",
    )
    assert first[:2] == [True, True] and first[2]["status"] == "degraded"
    [health] = run_worker(env, "monitoring", "Monitoring@1", "get_health", "{}")
    assert health["status"] == "degraded"
    assert health["components"] == {"agent-02-database": "degraded"}
    assert health["details"]["metrics"] == 1 and health["details"]["events"] == 1
    lines = (tmp_path / "data" / "monitoring" / "events.jsonl").read_text().splitlines()
    assert json.loads(lines[0])["data"] == {"status": "degraded"}
    # a torn line (a process killed while writing) is dropped on the next start
    with (tmp_path / "data" / "monitoring" / "samples.jsonl").open("a") as out:
        out.write('{"at": 1, "na')
    [health] = run_worker(env, "monitoring", "Monitoring@1", "get_health", "{}")
    assert health["details"]["metrics"] == 1


def test_reported_metrics_in_the_default_registry(tmp_path: Path, monkeypatch) -> None:
    import asyncio
    import sys

    from .flagkit import ROOT

    sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]
    from orchestra.system import CLIENTS, MODULES
    from prometheus_client import REGISTRY, generate_latest
    from specloom_runtime import System

    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))
    others = [d.name for d in MODULES if d.name != "monitoring"]

    async def main() -> None:
        async with System(MODULES, clients=CLIENTS, force_mock=others) as system:
            monitoring = system.client("Monitoring@1")
            await monitoring.log_metric(name="llm.latency", value=1.5, tags={"model": "q"})
            await monitoring.log_metric(name="llm.latency", value=2.5, tags={"model": "q"})
            await monitoring.log_event(event=HEALTH)

    asyncio.run(main())
    families = {
        f.name: f for f in text_string_to_metric_families(generate_latest(REGISTRY).decode())
    }
    [value] = [
        s
        for s in families["orchestra_reported_value"].samples
        if s.labels["metric"] == "llm.latency"
    ]
    assert (value.labels, value.value) == ({"metric": "llm.latency", "model": "q"}, 2.5)
    samples = families["orchestra_reported_samples"].samples
    assert any(s.labels == {"metric": "llm.latency"} and s.value == 2 for s in samples)
    [health] = families["orchestra_component_health"].samples
    assert (health.labels, health.value) == ({"component": "agent-02-database"}, 1.0)
