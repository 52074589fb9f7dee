"""What the HTTP edge forwards to: the running system (gateway) or per-session mocks (mock).

A backend calls ``Contract@major.method`` with JSON parameters and returns the JSON result (as
the contract serialises it), or raises the runtime's typed errors.
"""

from __future__ import annotations

import copy
import itertools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from pydantic_core import to_jsonable_python

from ..bus import Bus
from ..envelope import Envelope
from ..errors import DeclaredError
from ..service import Client, ContractSpec, ServiceHost, request_result
from ..system import ModuleDef, System
from ..transport.base import Transport

__all__ = ["Backend", "MockBackend", "PreferError", "SystemBackend", "parse_prefer"]

Observer = Callable[[Envelope], None]


class PreferError(Exception):
    """A ``Prefer`` header the mock cannot honour (answered 400)."""


def _specs(modules: Sequence[ModuleDef]) -> dict[str, ContractSpec]:
    return {c.key: c for d in modules for c in d.provides}


async def forward(
    bus: Transport,
    source: str,
    target: str,
    spec: ContractSpec,
    method: str,
    params: dict[str, Any],
    *,
    timeout_ms: int,
    correlation_id: str | None = None,
) -> Any:
    """The JSON result of ``spec.method(**params)`` sent over ``bus`` to ``target``.

    What a generated client's call does, minus what the edge does itself: ``params`` are JSON
    already (parsed from the request) and the result is checked by the caller against the
    OpenAPI return schema, so it is returned as it came off the wire. The request envelope
    carries ``correlation_id`` (the id a problem body reports). Raises the declared or
    standard error of an error reply.
    """
    request = Envelope.make_request(
        source,
        target,
        spec.name,
        spec.version,
        method,
        params,
        timeout_ms=timeout_ms,
        correlation_id=correlation_id,
    )
    return await request_result(bus, source, spec, method, request)


class Backend:
    """Base: the contracts served, calls, health, and the bus traffic for ``/ws/events``."""

    def __init__(self, modules: Sequence[ModuleDef], clients: Mapping[str, type[Client]]) -> None:
        self.modules = tuple(modules)
        self.clients = dict(clients)
        self.specs = _specs(self.modules)
        self._observers: list[Observer] = []

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def health(self) -> list[dict[str, Any]]:
        return []

    async def call(
        self,
        key: str,
        method: str,
        params: dict[str, Any],
        *,
        timeout_ms: int,
        correlation_id: str | None = None,
    ) -> Any:
        """The JSON result of ``key.method(**params)``; the request envelope carries
        ``correlation_id``."""
        raise NotImplementedError

    def observe(self, callback: Observer) -> Callable[[], None]:
        self._observers.append(callback)

        def remove() -> None:
            if callback in self._observers:
                self._observers.remove(callback)

        return remove

    def _envelope(self, envelope: Envelope) -> None:
        for callback in list(self._observers):
            callback(envelope)


class SystemBackend(Backend):
    """The whole system in this process (implementations where complete, mocks elsewhere)."""

    def __init__(
        self,
        modules: Sequence[ModuleDef],
        clients: Mapping[str, type[Client]],
        *,
        system: System | None = None,
        force_mock: Iterable[str] = (),
    ) -> None:
        super().__init__(modules, clients)
        self.system = system or System(modules, clients=clients, force_mock=force_mock)
        self._targets: dict[str, str] = {}
        self._unobserve: Callable[[], None] | None = None

    async def start(self) -> None:
        await self.system.start()
        self._unobserve = self.system.bus.on_envelope(self._envelope)

    async def stop(self) -> None:
        if self._unobserve is not None:
            self._unobserve()
        await self.system.stop()

    def health(self) -> list[dict[str, Any]]:
        return self.system.health()

    async def call(
        self,
        key: str,
        method: str,
        params: dict[str, Any],
        *,
        timeout_ms: int,
        correlation_id: str | None = None,
    ) -> Any:
        target = self._targets.get(key)
        if target is None:
            target = self._targets[key] = self.system.provider_of(key).agent
        return await forward(
            self.system.bus,
            "gateway",
            target,
            self.specs[key],
            method,
            params,
            timeout_ms=timeout_ms,
            correlation_id=correlation_id,
        )


class _Session:
    """One client's mocks on a bus of their own: scenarios advance per session."""

    def __init__(self, modules: Sequence[ModuleDef]) -> None:
        self.bus = Bus()
        self.mocks: dict[str, Any] = {}
        self.hosts = []
        self.agents: dict[str, str] = {}
        self.calls: list[dict[str, Any]] = []
        for d in modules:
            pairs = []
            for contract, factory in zip(d.provides, d.mocks, strict=True):
                mock = factory()
                self.mocks[contract.key] = mock
                pairs.append((contract, mock))
            if pairs:
                self.hosts.append(ServiceHost(d.agent, self.bus, pairs))
                for contract, _ in pairs:
                    self.agents[contract.key] = d.agent

    async def start(self, observer: Observer) -> None:
        await self.bus.start()
        self.bus.on_envelope(observer)

    async def close(self) -> None:
        for host in self.hosts:
            host.close()
        await self.bus.close()


def parse_prefer(header: str | None) -> dict[str, str]:
    """``Prefer: example=create-then-read, code=404`` -> ``{"example": ..., "code": "404"}``."""
    out: dict[str, str] = {}
    for part in (header or "").split(","):
        for token in part.split(";"):
            name, sep, value = token.strip().partition("=")
            if sep and name.strip():
                out[name.strip().lower()] = value.strip().strip('"')
    return out


