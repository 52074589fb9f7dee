"""Round trips over NATS: the generated flagship client (``Database@1`` -> NatsTransport ->
ServiceHost -> a constant-time create) versus raw nats-py request/reply on the same server, in
the same run; sequential and with concurrent callers; rate, p50/p99 latency and the CPU time of
the benchmark process per round trip.

Both sides are set up the same way: one Python process, one event loop, a caller connection
and a responder connection of their own on one local nats-server. The raw responder answers
each request with its own bytes (a message of the generated request's size) from its
subscription callback; the raw caller sends prebuilt bytes with ``nc.request``. The difference
is the runtime: envelope building, JSON and validation on both ends, the host's work queue (a
task and a deadline per request), params and result validation, the implementation itself.

The machine is shared and noisy, so raw and generated rounds alternate (``rounds`` of each,
same sizes) and each figure is the median over the rounds: a burst of load hits both sides,
not one. ``cpu_us`` (process CPU per round trip: caller and responder, not nats-server) is the
steadiest figure on a busy machine; at 64 concurrent the rate is CPU-bound, so the two agree.

    .venv/bin/python benchmarks/bench_nats.py [--n 2000] [--concurrency 64] [--rounds 5]
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
) -> tuple[float, list[float], float]:
    """Rate (round trips/s), latencies (s) and process CPU (s) per round trip of ``n`` calls
    by ``concurrency`` callers."""
    latencies: list[float] = []

    async def worker(count: int) -> None:
        clock = time.perf_counter
        for _ in range(count):
            t0 = clock()
            await call()
            latencies.append(clock() - t0)

    per = max(1, n // concurrency)
    cpu = time.process_time()
    start = time.perf_counter()
    await asyncio.gather(*(worker(per) for _ in range(concurrency)))
    wall = time.perf_counter() - start
    done = per * concurrency
    return done / wall, latencies, (time.process_time() - cpu) / done


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _result(rounds: list[tuple[float, list[float], float]]) -> dict[str, float]:
    """Medians over the rounds of one kind."""
    return {
        "rate": statistics.median(r[0] for r in rounds),
        "p50_ms": statistics.median(_pct(r[1], 0.50) for r in rounds) * 1000,
        "p99_ms": statistics.median(_pct(r[1], 0.99) for r in rounds) * 1000,
        "mean_ms": statistics.median(statistics.fmean(r[1]) for r in rounds) * 1000,
        "cpu_us": statistics.median(r[2] for r in rounds) * 1e6,
    }


async def run(
    n: int, concurrency: int, server: LocalNatsServer, rounds: int = 5
) -> dict[str, dict[str, float]]:
    for folder in (ROOT, ROOT / "generated"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    db = importlib.import_module("orchestra.contracts.database_v1")
    # What is measured is the transport and the runtime, not the implementation: the flagship's
    # DatabaseImpl writes SQLite per create, and the mock matches scenarios.
    mock = importlib.import_module("orchestra.mocks.database_v1").DatabaseV1Mock

    class Echo(mock):  # type: ignore[misc, valid-type]
        async def create(self, table: str, data: dict[str, Any]) -> str:
            return "rec-1"

    impl = Echo()

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

    host_bus = connect(server.url, system="orchestra", token=server.token, signer=None)
    await host_bus.start()
    ServiceHost("agent-02-database", host_bus, [(db.DATABASE_V1, impl)], concurrency=64)
    await host_bus.ready()
    client_bus = connect(server.url, system="orchestra", token=server.token, signer=None)
    await client_bus.start()
    client = db.DatabaseV1Client(client_bus, "bench", "agent-02-database")

    def raw_call() -> Awaitable[Any]:
        return caller.request("bench.raw", sample, 5)

    def generated_call() -> Awaitable[Any]:
        return client.create("users", DATA)

    await raw_call()  # warm up both
    await generated_call()
    samples: dict[tuple[str, str], list[tuple[float, list[float], float]]] = {
        (side, mode): []
        for side in ("raw nats-py", "generated client")
        for mode in ("sequential", f"{concurrency} concurrent")
    }
    try:
        for _ in range(rounds):
            for mode, conc in (("sequential", 1), (f"{concurrency} concurrent", concurrency)):
                for side, call in (("raw nats-py", raw_call), ("generated client", generated_call)):
                    samples[(side, mode)].append(await _timed(call, n, conc))
    finally:
        await client_bus.close()
        await host_bus.close()
        await caller.close()
        await responder.close()
    return {f"{side}, {mode}": _result(r) for (side, mode), r in samples.items()}


def measure(n: int = 2000, concurrency: int = 64, rounds: int = 5) -> dict[str, dict[str, float]]:
    with LocalNatsServer(jetstream=False) as server:
        return asyncio.run(run(n, concurrency, server, rounds))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    for name, r in measure(args.n, args.concurrency, args.rounds).items():
        print(
            f"{name:<34} {r['rate']:>9,.0f}/s  p50 {r['p50_ms']:.2f} ms  "
            f"p99 {r['p99_ms']:.2f} ms  cpu {r['cpu_us']:.1f} us/round trip"
        )


if __name__ == "__main__":
    main()
