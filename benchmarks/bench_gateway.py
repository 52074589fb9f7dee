"""HTTP gateway throughput: requests/s and p50/p99 latency under concurrent loopback load.

One uvicorn process serves the generated flagship's gateway (bearer auth: a real JWT verified
on every request; request validation against the OpenAPI schemas; the call over the in-process
bus through the generated client and service host; result validation against the return schema)
and, in the same app, a bare Starlette endpoint that parses the JSON body and answers a JSON
value: the floor of any Starlette service on this machine, measured in the same run.

What is measured is the gateway, not the implementation behind it: ``Database@1.read`` is
served by a constant-time read (a subclass of the contract's generated mock that answers one
fixed record), as ``bench_nats.py`` and ``bench_bus.py`` do; the flagship's DatabaseImpl would
add an SQLite query and an aiosqlite thread hop to every request.

The load comes from this process: ``--concurrency`` keep-alive HTTP/1.1 connections on raw
asyncio streams (a light client, so that the server is what is measured).

    .venv/bin/python benchmarks/bench_gateway.py [--seconds 3] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GATEWAY_PATH = "/api/database/v1/read"
BODY = json.dumps({"table": "users", "id": "nobody"}).encode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), 0.0 where unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serve(port: int, profile: str | None = None) -> None:
    """The server process: the flagship gateway plus ``POST /bare``."""
    sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]
    import uvicorn
    from orchestra.system import CLIENTS, MODULES
    from specloom_runtime.http import build_gateway
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def bare(request: Request) -> Response:
        json.loads(await request.body())
        return Response(b"null", media_type="application/json")

    from orchestra.mocks.database_v1 import DatabaseV1Mock

    class ConstantRead(DatabaseV1Mock):  # type: ignore[misc]
        async def read(self, table: str, id: str) -> dict[str, Any] | None:
            return {"id": id, "name": "ada", "age": 36}

    modules = [
        dataclasses.replace(d, mocks=(ConstantRead,)) if d.name == "database" else d
        for d in MODULES
    ]
    app = build_gateway(modules, CLIENTS, force_mock=["database"])
    app.router.routes.append(Route("/bare", bare, methods=["POST"]))

    def run_server() -> None:
        uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)

    if profile is None:
        run_server()
        return
    import cProfile
    import signal

    # uvicorn re-raises the SIGTERM it caught once it has shut down: end with the stats written
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    profiler = cProfile.Profile()
    try:
        profiler.runcall(run_server)
    finally:
        profiler.dump_stats(profile)


async def _worker(
    port: int, request: bytes, stop: float, latencies: list[float], errors: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            status = int(head[9:12])
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - t0)
            if status != 200:
                errors.append(status)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def load(
    port: int, path: str, token: str, seconds: float, concurrency: int
) -> dict[str, Any]:
    headers = (
        f"POST {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
        f"authorization: Bearer {token}\r\ncontent-length: {len(BODY)}\r\n\r\n"
    )
    request = headers.encode() + BODY
    latencies: list[float] = []
    errors: list[int] = []
    stop = time.perf_counter() + seconds
    started = time.perf_counter()
    await asyncio.gather(
        *(_worker(port, request, stop, latencies, errors) for _ in range(concurrency))
    )
    elapsed = time.perf_counter() - started
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * q[49],
        "p99_ms": 1000 * q[98],
        "requests": len(latencies),
        "errors": len(errors),
    }


def run(
    seconds: float = 3.0, concurrency: int = 32, profile: str | None = None
) -> dict[str, dict[str, Any]]:
    """Start the server, load the bare endpoint and the gateway (interleaved, twice each).

    ``profile``: run the server under cProfile and write its stats there (slower numbers)."""
    port = free_port()
    extra = ["--profile", profile] if profile else []
    data = tempfile.mkdtemp(prefix="specloom-bench-gw-")
    env = {**os.environ, "ORCHESTRA_DATA_DIR": data}
    proc = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), *extra],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "gateway did not start: " + proc.stderr.read().decode()
                    ) from None
                time.sleep(0.1)
        token = subprocess.run(
            [sys.executable, "-m", "orchestra", "token", "--ttl", "600"],
            cwd=ROOT / "generated",
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        results: dict[str, list[dict[str, Any]]] = {"bare": [], "gateway": []}
        asyncio.run(load(port, GATEWAY_PATH, token, 0.5, concurrency))  # warm up
        for _ in range(2):
            for name, path in (("bare", "/bare"), ("gateway", GATEWAY_PATH)):
                cpu = cpu_seconds(proc.pid)
                r = asyncio.run(load(port, path, token, seconds, concurrency))
                r["server_cpu_ms"] = 1000 * (cpu_seconds(proc.pid) - cpu) / max(r["requests"], 1)
                results[name].append(r)
        return {name: max(runs, key=lambda r: r["rps"]) for name, runs in results.items()}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--serve", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--profile", metavar="FILE", help="cProfile the server into FILE")
    args = parser.parse_args()
    if args.serve is not None:
        serve(args.serve, args.profile)
        return
    out = run(args.seconds, args.concurrency, args.profile)
    for name, r in out.items():
        print(
            f"{name:8} {r['rps']:8.0f}/s  p50 {r['p50_ms']:.2f} ms  p99 {r['p99_ms']:.2f} ms  "
            f"server CPU {r['server_cpu_ms']:.2f} ms/request  "
            f"({r['requests']} requests, {r['errors']} not 200)"
        )
    print(f"gateway / bare: {out['gateway']['rps'] / out['bare']['rps']:.2f}x")


if __name__ == "__main__":
    main()
