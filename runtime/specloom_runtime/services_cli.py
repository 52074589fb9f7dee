"""The distributed side of ``python -m <package>``: ``serve``, ``run --transport nats`` and the
``--nats URL`` forms of ``call``/``health``/``list`` (see :mod:`specloom_runtime.cli`).

- ``serve MODULE --nats URL``: one process hosting one module on NATS; prints ``ready`` once it
  serves, drains in-flight requests on SIGINT/SIGTERM (``--drain-seconds``) and exits 0.
  ``--replicas N`` supervises N such processes (one queue group: they share the load).
- ``run --transport nats [--nats URL]``: every module as its own ``serve`` process under a
  :class:`~specloom_runtime.supervisor.Supervisor`. Without a URL a local nats-server is started
  (free port on 127.0.0.1, a fresh token, JetStream data in ``<project>/.specloom/nats``); the
  URL to give other shells is printed, token included.
- ``health --nats URL``: every process that serves a module answers the NATS services protocol
  (``$SRV.INFO``) with its pid, host, mode and status; a module nobody serves is ``down``
  (exit code 1). The DETAIL column is asked of each process when ``health`` runs (subject
  ``<package>.health.detail``): what the implementation's ``health_detail()`` says now, e.g.
  whether the LLM module's Ollama server answers.

The token may be in the URL (``nats://TOKEN@host:port``), in ``--token`` or in
``SPECLOOM_NATS_TOKEN``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import socket
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .service import Client
from .supervisor import Supervisor
from .system import ModuleDef, System
from .transport import Transport, connect

__all__ = ["remote_health", "run_nats", "serve", "transport_for"]

TOKEN_ENV = "SPECLOOM_NATS_TOKEN"


def transport_for(args: argparse.Namespace, package: str) -> Transport:
    """The transport of ``--nats URL`` (in-process without one)."""
    token = getattr(args, "token", None) or os.environ.get(TOKEN_ENV) or None
    if not args.nats:
        return connect(None, system=package)
    return connect(args.nats, system=package, token=token, client_name=f"{package}-cli")


async def serve(
    args: argparse.Namespace,
    modules: Sequence[ModuleDef],
    clients: Mapping[str, type[Client]],
    package: str,
) -> int:
    names = [d.name for d in modules]
    if args.module not in names:
        print(f"error: no module {args.module!r} (modules: {', '.join(names)})", file=sys.stderr)
        return 2
    if not args.nats:
        print("error: serve needs --nats URL (or SPECLOOM_NATS_URL)", file=sys.stderr)
        return 2
    if args.replicas > 1:
        argv = _serve_argv(package, args.nats, args.module, args.mock, args.drain_seconds)
        children = [(f"{args.module}#{i + 1}", argv) for i in range(args.replicas)]
        sup = Supervisor(children, env=_child_env(args), drain_seconds=args.drain_seconds)
        return await sup.run(asyncio.Event())
    token = getattr(args, "token", None) or os.environ.get(TOKEN_ENV) or None
    # the implementation may use the server too (e.g. JetStream resources): tell it which
    os.environ.setdefault("SPECLOOM_NATS_URL", args.nats)
    if token:
        os.environ.setdefault(TOKEN_ENV, token)
    transport = connect(
        args.nats, system=package, token=token, client_name=f"{package}-{args.module}"
    )
    system = System(
        modules, clients=clients, bus=transport, force_mock=args.mock, only=[args.module]
    )

    def metadata(agent: str) -> dict[str, str]:
        running = system.modules.get(args.module)
        row = running.health() if running else {}
        return {
            "module": args.module,
            "pid": str(os.getpid()),
            "host": socket.gethostname(),
            "transport": "nats",
            "mode": str(row.get("mode", "")),
            "status": str(row.get("status", "")),
            "pending_stubs": str(row.get("pending_stubs", "")),
        }

    transport.metadata_for = metadata  # type: ignore[attr-defined]
    try:
        await system.start()
    except ConnectionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    detail_sub = await _answer_details(transport, package, system)
    print(f"ready {args.module} pid={os.getpid()}", flush=True)
    await stop.wait()
    with contextlib.suppress(Exception):
        await detail_sub.unsubscribe()
    await transport.close(drain_seconds=args.drain_seconds)  # type: ignore[call-arg]
    await system.stop()
    return 0


def detail_subject(package: str) -> str:
    """Where ``health --nats`` asks every serving process for its modules' details now."""
    return f"{package}.health.detail"


