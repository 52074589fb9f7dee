"""Round trips per second through the runtime bus versus a direct await of the same method.

Uses the runtime library (``specloom_runtime``, installed from ``runtime/``), serves a small
Database-like contract with ServiceHost and calls it through a Client subclass.

    .venv/bin/python benchmarks/bench_bus.py [--n 20000] [--concurrency 64] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import cProfile
import importlib
import pstats
import sys
import time
import uuid
from pathlib import Path
from typing import Any, cast

import specloom_runtime as rt
from pydantic import BaseModel, ConfigDict, TypeAdapter


class CreateParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    table: str
    data: dict[str, Any]


DATABASE_V1 = rt.ContractSpec(
    name="Database",
    version=1,
    methods={"create": rt.MethodSpec("create", CreateParams, TypeAdapter(str), ())},
)


class Database:
    def __init__(self) -> None:
        self.count = 0

    async def create(self, table: str, data: dict[str, Any]) -> str:
        self.count += 1
        return f"{table}-{self.count}"


class DatabaseClient(rt.Client):  # type: ignore[misc]
    async def create(self, table: str, data: dict[str, Any]) -> str:
        return cast(str, await self._call(DATABASE_V1, "create", {"table": table, "data": data}))


async def run(n: int, concurrency: int) -> dict[str, float]:
    impl = Database()
    data = {"name": "ada", "age": 36}
    rates: dict[str, float] = {}

    start = time.perf_counter()
    for _ in range(n):
        await impl.create("users", data)
    rates["direct await"] = n / (time.perf_counter() - start)

    async with rt.Bus() as bus:

        async def raw_handler(request: Any) -> Any:
            return request.make_response(await impl.create("users", data))

        bus.register("raw", raw_handler)
        make_request = rt.Envelope.make_request
        start = time.perf_counter()
        for _ in range(n):
            await bus.request(make_request("bench", "raw", "Database", 1, "create", data))
        rates["bus only, raw handler"] = n / (time.perf_counter() - start)

        rt.ServiceHost("db", bus, [(DATABASE_V1, impl)])
        client = DatabaseClient(bus, "bench", "db")
        await client.create("users", data)  # warm up

        start = time.perf_counter()
        for _ in range(n):
            await client.create("users", data)
        rates["client+host+bus, sequential"] = n / (time.perf_counter() - start)

        async def worker(count: int) -> None:
            for _ in range(count):
                await client.create("users", data)

        start = time.perf_counter()
        await asyncio.gather(*(worker(n // concurrency) for _ in range(concurrency)))
        done = (n // concurrency) * concurrency
        rates[f"client+host+bus, {concurrency} callers"] = done / (time.perf_counter() - start)
    return rates


class MemoryStore:
    """``Database@1.create`` as the flagship's in-memory DatabaseImpl did it (before it became
    SQLite): a table dict per name, a random hex id, the record deep-copied in with its id.
    A representative small implementation (~5 us a call), so that "overhead" compares the
    client, bus and host with real work, as the services issue measured it."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, dict[str, Any]]] = {}

    def create(self, table: str, data: dict[str, Any]) -> str:
        records = self.tables.setdefault(table, {})
        record_id = uuid.uuid4().hex
        records[record_id] = copy.deepcopy(data) | {"id": record_id}
        return record_id


async def run_generated(n: int, root: Path) -> dict[str, float]:
    """The flagship as generated: ``Database@1`` client -> bus -> ServiceHost -> an in-memory
    create (:class:`MemoryStore`), against a direct await of the same implementation object.

    ``root`` is the project root (``generated/`` and ``impl/`` in it). Returns rates (calls/s)
    of ``"direct await"`` and ``"generated client+bus"``, and the direct await of a
    constant-time create (``"direct await, constant"``: the floor of a call, for reference).
    """
    for folder in (root, root / "generated"):
        if str(folder) not in sys.path:
            sys.path.insert(0, str(folder))
    db = importlib.import_module("orchestra.contracts.database_v1")
    # Served on the contract's mock class (what a module with no implementation runs), with
    # create overridden: what is measured is the client, bus and host, not SQLite.
    mock = importlib.import_module("orchestra.mocks.database_v1").DatabaseV1Mock

    class Store(mock):  # type: ignore[misc, valid-type]
        store = MemoryStore()

        async def create(self, table: str, data: dict[str, Any]) -> str:
            return self.store.create(table, data)

        async def on_start(self) -> None:
            type(self).store = MemoryStore()

    class Constant(mock):  # type: ignore[misc, valid-type]
        async def create(self, table: str, data: dict[str, Any]) -> str:
            return "rec-1"

    impl = Store()
    data = {"name": "ada", "age": 36}
    rates: dict[str, float] = {}
    constant = Constant()
    start = time.perf_counter()
    for _ in range(n):
        await constant.create("users", data)
    rates["direct await, constant"] = n / (time.perf_counter() - start)
    await impl.on_start()
    start = time.perf_counter()
    for _ in range(n):
        await impl.create("users", data)
    rates["direct await"] = n / (time.perf_counter() - start)
    await impl.on_start()  # empty tables again: both loops do the same work
    async with rt.Bus() as bus:
        rt.ServiceHost("agent-02-database", bus, [(db.DATABASE_V1, impl)])
        client = db.DatabaseV1Client(bus, "bench", "agent-02-database")
        await client.create("users", data)  # warm up
        await impl.on_start()
        start = time.perf_counter()
        for _ in range(n):
            await client.create("users", data)
        rates["generated client+bus"] = n / (time.perf_counter() - start)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        asyncio.run(run(args.n, args.concurrency))
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    rates = asyncio.run(run(args.n, args.concurrency))
    direct = rates["direct await"]
    for name, rate in rates.items():
        print(f"{name:<34} {rate:>12,.0f} round trips/s   overhead x{direct / rate:,.1f}")


if __name__ == "__main__":
    main()
