"""Serving contracts on the bus (ServiceHost), calling them (Client), the ``@stub`` marker.

:class:`Client` is the base of generated client proxies; ``@stub`` marks scaffold methods.

Requests carry ``payload.metadata = {"contract", "version", "method"}`` and the parameters as
``payload.data``; the host validates them with the method's params model, calls the
implementation with the validated field values, and answers ``{"result": <JSON value>}``. The
client validates that result against the contract and raises typed errors for error replies.
"""

from __future__ import annotations

import copy
import functools
import inspect
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, ParamSpec, Self, TypeVar, cast

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticSerializationError, to_jsonable_python

from .drift import method_drift
from .envelope import (
    PRIORITY_RANK,
    Envelope,
    Priority,
    _envelope,
    _payload,
    action_for,
    new_correlation_id,
    utc_timestamp,
)
from .errors import (
    ContractViolation,
    DeclaredError,
    InvalidParams,
    NotImplementedYet,
    UnknownMethod,
    error_from_payload,
    validation_details,
)
from .transport.base import Transport

__all__ = [
    "Client",
    "ContractSpec",
    "MethodSpec",
    "ServiceHost",
    "current_caller",
    "pending_stubs",
    "stub",
]

P = ParamSpec("P")
R = TypeVar("R")

STUB_MARK = "__specloom_stub__"


def stub(fn: Callable[P, R]) -> Callable[P, R]:
    """Mark a scaffold method still to be implemented; calling it raises NotImplementedYet.

    Works on ``async def`` (the usual case) and plain functions; the signature is kept.
    """
    message = f"{fn.__qualname__} is not implemented yet"
    details = {"method": fn.__name__}
    wrapper: Callable[..., Any]
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_stub(*args: Any, **kwargs: Any) -> Any:
            raise NotImplementedYet(message, details)

        wrapper = async_stub
    else:

        @functools.wraps(fn)
        def sync_stub(*args: Any, **kwargs: Any) -> Any:
            raise NotImplementedYet(message, details)

        wrapper = sync_stub
    wrapper.__dict__[STUB_MARK] = True
    return cast(Callable[P, R], wrapper)


def pending_stubs(obj: object) -> list[str]:
    """Sorted names of the methods of ``obj`` still marked with ``@stub``."""
    names = []
    for name in dir(type(obj)):
        if name.startswith("__"):
            continue
        attr = inspect.getattr_static(obj, name, None)
        if isinstance(attr, staticmethod | classmethod):
            attr = attr.__func__
        if getattr(attr, STUB_MARK, False) is True:
            names.append(name)
    return names


@dataclass(frozen=True)
class MethodSpec:
    """One contract method: params model, result adapter and declared errors."""

    name: str
    params: type[BaseModel]
    result: TypeAdapter[Any]
    errors: tuple[type[DeclaredError], ...] = ()
    declared: Mapping[str, type[DeclaredError]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "declared", {err.code: err for err in self.errors})


@dataclass(frozen=True)
class ContractSpec:
    """One version of a contract. Equal and hashed by ``(name, version)``."""

    name: str
    version: int
    methods: Mapping[str, MethodSpec] = field(compare=False)
    events: Mapping[str, TypeAdapter[Any]] = field(default_factory=dict, compare=False)
    """Payload types of the events the provider publishes, by event name."""

    @property
    def key(self) -> str:
        """``"Database@1"``."""
        return f"{self.name}@{self.version}"


_Route = tuple[MethodSpec, Callable[..., Awaitable[Any]]]

current_caller: ContextVar[str | None] = ContextVar("specloom_current_caller", default=None)
"""The agent whose request is being served (set by :class:`ServiceHost` around each call): a
mock keeps scenario state per caller. None outside a served request."""


CallObserver = Callable[[str, str, str, str, str], Callable[[str], None]]
"""``observer(side, agent, contract, method, correlation_id)`` is called when a call starts
(side ``"server"`` in the host serving it, ``"client"`` in the caller; contract ``Name@major``,
``"unknown"`` for a route the host does not serve) and returns a function called with the
outcome (``"ok"``, or the error code of the reply) when it ends. None are installed by default:
:func:`specloom_runtime.metrics_prometheus.enable` installs one."""
CALL_OBSERVERS: list[CallObserver] = []


async def _observed(
    side: str,
    agent: str,
    contract: str,
    method: str,
    request: Envelope,
    call: Callable[[Envelope], Awaitable[Envelope]],
) -> Envelope:
    finish = [o(side, agent, contract, method, request.correlation_id) for o in CALL_OBSERVERS]
    outcome = "exception"
    try:
        reply = await call(request)
        outcome = "ok" if reply.message_type != "error" else str(reply.payload.data.get("code"))
        return reply
    finally:
        for done in finish:
            done(outcome)