async def _answer_details(transport: Transport, package: str, system: System) -> Any:
    """Answer each ``health --nats`` probe with ``{"agent", "pid", "detail"}`` per hosted
    module, computed when asked (``RunningModule.detail``), not when the process started."""
    nc = transport._client()  # type: ignore[attr-defined]

    async def answer(msg: Any) -> None:
        rows = [
            {
                "agent": running.definition.agent,
                "pid": os.getpid(),
                "detail": await running.detail(),
            }
            for running in system.modules.values()
        ]
        if msg.reply:
            with contextlib.suppress(Exception):
                await nc.publish(msg.reply, json.dumps(rows).encode())

    return await nc.subscribe(detail_subject(package), cb=answer)


def _serve_argv(
    package: str, url: str, module: str, mock: Sequence[str], drain: float
) -> list[str]:
    argv = [sys.executable, "-m", package, "--nats", url]
    for name in mock:
        argv += ["--mock", name]
    return [*argv, "serve", module, "--drain-seconds", str(drain)]


def _child_env(args: argparse.Namespace, token: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    token = token or getattr(args, "token", None)
    if token:
        env[TOKEN_ENV] = token
    root = Path(args.package_root) if getattr(args, "package_root", None) else None
    if root is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    return env


async def run_nats(
    args: argparse.Namespace, modules: Sequence[ModuleDef], package: str, project: Path
) -> int:
    from .natsserver import LocalNatsServer

    server: LocalNatsServer | None = None
    url = args.nats
    token = getattr(args, "token", None) or os.environ.get(TOKEN_ENV) or None
    if not url:
        data = project / ".specloom" / "nats"
        server = LocalNatsServer(data_dir=data)
        try:
            server.start()
        except (OSError, RuntimeError) as exc:
            print(f"error: cannot start nats-server: {exc}", file=sys.stderr)
            return 3
        url, token = server.url, server.token
        shown = f"nats://{server.token}@127.0.0.1:{server.port}"
        with contextlib.suppress(OSError):
            (data / "url").write_text(shown + "\n")
            (data / "url").chmod(0o600)
        print(f"nats-server on {server.url} (data in {data})", flush=True)
        print(f"other shells: python -m {package} --nats {shown} health", flush=True)
    children = [
        (d.name, _serve_argv(package, url, d.name, args.mock, args.drain_seconds)) for d in modules
    ]
    sup = Supervisor(children, env=_child_env(args, token), drain_seconds=args.drain_seconds)
    try:
        return await sup.run(asyncio.Event(), args.seconds)
    finally:
        if server is not None:
            server.stop()


async def _service_infos(transport: Transport, seconds: float = 0.5) -> list[dict[str, Any]]:
    """Every ``$SRV.INFO`` answer within ``seconds`` (one per serving process and agent)."""
    from .metrics import services

    return await services(transport, "INFO", seconds)


async def remote_health(
    args: argparse.Namespace, modules: Sequence[ModuleDef], package: str
) -> tuple[list[dict[str, Any]], int]:
    """One row per module of the running distributed system, and the exit code."""
    transport = transport_for(args, package)
    await transport.start()
    try:
        infos = await _service_infos(transport)
        processes = {
            (meta.get("host"), meta.get("pid"))
            for info in infos
            if (meta := info.get("metadata") or {}).get("system") == package
        }
        # a probe of a server that does not answer may take a few seconds (e.g. the LLM's)
        from .metrics import gather

        answers = await gather(transport, detail_subject(package), 5.0, enough=len(processes))
    finally:
        await transport.close()
    by_agent: dict[str, list[dict[str, str]]] = {}
    for info in infos:
        meta = info.get("metadata") or {}
        if meta.get("system") == package:
            by_agent.setdefault(str(meta.get("agent")), []).append(meta)
    details: dict[str, list[str]] = {}
    for answer in answers:
        for row in answer if isinstance(answer, list) else []:
            if isinstance(row, dict) and row.get("detail"):
                details.setdefault(str(row.get("agent")), []).append(str(row["detail"]))
    rows = []
    for d in modules:
        procs = by_agent.get(d.agent, [])
        rows.append(
            {
                "module": d.name,
                "agent": d.agent,
                "contracts": ",".join(c.key for c in d.provides),
                "transport": "nats",
                "processes": len(procs),
                "pids": ",".join(sorted(f"{p.get('host')}:{p.get('pid')}" for p in procs)) or "-",
                "mode": ",".join(sorted({p.get("mode", "") for p in procs})) or "-",
                "status": ",".join(sorted({p.get("status", "") for p in procs})) or "down",
                "detail": "; ".join(sorted(set(details.get(d.agent, [])))),
            }
        )
    return rows, 1 if any(r["status"] == "down" for r in rows) else 0
