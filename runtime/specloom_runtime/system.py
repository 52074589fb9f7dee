"""Starting a whole system in one process: implementations where complete, mocks elsewhere.

The generated ``system.py`` lists a :class:`ModuleDef` per module; :class:`System` wires them on
one :class:`Bus`: each module is served by a :class:`ServiceHost` as its agent, and gets clients
for the contracts it consumes, addressed to their providers' agents.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from pydantic import ValidationError

from .bus import Bus
from .envelope import Envelope
from .errors import ContractViolation, NotImplementedYet, validation_details
from .service import Client, ContractSpec, ServiceHost, pending_stubs
from .transport.base import Transport

__all__ = ["Dependency", "ModuleDef", "ModuleRuntime", "RunningModule", "System"]


class ModuleRuntime:
    """What every generated module base gives an implementation besides its contract clients:
    publishing the events of the contracts it provides, and receiving those of the contracts it
    consumes. Topics are ``"<Contract>@<major>.<event>"``.
    """

    EVENTS: ClassVar[Mapping[str, ContractSpec]] = {}  # event name -> providing contract
    SUBSCRIBES: ClassVar[tuple[str, ...]] = ()  # topics of consumed contracts
    _bus: Transport | None = None
    _agent: str = ""

    async def emit(self, event: str, data: Mapping[str, Any]) -> int:
        """Publish ``event`` with ``data`` (checked against the event's payload schema); returns
        how many subscribers got it (0 when the module is not on a bus)."""
        contract = self.EVENTS.get(event)
        if contract is None:
            known = ", ".join(sorted(self.EVENTS)) or "none"
            raise ValueError(f"no provided contract declares event {event!r} (declared: {known})")
        topic = f"{contract.key}.{event}"
        payload: Any = dict(data)
        adapter = contract.events.get(event)
        if adapter is not None:
            try:
                value = adapter.validate_python(payload)
            except ValidationError as exc:
                raise ContractViolation(
                    f"payload of event {topic} breaks the contract", validation_details(exc)
                ) from None
            payload = adapter.dump_python(value, mode="json", exclude_unset=True)
        if not isinstance(payload, dict):
            payload = {"value": payload}  # envelope data is an object
        if self._bus is None:
            return 0
        return await self._bus.publish(Envelope.make_event(self._agent, topic, payload))

    async def on_event(self, topic: str, data: dict[str, Any]) -> None:
        """Called for each event of a consumed contract; override to react (default: ignore)."""


@dataclass(frozen=True)
class Dependency:
    """One consumed contract: the attribute on ``deps``, the client class and the provider."""

    attr: str
    contract: ContractSpec
    client: type[Client]
    provider_agent: str


@dataclass(frozen=True)
class ModuleDef:
    name: str
    number: int
    agent: str
    title: str
    provides: tuple[ContractSpec, ...]
    consumes: tuple[Dependency, ...]
    mocks: tuple[Callable[[], object], ...]
    deps_cls: Callable[..., Any]
    config_cls: Any
    impl_class: str
    serves: tuple[Callable[[Any], object] | None, ...] = ()
    """Per provided version: None when the implementation serves it, else a function of the
    implementation returning what does (an adapter of an older version, or a legacy object)."""


@dataclass
class RunningModule:
    definition: ModuleDef
    mode: str  # "impl" or "mock"
    reason: str
    host: ServiceHost
    objects: list[object] = field(default_factory=list)
    pending: int = 0

    def health(self) -> dict[str, Any]:
        data = self.host.health()
        reason = self.reason or "; ".join(data.get("drift", []))  # signature drift, if any
        data.update(module=self.definition.name, mode=self.mode, reason=reason)
        if self.mode == "mock":
            data.update(status="mock", pending_stubs=self.pending)
        return data

    async def detail(self) -> str:
        """What the implementation says about its own state now: its ``health_detail()``
        coroutine (e.g. whether the server it talks to answers), or "" when it has none."""
        if self.mode != "impl" or not self.objects:
            return ""
        hook = getattr(self.objects[0], "health_detail", None)
        if hook is None:
            return ""
        try:
            return str(await hook())
        except Exception as exc:  # noqa: BLE001 - a failing probe is shown, not raised
            return f"health_detail failed: {type(exc).__name__}: {exc}"


def impl_package() -> str:
    return os.environ.get("SPECLOOM_IMPL_PACKAGE", "impl")


def _load_impl(d: ModuleDef, package: str) -> tuple[type[Any] | None, str]:
    name = f"{package}.{d.name}"
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name in (package, name):
            return None, "no implementation"
        return None, f"import failed: {exc}"
    except Exception as exc:  # noqa: BLE001 - a broken implementation falls back to its mock
        return None, f"import failed: {type(exc).__name__}: {exc}"
    cls = getattr(module, d.impl_class, None)
    if not isinstance(cls, type):
        return None, f"{name} defines no class {d.impl_class}"
    return cls, ""


def _served(d: ModuleDef, obj: object) -> list[tuple[ContractSpec, object]]:
    """Each provided version with the object serving it; one still served by a stub: its mock."""
    out: list[tuple[ContractSpec, object]] = []
    for i, contract in enumerate(d.provides):
        serve = d.serves[i] if i < len(d.serves) else None
        try:
            out.append((contract, obj if serve is None else serve(obj)))
        except NotImplementedYet:
            out.append((contract, d.mocks[i]()))
    return out


class System:
    """All modules of a system on one bus."""

    def __init__(
        self,
        modules: Sequence[ModuleDef],
        *,
        clients: Mapping[str, type[Client]] | None = None,
        bus: Transport | None = None,
        force_mock: Iterable[str] = (),
        allow_pending: Iterable[str] = (),
        package: str | None = None,
        environ: Mapping[str, str] | None = None,
        only: Iterable[str] | None = None,
    ) -> None:
        """``only``: the modules this process hosts (default: all); the others are reached
        through the transport, served by other processes (``serve``)."""
        self.definitions = tuple(modules)
        self.clients = dict(clients or {})
        self.bus: Transport = bus or Bus()
        self.force_mock = set(force_mock)
        self.allow_pending = set(allow_pending)
        self.only = None if only is None else set(only)
        unknown = (self.force_mock | self.allow_pending | (self.only or set())) - {
            d.name for d in self.definitions
        }
        if unknown:
            raise ValueError(f"unknown module(s): {', '.join(sorted(unknown))}")
        self.package = package or impl_package()
        self.environ = environ if environ is not None else os.environ
        self.modules: dict[str, RunningModule] = {}

    def deps_for(self, d: ModuleDef) -> Any:
        clients = {
            dep.attr: dep.client(self.bus, d.agent, dep.provider_agent) for dep in d.consumes
        }
        return d.deps_cls(**clients)

    def _start_module(self, d: ModuleDef) -> RunningModule:
        if d.name in self.force_mock:
            cls, reason = None, "forced mock"
        else:
            cls, reason = _load_impl(d, self.package)
        pending: list[str] = []
        if cls is not None:
            obj = cls(deps=self.deps_for(d), config=d.config_cls.from_env(self.environ))
            pending = pending_stubs(obj)
            if not pending or d.name in self.allow_pending:
                self._connect_events(d, obj)
                host = ServiceHost(d.agent, self.bus, _served(d, obj))
                note = f"{len(pending)} stub(s) pending" if pending else ""
                return RunningModule(d, "impl", note, host, [obj])
            reason = f"{len(pending)} stub(s) pending: {', '.join(pending)}"
        mocks = [factory() for factory in d.mocks]
        host = ServiceHost(d.agent, self.bus, list(zip(d.provides, mocks, strict=True)))
        return RunningModule(d, "mock", reason, host, mocks, len(pending))

    def _connect_events(self, d: ModuleDef, obj: object) -> None:
        if not isinstance(obj, ModuleRuntime):
            return
        obj._bus, obj._agent = self.bus, d.agent

        async def deliver(envelope: Envelope, obj: ModuleRuntime = obj) -> None:
            await obj.on_event(envelope.topic or "", dict(envelope.payload.data))

        for topic in type(obj).SUBSCRIBES:
            self.bus.subscribe(topic, deliver, group=d.agent)

    async def start(self) -> System:
        await self.bus.start()
        for d in self.definitions:
            if self.only is None or d.name in self.only:
                self.modules[d.name] = self._start_module(d)
        await self.bus.ready()
        for running in self.modules.values():
            for obj in running.objects:
                hook = getattr(obj, "on_start", None)
                if hook is not None:
                    await hook()
        return self

    async def stop(self) -> None:
        """Close the transport (on NATS: stop taking requests, drain in-flight ones), then
        leave it."""
        await self.bus.close()
        for running in self.modules.values():
            running.host.close()
        for running in self.modules.values():  # release what on_start opened
            for obj in running.objects:
                hook = getattr(obj, "on_stop", None)
                if hook is not None:
                    await hook()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    def health(self) -> list[dict[str, Any]]:
        return [m.health() for m in self.modules.values()]

    def provider_of(self, key: str) -> ModuleDef:
        for d in self.definitions:
            if any(c.key == key for c in d.provides):
                return d
        raise KeyError(f"no module provides {key}")

    def client(self, key: str, source_agent: str = "cli", **options: Any) -> Client:
        """A client of contract ``key`` (e.g. ``"Database@1"``) addressed to its provider."""
        provider = self.provider_of(key)
        return self.clients[key](self.bus, source_agent, provider.agent, **options)