async def request_result(
    bus: Transport, source: str, contract: ContractSpec, method: str, request: Envelope
) -> Any:
    """Send ``request`` (a call of ``contract.method``) from ``source`` over ``bus``, observed
    by the :data:`CALL_OBSERVERS`; the reply's ``result`` as it came off the wire.

    Raises the declared or standard error of an error reply, ContractViolation when the reply
    carries no result. Shared by generated clients and the HTTP edge, which validate the result
    against their own schema afterwards.
    """
    if CALL_OBSERVERS:
        reply = await _observed("client", source, contract.key, method, request, bus.request)
    else:
        reply = await bus.request(request)
    payload = reply.payload.data
    if reply.message_type == "error":
        raise error_from_payload(payload, contract.methods[method].declared)
    if "result" not in payload:
        raise ContractViolation(f"{contract.key}.{method} reply has no result", {})
    return payload["result"]


class ServiceHost:
    """Serves implementations of contracts as one agent on a transport (``bus``).

    Registers ``self.handle`` for ``agent_id`` at construction. Exceptions other than declared
    errors propagate out of ``handle``; the bus turns them into error envelopes.
    """

    def __init__(
        self,
        agent_id: str,
        bus: Transport,
        provides: Sequence[tuple[ContractSpec, object]],
        *,
        concurrency: int | None = None,
    ) -> None:
        self.agent_id = agent_id
        self.bus = bus
        self.provides = tuple(provides)
        self._routes: dict[tuple[str, int, str], _Route] = {}
        self.drift: list[
            str
        ] = []  # methods whose signature no longer fits (specloom_runtime.drift)
        for contract, impl in self.provides:
            if any(key[:2] == (contract.name, contract.version) for key in self._routes):
                raise ValueError(f"{agent_id!r} provides {contract.key} twice")
            for name, spec in contract.methods.items():
                method = getattr(impl, name, None)
                if not callable(method):
                    raise TypeError(
                        f"{type(impl).__name__} lacks method {name!r} of {contract.key}"
                    )
                self._routes[(contract.name, contract.version, name)] = (spec, method)
                if problem := method_drift(contract.key, name, spec.params, method):
                    self.drift.append(problem)
        bus.register(agent_id, self.handle, concurrency=concurrency, routes=list(self._routes))

    @property
    def contracts(self) -> list[str]:
        """Keys of the provided contracts, e.g. ``["Database@1"]``."""
        return [contract.key for contract, _ in self.provides]

    def handle(self, request: Envelope) -> Awaitable[Envelope]:
        """Serve one request envelope: an awaitable of its response or error envelope (the
        serving coroutine itself, no extra frame, unless call observers are installed)."""
        if CALL_OBSERVERS:
            m = request.payload.metadata
            route = (m.get("contract"), m.get("version"), m.get("method"))
            known = all(type(part) in (str, int) for part in route) and route in self._routes
            contract, method = "unknown", "unknown"
            if known:
                contract, method = f"{route[0]}@{route[1]}", str(route[2])
            return _observed("server", self.agent_id, contract, method, request, self._serve)
        return self._serve(request)

    async def _serve(self, request: Envelope) -> Envelope:
        metadata = request.payload.metadata
        contract = metadata.get("contract")
        version = metadata.get("version")
        method = metadata.get("method")
        route = (
            self._routes.get((contract, version, method))
            if type(contract) is str and type(version) is int and type(method) is str
            else None
        )
        if route is None:
            return request.make_error(
                "unknown_method",
                f"{self.agent_id!r} does not serve {contract}@{version}.{method}",
                {
                    "contract": contract,
                    "version": version,
                    "method": method,
                    "provides": self.contracts,
                },
            )
        spec, implementation = route
        try:
            params = spec.params.model_validate(request.payload.data)
        except ValidationError as exc:
            return request.make_error(
                "invalid_params",
                f"invalid parameters for {contract}@{version}.{method}",
                validation_details(exc),
            )
        token = current_caller.set(request.source_agent)
        try:
            result = await implementation(**params.__dict__)
        except DeclaredError as exc:
            if exc.code in spec.declared:
                return request.make_error(exc.code, exc.message, exc.details)
            return request.make_error(
                "contract_violation",
                f"{contract}@{version}.{method} raised undeclared error {exc.code!r}",
                {"error": exc.to_payload()},
            )
        finally:
            current_caller.reset(token)
        try:
            # Fields the implementation left unset stay off the wire (an optional property
            # that is not nullable must be absent, not null); the caller refills defaults.
            value = spec.result.dump_python(result, mode="json", warnings=False, exclude_unset=True)
        except PydanticSerializationError as exc:
            return request.make_error(
                "contract_violation",
                f"{contract}@{version}.{method} returned an unserialisable result",
                {"error": str(exc), "result_type": type(result).__name__},
            )
        return request.make_response(value)

    def health(self) -> dict[str, Any]:
        """``{"agent", "contracts", "pending_stubs", "status": "ok" | "pending" | "drift"}``,
        plus ``"drift"`` (what no longer fits) when a method's signature drifted."""
        implementations = {id(impl): impl for _, impl in self.provides}.values()
        pending = sum(len(pending_stubs(impl)) for impl in implementations)
        data: dict[str, Any] = {
            "agent": self.agent_id,
            "contracts": self.contracts,
            "pending_stubs": pending,
            "status": "drift" if self.drift else "ok" if pending == 0 else "pending",
        }
        if self.drift:
            data["drift"] = list(self.drift)
        return data

    def close(self) -> None:
        """Leave the bus."""
        self.bus.unregister(self.agent_id)


