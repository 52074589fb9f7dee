"""``python -m <package> gateway | mock --http | token``: the HTTP edge's commands.

Settings (environment, ``<PACKAGE>`` is the package name in upper case):
``<PACKAGE>_GATEWAY_KEY`` or ``<PACKAGE>_DATA_DIR`` (the token key, see :mod:`.auth`),
``<PACKAGE>_GATEWAY_CORS_ORIGINS`` (comma-separated origins), ``<PACKAGE>_GATEWAY_MAX_BODY_BYTES``,
``<PACKAGE>_GATEWAY_TIMEOUT_MS``.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from ..service import Client
from ..system import ModuleDef

__all__ = ["COMMANDS", "main"]

COMMANDS = ("gateway", "mock", "token")
_KEY = re.compile(r"^[A-Z][A-Za-z0-9]*@[1-9][0-9]*$")


def package_of(clients: Mapping[str, type[Client]]) -> str:
    """The generated package's import name (where its openapi.json lives)."""
    first = next(iter(clients.values()))
    return first.__module__.split(".")[0]


def _parser(prog: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=prog, description="The system's HTTP edge.")
    sub = p.add_subparsers(dest="command", required=True)
    for name, text in (
        ("gateway", "serve every contract over HTTP (OpenAPI, page, /metrics, WS events)"),
        ("mock", "answer the contracts over HTTP with their generated mocks"),
    ):
        s = sub.add_parser(name, help=text)
        s.add_argument("--host", default="127.0.0.1", help="address to bind [127.0.0.1]")
        s.add_argument("--port", type=int, default=8000 if name == "gateway" else 8001)
        s.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
        if name == "gateway":
            s.add_argument("--nats", metavar="URL", default=None, help="forward over NATS")
            s.add_argument(
                "--mock",
                action="append",
                default=[],
                metavar="MODULE",
                help="serve MODULE with its mock (repeatable)",
            )
        else:
            s.add_argument("--http", action="store_true", help="serve over HTTP (required)")
            s.add_argument("contracts", nargs="*", metavar="CONTRACT@MAJOR", help="only these")
    t = sub.add_parser("token", help="print a bearer token signed with the local key")
    t.add_argument(
        "--scope",
        action="append",
        default=[],
        metavar="SCOPE",
        help="Contract@major, Contract@major.method, metrics, events or * (repeatable) [*]",
    )
    t.add_argument("--ttl", type=int, default=3600, metavar="SECONDS", help="lifetime [3600]")
    t.add_argument("--subject", default="cli", help="who the token is for [cli]")
    return p


def _env_int(env: Mapping[str, str], name: str, default: int) -> int:
    text = env.get(name)
    if text is None or text == "":
        return default
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{name} must be a positive integer, got {text!r}")
    return int(text)


def settings_from_env(package: str, mode: str, env: Mapping[str, str] | None = None) -> Any:
    from .app import EdgeSettings

    env = os.environ if env is None else env
    prefix = f"{package.upper()}_GATEWAY_"
    origins = tuple(o.strip() for o in env.get(prefix + "CORS_ORIGINS", "").split(",") if o.strip())
    return EdgeSettings(
        max_body_bytes=_env_int(env, prefix + "MAX_BODY_BYTES", 1 << 20),
        timeout_ms=_env_int(env, prefix + "TIMEOUT_MS", 5000),
        cors_origins=origins,
        mode=mode,
    )


def build_gateway(
    modules: Sequence[ModuleDef],
    clients: Mapping[str, type[Client]],
    *,
    package: str | None = None,
    force_mock: Sequence[str] = (),
    nats: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> Any:
    """The gateway's ASGI app for a generated system (what ``gateway`` serves)."""
    from .app import create_app
    from .auth import TokenAuthority
    from .backends import SystemBackend
    from .routes import RouteTable, load_openapi

    package = package or package_of(clients)
    table = RouteTable(load_openapi(package))
    system = None
    if nats is not None:
        system = _nats_system(modules, clients, nats, force_mock, package, environ)
    backend = SystemBackend(modules, clients, system=system, force_mock=force_mock)
    return create_app(
        table,
        backend,
        authority=TokenAuthority.for_package(package, environ),
        settings=settings_from_env(package, "gateway", environ),
    )


def _nats_system(
    modules: Sequence[ModuleDef],
    clients: Mapping[str, type[Client]],
    url: str,
    force_mock: Any,
    package: str,
    environ: Mapping[str, str] | None,
) -> Any:
    """A system that hosts nothing itself: every call goes over NATS to the ``serve``
    processes (the token of ``run --transport nats`` from the environment, as ``call`` uses)."""
    from ..services_cli import TOKEN_ENV
    from ..system import System
    from ..transport import connect

    env = os.environ if environ is None else environ
    bus = connect(
        url, system=package, token=env.get(TOKEN_ENV) or None, client_name=f"{package}-gateway"
    )
    return System(modules, clients=clients, force_mock=force_mock, bus=bus, only=())


def build_mock(
    modules: Sequence[ModuleDef],
    clients: Mapping[str, type[Client]],
    *,
    package: str | None = None,
    only: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
) -> Any:
    """The HTTP mock's ASGI app: same routes and document, answered by the mocks, no auth."""
    from .app import create_app
    from .backends import MockBackend
    from .routes import RouteTable, load_openapi

    package = package or package_of(clients)
    known = sorted({c.key for d in modules for c in d.provides})
    for key in only:
        if not _KEY.match(key) or key not in known:
            raise ValueError(f"unknown contract {key!r} (provided: {', '.join(known)})")
    keep = list(only) or None
    table = RouteTable(load_openapi(package), keep)
    return create_app(
        table,
        MockBackend(modules, clients, only=keep),
        authority=None,
        settings=settings_from_env(package, "mock", environ),
    )


def _serve(app: Any, host: str, port: int, log_level: str, what: str) -> int:
    import uvicorn

    logging.basicConfig(level=log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    print(f"{what} on http://{host}:{port} (OpenAPI: /openapi.json, page: /)", flush=True)
    config = uvicorn.Config(
        app, host=host, port=port, log_level=log_level, access_log=False, lifespan="on"
    )
    uvicorn.Server(config).run()
    return 0


def main(
    modules: Sequence[ModuleDef],
    clients: Mapping[str, type[Client]],
    prog: str,
    argv: Sequence[str],
) -> int:
    args = _parser(prog).parse_args(list(argv))
    package = package_of(clients)
    try:
        if args.command == "token":
            from .auth import TokenAuthority

            authority = TokenAuthority.for_package(package)
            print(authority.issue(args.subject, args.scope or ["*"], args.ttl))
            return 0
        if args.command == "mock":
            if not args.http:
                print("error: only `mock --http` is supported", file=sys.stderr)
                return 2
            app = build_mock(modules, clients, package=package, only=args.contracts)
            return _serve(app, args.host, args.port, args.log_level, "mock server")
        app = build_gateway(modules, clients, package=package, force_mock=args.mock, nats=args.nats)
        return _serve(app, args.host, args.port, args.log_level, "gateway")
    except ModuleNotFoundError as exc:
        print(
            f"error: the HTTP edge needs {exc.name}: pip install 'specloom-runtime[http]'",
            file=sys.stderr,
        )
        return 1
    except (ValueError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
