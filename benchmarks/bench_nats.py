"""Round trips over NATS: the generated flagship client (``Database@1`` -> NatsTransport ->
ServiceHost -> a constant-time create) versus raw nats-py request/reply on the same server, in
the same run; sequential and with concurrent callers; rate and p50/p99 latency.

The raw baseline echoes a message of the same size as the generated request (a responder that
answers each request with its bytes), so both carry the same payloads over the same server and
event loop; the difference is the runtime: envelope building and validation, the host's work
queue, params and result validation, the implementation itself.

    .venv/bin/python benchmarks/bench_nats.py [--n 2000] [--concurrency 64]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import nats
from specloom_runtime import Envelope, ServiceHost
from specloom_runtime.natsserver import LocalNatsServer
from specloom_runtime.transport import connect

ROOT = Path(__file__).resolve().parent.parent
DATA = {"name": "ada", "age": 36}


async def _timed(
    call: Callable[[], Awaitable[Any]], n: int, concurrency: int
) -> tuple[float, list[float]]:
    """Rate (round trips/s) and latencies (s) of ``n`` calls by ``concurrency`` callers."""
    latencies: list[float] = []

    async def worker(count: int) -> None:
        clock = time.perf_counter
        for _ in range(count):
            t0 = clock()
            await call()
            latencies.append(clock() - t0)

    per = max(1, n // concurrency)
    start = time.perf_counter()
    await asyncio.gather(*(worker(per) for _ in range(concurrency)))
    return per * concurrency / (time.perf_counter() - start), latencies


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _result(rate: float, latencies: list[float]) -> dict[str, float]:
    return {
        "rate": rate,
        "p50_ms": _pct(latencies, 0.50) * 1000,
        "p99_ms": _pct(latencies, 0.99) * 1000,
        "mean_ms": statistics.fmean(latencies) * 1000,
    }


async def run(n: int, concurrency: int, server: LocalNatsServer) -> dict[str, dict[str, float]]:
    for folder in (ROOT, ROOT / "generated"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    db = importlib.import_module("orchestra.contracts.database_v1")
    # What is measured is the transport and the runtime, not the implementation: the flagship's
    # DatabaseImpl writes SQLite per create, and the mock matches scenarios (~1.7 ms a call).
    mock = importlib.import_module("orchestra.mocks.database_v1").DatabaseV1Mock

    class Echo(mock):  # type: ignore[misc, valid-type]
        async def create(self, table: str, data: dict[str, Any]) -> str:
            return "rec-1"

    impl = Echo()
    out: dict[str, dict[str, float]] = {}

    # raw nats-py: an echo responder, a request of the generated request's size
    sample = (
        Envelope.make_request(
            "bench", "agent-02-database", "Database", 1, "create", {"table": "users", "data": DATA}
        )
        .model_dump_json()
        .encode()
    )
    responder = await nats.connect(server.url, token=server.token)
    caller = await nats.connect(server.url, token=server.token)

    async def echo(msg: Any) -> None:
        await msg.respond(msg.data)

    await responder.subscribe("bench.raw", cb=echo)
    await responder.flush()
    for mode, conc in (("sequential", 1), (f"{concurrency} concurrent", concurrency)):
        rate, lat = await _timed(lambda: caller.request("bench.raw", sample, 5), n, conc)
        out[f"raw nats-py, {mode}"] = _result(rate, lat)
    await caller.close()
    await responder.close()

    host_bus = connect(server.url, system="orchestra", token=server.token, signer=None)
    await host_bus.start()
    ServiceHost("agent-02-database", host_bus, [(db.DATABASE_V1, impl)], concurrency=64)
    await host_bus.ready()
    client_bus = connect(server.url, system="orchestra", token=server.token, signer=None)
    await client_bus.start()
    client = db.DatabaseV1Client(client_bus, "bench", "agent-02-database")
    await client.create("users", DATA)  # warm up
    for mode, conc in (("sequential", 1), (f"{concurrency} concurrent", concurrency)):
        rate, lat = await _timed(lambda: client.create("users", DATA), n, conc)
        out[f"generated client, {mode}"] = _result(rate, lat)
    await client_bus.close()
    await host_bus.close()
    return out


def measure(n: int = 2000, concurrency: int = 64) -> dict[str, dict[str, float]]:
    with LocalNatsServer(jetstream=False) as server:
        return asyncio.run(run(n, concurrency, server))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    for name, r in measure(args.n, args.concurrency).items():
        print(
            f"{name:<34} {r['rate']:>9,.0f}/s  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms"
        )


if __name__ == "__main__":
    main()
