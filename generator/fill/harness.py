"""The only process in which candidate code runs: it calls methods and reports what came back.

Started by :mod:`generator.fill.runner` as ``python -I -B harness.py GENERATED IMPL_ROOT
IMPL_PKG PACKAGE MODULE`` inside the sandbox, on a throwaway copy of the generated package and
the implementations.
It imports nothing from specloom: only the standard library, the generated package and the
implementations. It judges nothing either. It reads one JSON request per line on stdin and writes
one JSON reply per line on the file descriptor stdout had when it started (fd 1 is then pointed
at stderr, so whatever the candidate prints cannot mix into the replies):

``{"seq": n, "op": "start", "key": "Notes@1"}``  start a fresh system, the module's implementation
    serving contract ``key``: reply ``{"seq": n, "mode": "impl"|"mock", "reason": str,
    "served_by_mock": bool}``
``{"seq": n, "op": "call", "method": m, "args": {...}}``  call through the contract's client:
    reply ``{"seq": n, "result": <JSON>}`` or ``{"seq": n, "error": {"code", "message",
    "declared"}}``
``{"seq": n, "op": "stop"}``  stop the system: ``{"seq": n, "stopped": true}``

The first line written is ``{"hello": {"ok": true}}`` once the candidate imported (``ok`` false
and the traceback otherwise). The judge (:mod:`generator.fill.judge`, in the parent process)
compares the results with the examples and the schemas. Whatever this process says is only data:
a reply that is missing, late, malformed or out of sequence fails the candidate.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import os
import sys
import traceback
from typing import Any


def _channel() -> tuple[Any, Any]:
    """(requests, replies): private copies of stdin/stdout; fd 0 becomes /dev/null, fd 1 stderr."""
    requests = os.fdopen(os.dup(0), "r", encoding="utf-8")
    replies = os.fdopen(os.dup(1), "w", encoding="utf-8")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    os.dup2(2, 1)
    return requests, replies


def _send(replies: Any, message: dict[str, Any]) -> None:
    try:
        line = json.dumps(message, allow_nan=False, ensure_ascii=True)
    except (TypeError, ValueError) as exc:
        line = json.dumps({"seq": message.get("seq"), "unserialisable": str(exc)[:500]})
    replies.write(line + "\n")
    replies.flush()


class _Session:
    def __init__(self, package: str, module: str) -> None:
        system_module = importlib.import_module(f"{package}.system")
        self.modules = system_module.MODULES
        self.clients = system_module.CLIENTS
        runtime_system = sys.modules[type(self.modules[0]).__module__]
        base = runtime_system.__name__.rsplit(".", 1)[0]
        self.System = runtime_system.System
        self.as_json = importlib.import_module(f"{base}.replay").as_json
        errors = importlib.import_module(f"{base}.errors")
        self.DeclaredError = errors.DeclaredError
        self.SpecloomError = errors.SpecloomError
        self.module = next(d for d in self.modules if d.name == module)
        self.system: Any = None
        self.client: Any = None

    async def start(self, key: str) -> dict[str, Any]:
        await self.stop()
        system = self.System(self.modules, clients=self.clients, allow_pending=[self.module.name])
        await system.start()
        self.system = system
        running = system.modules[self.module.name]
        served = next((obj for c, obj in running.host.provides if c.key == key), None)
        mocks = tuple(m for m in self.module.mocks if isinstance(m, type))
        self.client = system.client(key, source_agent="contract-test")
        return {
            "mode": running.mode,
            "reason": str(running.reason),
            "served_by_mock": bool(mocks) and isinstance(served, mocks),
        }

    async def call(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        try:
            value = await getattr(self.client, method)(**args)
        except self.DeclaredError as exc:
            return {"error": {"code": exc.code, "message": str(exc)[:2000], "declared": True}}
        except self.SpecloomError as exc:
            return {"error": {"code": exc.code, "message": str(exc)[:2000], "declared": False}}
        return {"result": self.as_json(value)}

    async def stop(self) -> None:
        if self.system is not None:
            system, self.system = self.system, None
            await system.stop()


async def _serve(requests: Any, replies: Any, session: _Session) -> None:
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, requests.readline)
        if not line:
            await session.stop()
            return
        request = json.loads(line)
        seq, op = request.get("seq"), request.get("op")
        if op == "start":
            reply = await session.start(request["key"])
        elif op == "call":
            reply = await session.call(request["method"], request.get("args", {}))
        elif op == "stop":
            await session.stop()
            reply = {"stopped": True}
        else:
            reply = {"unknown_op": str(op)}
        _send(replies, {"seq": seq, **reply})


def main(argv: list[str]) -> int:
    generated, impl_root, impl_package, package, module = argv
    requests, replies = _channel()
    for path in (impl_root, generated):
        sys.path.insert(0, path)
    os.environ["SPECLOOM_IMPL_PACKAGE"] = impl_package
    try:
        importlib.import_module(f"{impl_package}.{module}")
        session = _Session(package, module)
    except BaseException:
        traceback.print_exc(limit=-4)
        _send(replies, {"hello": {"ok": False, "error": traceback.format_exc(limit=-4)[-3000:]}})
        return 0
    _send(replies, {"hello": {"ok": True}})
    asyncio.run(_serve(requests, replies, session))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