def _has_var(value: Any) -> bool:
    if isinstance(value, dict):
        return "$var" in value or any(_has_var(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_var(v) for v in value)
    return False


class MockBackend(Backend):
    """The contracts answered by their generated mocks, one set per session."""

    SESSION_HEADER = "x-mock-session"

    def __init__(
        self,
        modules: Sequence[ModuleDef],
        clients: Mapping[str, type[Client]],
        *,
        only: Iterable[str] | None = None,
        max_sessions: int = 1000,
    ) -> None:
        keep = set(only) if only is not None else None
        chosen = []
        for d in modules:
            pairs = [
                (c, f)
                for c, f in zip(d.provides, d.mocks, strict=True)
                if keep is None or c.key in keep
            ]
            if pairs:
                provides = tuple(c for c, _ in pairs)
                mocks = tuple(f for _, f in pairs)
                chosen.append(
                    ModuleDef(
                        d.name,
                        d.number,
                        d.agent,
                        d.title,
                        provides,
                        (),
                        mocks,
                        d.deps_cls,
                        d.config_cls,
                        d.impl_class,
                    )
                )
        super().__init__(chosen, clients)
        self.sessions: dict[str, _Session] = {}
        self.max_sessions = max_sessions
        self._seq = itertools.count(1)

    async def stop(self) -> None:
        for session in self.sessions.values():
            await session.close()
        self.sessions.clear()

    def health(self) -> list[dict[str, Any]]:
        return [
            {
                "module": d.name,
                "agent": d.agent,
                "contracts": [c.key for c in d.provides],
                "mode": "mock",
                "status": "mock",
            }
            for d in self.modules
        ]

    async def session(self, name: str) -> _Session:
        found = self.sessions.get(name)
        if found is None:
            if len(self.sessions) >= self.max_sessions:  # forget the oldest
                oldest = next(iter(self.sessions))
                await self.sessions.pop(oldest).close()
            found = _Session(self.modules)
            await found.start(self._envelope)
            self.sessions[name] = found
        return found

    async def reset(self, name: str | None) -> int:
        names = list(self.sessions) if name is None else [n for n in [name] if n in self.sessions]
        for n in names:
            await self.sessions.pop(n).close()
        return len(names)

    async def call(
        self,
        key: str,
        method: str,
        params: dict[str, Any],
        *,
        timeout_ms: int,
        correlation_id: str | None = None,
        session: str = "",
        prefer: Mapping[str, str] | None = None,
        error_statuses: Mapping[str, int] | None = None,
    ) -> Any:
        s = await self.session(session)
        spec = self.specs[key]
        mock = s.mocks[key]
        if prefer:
            self._prefer(mock, spec, method, params, prefer, error_statuses or {})
        entry: dict[str, Any] = {
            "seq": next(self._seq),
            "contract": key,
            "method": method,
            "params": copy.deepcopy(params),
        }
        s.calls.append(entry)
        try:
            result = await forward(
                s.bus,
                "mock-http",
                s.agents[key],
                spec,
                method,
                params,
                timeout_ms=timeout_ms,
                correlation_id=correlation_id,
            )
        except DeclaredError as exc:
            entry["error"] = exc.code
            raise
        except Exception as exc:
            entry["error"] = getattr(exc, "code", type(exc).__name__)
            raise
        entry["result"] = result
        return result

    def _prefer(
        self,
        mock: Any,
        spec: ContractSpec,
        method: str,
        params: Mapping[str, Any],
        prefer: Mapping[str, str],
        statuses: Mapping[str, int],
    ) -> None:
        errors = {cls.code: cls for cls in spec.methods[method].errors}
        if "code" in prefer:
            wanted = prefer["code"]
            if wanted == "200":
                return
            for code, status in statuses.items():
                if str(status) == wanted and code in errors:
                    error = errors[code](f"{code} (mock: Prefer code={wanted})")
                    mock.stub(method, raises=error, times=1)
                    return
            raise PreferError(f"{spec.key}.{method} declares no error with status {wanted}")
        name = prefer.get("example")
        if name is None:
            return
        example = next((e for e in type(mock).EXAMPLES if _slug(e["name"]) == _slug(name)), None)
        if example is None:
            raise PreferError(f"{spec.key} has no example named {name!r}")
        steps = [s for s in example["steps"] if s["call"] == method]
        if not steps:
            raise PreferError(f"example {example['name']!r} does not call {method}")
        step = next(
            (s for s in steps if all(params.get(k) == v for k, v in s.get("with", {}).items())),
            steps[0],
        )
        if "raises" in step:
            code = step["raises"]
            error = errors[code](f"{code} (mock: example {example['name']!r})")
            mock.stub(method, raises=error, times=1)
            return
        value = step.get("returns", step.get("default"))
        if _has_var(value):
            value = step.get("default")
        elif step.get("match") == "subset" and isinstance(value, dict):
            value = {**(step.get("default") or {}), **value}
        mock.stub(method, returns=to_jsonable_python(value), times=1)

    def calls(self, session: str) -> list[dict[str, Any]]:
        found = self.sessions.get(session)
        return list(found.calls) if found else []


def _slug(name: str) -> str:
    """An example's key in the OpenAPI document: ``create then read`` -> ``create-then-read``."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()