_PRIMITIVES: frozenset[type] = frozenset({str, int, bool, float, type(None)})


def wire_json(value: Any) -> Any:
    """JSON of call parameters as sent: a model's unset optional fields stay off the wire
    (absent, not null, as the schema says), aliases are the JSON property names."""
    kind = type(value)
    if kind in _PRIMITIVES:
        return value  # what to_jsonable_python returns for these, without the call
    if kind is dict:
        primitives = _PRIMITIVES
        return {
            key: item if type(item) in primitives else wire_json(item)
            for key, item in value.items()
        }
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, dict):
        return {key: wire_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [wire_json(item) for item in value]
    return to_jsonable_python(value)


class Client:
    """Base of generated client proxies: turns method calls into bus requests.

    Options live in underscore attributes so they never collide with contract method names.
    """

    def __init__(
        self,
        bus: Transport,
        source_agent: str,
        target_agent: str,
        *,
        priority: Priority = "medium",
        timeout_ms: int = 5000,
    ) -> None:
        if not source_agent or not target_agent:
            raise ValueError("source_agent and target_agent must be non-empty")
        if priority not in PRIORITY_RANK:
            raise ValueError(f"invalid priority {priority!r}")
        if type(timeout_ms) is not int or timeout_ms < 1:
            raise ValueError(f"timeout_ms must be an int >= 1, got {timeout_ms!r}")
        self._bus = bus
        self._source_agent = source_agent
        self._target_agent = target_agent
        self._priority: Priority = priority
        self._timeout_ms = timeout_ms

    def _with_options(
        self, *, priority: Priority | None = None, timeout_ms: int | None = None
    ) -> Self:
        """A copy of this client with another priority and/or timeout (same class)."""
        clone = copy.copy(self)
        Client.__init__(
            clone,
            self._bus,
            self._source_agent,
            self._target_agent,
            priority=self._priority if priority is None else priority,
            timeout_ms=self._timeout_ms if timeout_ms is None else timeout_ms,
        )
        return clone

    async def _call(self, contract: ContractSpec, method: str, params: dict[str, Any]) -> Any:
        """Request ``contract.method(**params)`` and return the contract-validated result.

        Raises the declared or standard error of an error reply, ContractViolation when the
        result breaks the contract.
        """
        spec = contract.methods.get(method)
        if spec is None:
            raise UnknownMethod(f"{contract.key} has no method {method!r}", {"method": method})
        try:
            data = wire_json(params)
        except PydanticSerializationError as exc:
            raise InvalidParams(
                f"parameters of {contract.key}.{method} are not JSON", {"error": str(exc)}
            ) from None
        # Envelope.make_request without its argument checks: this client checked its agents,
        # priority and timeout when it was made.
        request = _envelope(
            utc_timestamp(),
            self._source_agent,
            self._target_agent,
            "request",
            new_correlation_id(),
            _payload(
                action_for(method),
                data,
                {"contract": contract.name, "version": contract.version, "method": method},
            ),
            self._priority,
            self._timeout_ms,
        )
        if CALL_OBSERVERS:
            result = await request_result(self._bus, self._source_agent, contract, method, request)
        else:  # request_result, inline
            reply = await self._bus.request(request)
            payload = reply.payload.data
            if reply.message_type == "error":
                raise error_from_payload(payload, spec.declared)
            if "result" not in payload:
                raise ContractViolation(f"{contract.key}.{method} reply has no result", {})
            result = payload["result"]
        try:
            return spec.result.validate_python(result)
        except ValidationError as exc:
            raise ContractViolation(
                f"{contract.key}.{method} returned a result that breaks the contract",
                validation_details(exc),
            ) from None
