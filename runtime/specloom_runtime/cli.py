"""``python -m <package> run|list|call|health|metrics``: the generated system's command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic_core import to_jsonable_python

from .errors import SpecloomError
from .metrics import MANUAL, measure
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
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start every module and serve until interrupted")
    run.add_argument("--seconds", type=float, default=None, help="stop after this long")
    sub.add_parser("list", help="list modules, agents, contracts and modes")
    sub.add_parser("health", help="print the health of every module")
    metrics = sub.add_parser(
        "metrics", help="measure the plan's success metrics (examples, integration, docs)"
    )
    metrics.add_argument(
        "--strict", action="store_true", help="exit 1 unless every module is complete"
    )
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


async def _amain(
    args: argparse.Namespace, modules: Sequence[ModuleDef], clients: Mapping[str, type[Client]]
) -> int:
    if args.command == "metrics":
        return await _metrics(args, modules, clients)
    async with System(modules, clients=clients, force_mock=args.mock) as system:
        if args.command in ("list", "health", "run"):
            rows = system.health()
            columns = (
                ("module", "agent", "contracts", "mode", "status", "pending_stubs", "reason")
                if args.command != "list"
                else ("module", "agent", "contracts", "mode")
            )
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
            params = json.loads(args.params)
        except json.JSONDecodeError as exc:
            print(f"error: params are not JSON: {exc}", file=sys.stderr)
            return 2
        if not isinstance(params, dict):
            print("error: params must be a JSON object", file=sys.stderr)
            return 2
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


def main(
    modules: Sequence[ModuleDef],
    clients: Mapping[str, type[Client]],
    prog: str,
    argv: Sequence[str] | None = None,
    *,
    docs: Path | None = None,
) -> int:
    """Run the command line of a generated system. ``docs``: its generated docs/ folder (what
    ``metrics`` checks for each module's documents)."""
    args = _parser(prog).parse_args(argv)
    args.docs = docs if docs is not None else Path("docs")
    try:
        return asyncio.run(_amain(args, modules, clients))
    except KeyboardInterrupt:
        return 130
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
