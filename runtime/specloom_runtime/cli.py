"""``python -m <package> run|serve|list|call|health|metrics``: the generated system's command
line. In-process by default; ``--nats URL`` (or ``SPECLOOM_NATS_URL``) talks to a distributed
system on NATS, ``serve`` hosts one module there and ``run --transport nats`` supervises every
module as its own process (:mod:`specloom_runtime.services_cli`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic_core import to_jsonable_python

from .errors import SpecloomError
from .metrics import MANUAL, measure, measure_remote
from .service import Client
from .system import ModuleDef, System

__all__ = ["main"]


def _table(rows: list[dict[str, Any]], columns: Sequence[str]) -> str:
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    lines = ["  ".join(c.upper().ljust(widths[c]) for c in columns)]
    lines += ["  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def _parser(prog: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description="Run the generated system.")
    p.add_argument(
        "--mock",
        action="append",
        default=[],
        metavar="MODULE",
        help="serve MODULE with its mock even if an implementation is complete (repeatable)",
    )
    p.add_argument(
        "--nats",
        metavar="URL",
        default=os.environ.get("SPECLOOM_NATS_URL") or None,
        help="NATS server of a distributed system, e.g. nats://TOKEN@127.0.0.1:4222 "
        "[env SPECLOOM_NATS_URL]",
    )
    p.add_argument("--token", default=None, help="NATS token [env SPECLOOM_NATS_TOKEN]")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start every module and serve until interrupted")
    run.add_argument("--seconds", type=float, default=None, help="stop after this long")
    run.add_argument(
        "--transport",
        choices=("in-process", "nats"),
        default="in-process",
        help="nats: every module its own process (a local nats-server unless --nats URL)",
    )
    run.add_argument("--drain-seconds", type=float, default=10.0, metavar="S")
    serve = sub.add_parser("serve", help="serve one module on NATS (--nats URL) until stopped")
    serve.add_argument("module")
    serve.add_argument("--replicas", type=int, default=1, help="processes (one queue group)")
    serve.add_argument("--drain-seconds", type=float, default=10.0, metavar="S")
    sub.add_parser("list", help="list modules, agents, contracts and modes")
    sub.add_parser("health", help="print the health of every module")
    metrics = sub.add_parser(
        "metrics",
        help="measure the plan's success metrics (examples, integration, docs); with --nats "
        "URL against the running distributed system (replays every example there)",
    )
    metrics.add_argument(
        "--strict", action="store_true", help="exit 1 unless every module is complete"
    )
    # Dispatched to .http.cli before parsing (listed here for --help).
    sub.add_parser("gateway", help="serve the contracts over HTTP: OpenAPI, page, /metrics")
    sub.add_parser("mock", help="mock --http: the contracts answered by their mocks over HTTP")
    sub.add_parser("token", help="print a bearer token for the gateway")
    call = sub.add_parser("call", help="send one request, e.g. call Database@1.read '{...}'")
    call.add_argument("target", help="Contract@major.method")
    call.add_argument("params", nargs="?", default="{}", help="parameters as a JSON object")
    call.add_argument("--timeout-ms", type=int, default=5000)
    return p


def _ratio(pair: tuple[int, int]) -> str:
    return f"{pair[0]}/{pair[1]}"


async def _metrics(
    args: argparse.Namespace, modules: Sequence[ModuleDef], clients: Mapping[str, type[Client]]
) -> int:
    if args.nats:
        return await _remote_metrics(args, modules, clients)
    docs = args.docs
    results = await measure(modules, clients, docs)
    rows = [
        {
            "module": r.module,
            "implemented": r.implemented,
            "mock examples": _ratio(r.mock_examples),
            "impl examples": _ratio(r.impl_examples),
            "integration": _ratio(r.integration),
            "docs": "yes" if r.docs else "no",
            "complete": "yes" if r.complete else "no",
        }
        for r in results
    ]
    print(_table(rows, list(rows[0]) if rows else []))
    done = sum(r.complete for r in results)
    mocks_ok = all(r.mock_examples[0] == r.mock_examples[1] for r in results)
    edges_ok = all(r.integration[0] == r.integration[1] for r in results)
    print()
    print(f"modules completed:        {done}/{len(results)}")
    print(f"interfaces validated:     {'yes' if mocks_ok else 'no'} (every example vs its mock)")
    print(f"integration tests passing: {'yes' if edges_ok else 'no'}")
    print("manual (not measurable here): " + "; ".join(MANUAL))
    for r in results:
        for failure in r.failures:
            print(f"FAIL {r.module}: {failure}", file=sys.stderr)
    return 1 if args.strict and done < len(results) else 0


async def _remote_metrics(
    args: argparse.Namespace, modules: Sequence[ModuleDef], clients: Mapping[str, type[Client]]
) -> int:
    from . import services_cli

    transport = services_cli.transport_for(args, args.package)
    try:
        await transport.start()
    except ConnectionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        results = await measure_remote(modules, clients, args.docs, transport, args.package)
    finally:
        await transport.close()
    rows = [
        {
            "module": r.module,
            "processes": r.processes,
            "mode": r.mode,
            "implemented": r.implemented,
            "live examples": _ratio(r.examples),
            "edges served": _ratio(r.edges),
            "docs": "yes" if r.docs else "no",
            "requests": r.requests,
            "complete": "yes" if r.complete else "no",
        }
        for r in results
    ]
    print(f"measured over NATS: the running system {args.package} (not an in-process copy)")
    print(_table(rows, list(rows[0]) if rows else []))
    done = sum(r.complete for r in results)
    print()
    print(f"modules completed:        {done}/{len(results)}")
    print(f"modules served:           {sum(r.processes > 0 for r in results)}/{len(results)}")
    ok = all(r.examples[0] == r.examples[1] for r in results)
    print(f"examples passing live:    {'yes' if ok else 'no'} (replayed over NATS, live state)")
    print("requests: what each module's processes served before this run ($SRV.STATS)")
    print("manual (not measurable here): " + "; ".join(MANUAL))
    for r in results:
        for failure in r.failures:
            print(f"FAIL {r.module}: {failure}", file=sys.stderr)
    return 1 if args.strict and done < len(results) else 0


MAX_DEPTH = 100  # nesting of call parameters (deeper JSON is refused, not a RecursionError)


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return False


def _params(text: str) -> dict[str, Any] | str:
    """The parameters of ``call``, or the error message."""
    try:
        params = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"params are not JSON: {exc}"
    except RecursionError:
        return f"params are nested too deeply (more than {MAX_DEPTH} levels)"
    if not isinstance(params, dict):
        return "params must be a JSON object"
    if _too_deep(params):
        return f"params are nested too deeply (more than {MAX_DEPTH} levels)"
    return params


async def _amain(
    args: argparse.Namespace, modules: Sequence[ModuleDef], clients: Mapping[str, type[Client]]
) -> int:
    from . import services_cli

    package = args.package
    if args.command == "serve":
        return await services_cli.serve(args, modules, clients, package)
    if args.command == "run" and args.transport == "nats":
        return await services_cli.run_nats(args, modules, package, args.project)
    if args.nats and args.command in ("health", "list"):
        rows, code = await services_cli.remote_health(args, modules, package)
        shown = ("module", "agent", "contracts", "transport", "processes", "pids", "mode")
        health = (*shown, "status", "detail")
        print(_table(rows, health if args.command == "health" else shown))
        return code if args.command == "health" else 0
    if args.command == "metrics":
        return await _metrics(args, modules, clients)
    params: dict[str, Any] = {}
    if args.command == "call":
        parsed = _params(args.params)
        if isinstance(parsed, str):
            print(f"error: {parsed}", file=sys.stderr)
            return 2
        params = parsed
    bus = services_cli.transport_for(args, package)
    only: list[str] | None = [] if args.nats else None  # with --nats the modules run elsewhere
    try:
        system = System(modules, clients=clients, force_mock=args.mock, bus=bus, only=only)
        await system.start()
    except ConnectionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    try:
        if args.command in ("list", "health", "run"):
            rows = system.health()
            columns: tuple[str, ...] = (
                ("module", "agent", "contracts", "mode", "status", "pending_stubs", "reason")
                if args.command != "list"
                else ("module", "agent", "contracts", "mode")
            )
            if args.command == "health":
                for r, running in zip(rows, system.modules.values(), strict=True):
                    r["detail"] = await running.detail()
                columns = (*columns, "detail")
            for r in rows:
                r["contracts"] = ",".join(r["contracts"])
            print(_table(rows, columns))
            if args.command == "run":
                print(f"{len(rows)} modules serving on the in-process bus; Ctrl-C stops.")
                if args.seconds is None:
                    await asyncio.Event().wait()
                await asyncio.sleep(args.seconds)
            return 0
        key, _, method = args.target.rpartition(".")
        try:
            client = system.client(key, timeout_ms=args.timeout_ms)
        except KeyError as exc:
            print(f"error: {exc.args[0]}", file=sys.stderr)
            return 2
        fn = getattr(client, method, None)
        if fn is None or method.startswith("_"):
            print(f"error: {key} has no method {method!r}", file=sys.stderr)
            return 2
        try:
            result = await fn(**params)
        except SpecloomError as exc:
            print(f"error[{exc.code}]: {exc}", file=sys.stderr)
            for err in exc.details.get("errors", []):
                where = ".".join(str(p) for p in err.get("loc", ()))
                print(f"  {where}: {err.get('msg')}", file=sys.stderr)
            return 1
        except TypeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(json.dumps(to_jsonable_python(result), indent=2, sort_keys=True))
        return 0
    finally:
        await system.stop()


def main(
    modules: Sequence[ModuleDef],
    clients: Mapping[str, type[Client]],
    prog: str,
    argv: Sequence[str] | None = None,
    *,
    docs: Path | None = None,
    package: str | None = None,
    project: Path | None = None,
) -> int:
    """Run the command line of a generated system. ``docs``: its generated docs/ folder (what
    ``metrics`` checks for each module's documents); ``package``: the generated package (the
    NATS subject prefix, and what ``run --transport nats`` starts with ``python -m``);
    ``project``: the project root (``run --transport nats`` keeps nats-server data under
    ``.specloom/nats`` there)."""

    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] and argv[0] in ("gateway", "mock", "token"):  # the HTTP edge (extra [http])
        from .http.cli import main as http_main

        return http_main(modules, clients, prog, argv)
    args = _parser(prog).parse_args(argv)
    args.docs = docs if docs is not None else Path("docs")
    args.package = package or prog.rsplit(" ", 1)[-1]
    args.project = project if project is not None else Path.cwd()
    if docs is not None:
        args.package_root = str(docs.parent)
    try:
        env = os.environ
        if env.get("SPECLOOM_METRICS_PORT") or env.get("SPECLOOM_LOG_FORMAT") == "json":
            from . import metrics_prometheus  # optional: needs prometheus-client

            metrics_prometheus.from_env()
        return asyncio.run(_amain(args, modules, clients))
    except KeyboardInterrupt:
        return 130
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
