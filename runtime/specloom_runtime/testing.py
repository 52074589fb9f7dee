"""Checks the generated tests run: examples against mocks and implementations, edge checks.

Kept free of pytest so the runtime needs only pydantic: each check returns ``None`` when it
passed, a reason string when it could not run (pending stubs, no implementation), and raises
``AssertionError`` (or :class:`ExampleFailed`) when behaviour is wrong.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .envelope import Envelope
from .errors import DeclaredError, InvalidParams, RequestTimeout
from .matchers import example_value
from .mock import Mock
from .replay import replay
from .service import Client, pending_stubs
from .system import ModuleDef, System, impl_package
from .transport.base import Transport

__all__ = [
    "check_edge",
    "check_example",
    "check_interface_only",
    "check_system",
    "example_names",
]


def _provider(modules: Sequence[ModuleDef], key: str) -> ModuleDef:
    for d in modules:
        if any(c.key == key for c in d.provides):
            return d
    raise AssertionError(f"no module provides {key}")


def _examples(modules: Sequence[ModuleDef], key: str) -> list[Mapping[str, Any]]:
    """The examples of contract ``key`` (kept by the provider's mock)."""
    provider = _provider(modules, key)
    index = next(i for i, c in enumerate(provider.provides) if c.key == key)
    mock = provider.mocks[index]
    if not (isinstance(mock, type) and issubclass(mock, Mock)):
        raise AssertionError(f"{provider.name} serves {key} with no generated mock")
    return list(mock.EXAMPLES)


def example_names(modules: Sequence[ModuleDef], key: str) -> list[str]:
    """The names of the examples of contract ``key``, in spec order (what contract tests
    parametrize over)."""
    return [example["name"] for example in _examples(modules, key)]


async def check_example(
    modules: Sequence[ModuleDef],
    clients: Mapping[str, type[Client]],
    key: str,
    example: Mapping[str, Any] | str,
    *,
    implementation: bool,
    bus: Transport | None = None,
) -> str | None:
    """Replay ``example`` of contract ``key`` (the example, or its name) through the bus
    against its provider.

    ``bus``: the transport to run the system on (a new in-process Bus by default); the check
    starts and closes it.

    The provider is its mock, or (``implementation=True``) its implementation, with the other
    modules served as the system would serve them (implementations where complete, mocks
    elsewhere). An example touching a method still marked ``@stub`` is replayed up to the first
    step calling a stub (so the implemented methods before it are checked), then reported as
    pending.
    """
    provider = _provider(modules, key)
    if isinstance(example, str):
        named = [e for e in _examples(modules, key) if e["name"] == example]
        if not named:
            raise AssertionError(f"{key} has no example named {example!r}")
        example = named[0]
    if implementation:
        force, allow = [], [provider.name]
    else:
        force, allow = [d.name for d in modules], []
    system = System(modules, clients=clients, force_mock=force, allow_pending=allow, bus=bus)
    async with system:
        running = system.modules[provider.name]
        if implementation and running.mode != "impl":
            return f"{provider.name}: {running.reason}"
        served = next(obj for c, obj in running.host.provides if c.key == key)
        if implementation and isinstance(served, Mock):  # an older version still to be served
            return f"pending: {provider.name} serves {key} with its mock (a serve_ stub is left)"
        client = system.client(key, source_agent="contract-test")
        steps = example["steps"]
        if implementation:
            pending = set(pending_stubs(running.objects[0]))
            ready = next((i for i, step in enumerate(steps) if step["call"] in pending), None)
            if ready is not None:
                await replay(client, {**example, "steps": steps[:ready]})
                return (
                    f"pending: {len(pending)} stub(s) left in {provider.name}: "
                    f"{', '.join(sorted(pending))} (replayed {ready} of {len(steps)} steps)"
                )
        await replay(client, example)
    return None


def _first_call(mock: Mock) -> tuple[str, dict[str, Any]]:
    for example in mock.EXAMPLES:
        step = example["steps"][0]
        if not any("$var" in repr(v) for v in step.get("with", {}).values()):
            return step["call"], dict(example_value(step.get("with", {})))
    name = next(iter(mock.SPEC.methods))
    return name, {}


async def check_edge(
    modules: Sequence[ModuleDef],
    clients: Mapping[str, type[Client]],
    consumer: str,
    key: str,
    *,
    bus: Transport | None = None,
) -> None:
    """The integration point ``consumer -> provider of key``, through the bus.

    Checks a round trip from the consumer's own client (envelopes valid, addressed agent to agent,
    correlated), that a slow provider times out at the caller, and that invalid parameters and a
    declared error come back as typed exceptions. ``bus``: as in :func:`check_example`.
    """
    provider = _provider(modules, key)
    consumer_def = next(d for d in modules if d.name == consumer)
    dep = next(d for d in consumer_def.consumes if d.contract.key == key)
    force = [provider.name]  # the provider's mock makes slowness and errors controllable
    async with System(modules, clients=clients, force_mock=force, bus=bus) as system:
        seen: list[Envelope] = []
        system.bus.on_envelope(seen.append)
        client = getattr(system.deps_for(consumer_def), dep.attr)
        mock = system.modules[provider.name].objects[provider.provides.index(dep.contract)]
        assert isinstance(mock, Mock)
        method, args = _first_call(mock)
        try:
            await getattr(client, method)(**args)
        except DeclaredError:
            pass  # the first example may well be an error scenario
        request = next(e for e in seen if e.message_type == "request")
        reply = next(
            e
            for e in seen
            if e.message_type in ("response", "error")
            and e.correlation_id == request.correlation_id
        )
        for env in (request, reply):
            Envelope.model_validate_json(env.model_dump_json())
        assert request.source_agent == consumer_def.agent, request.source_agent
        assert request.target_agent == provider.agent, request.target_agent
        assert request.payload.metadata["contract"] == dep.contract.name
        assert request.payload.metadata["version"] == dep.contract.version
        assert (reply.source_agent, reply.target_agent) == (provider.agent, consumer_def.agent)

        mock.stub(method, delay=1.0)
        slow = client._with_options(timeout_ms=20)
        try:
            await getattr(slow, method)(**args)
        except RequestTimeout:
            pass
        else:
            raise AssertionError("a provider slower than timeout_ms did not time out")
        mock.reset()

        spec = dep.contract.methods[method]
        if spec.params.model_fields:
            bad = {name: object() for name in spec.params.model_fields}
            try:
                await client._call(
                    dep.contract,
                    method,
                    {k: repr(v) for k, v in bad.items()} | {"__unexpected__": 1},
                )
            except InvalidParams:
                pass
            else:
                raise AssertionError("invalid parameters were accepted")
        for name, m in dep.contract.methods.items():
            if m.errors:
                error_cls = m.errors[0]
                mock.stub(name, raises=error_cls("injected by the integration test"))
                call_args = args if name == method else _any_args(mock, name)
                try:
                    await getattr(client, name)(**call_args)
                except error_cls:
                    pass
                else:
                    raise AssertionError(f"{error_cls.code} did not reach the caller typed")
                break


def _any_args(mock: Mock, method: str) -> dict[str, Any]:
    for example in mock.EXAMPLES:
        for step in example["steps"]:
            if step["call"] == method and "$var" not in repr(step.get("with", {})):
                return dict(example_value(step.get("with", {})))
    return {}


async def check_system(
    modules: Sequence[ModuleDef], clients: Mapping[str, type[Client]]
) -> list[dict[str, Any]]:
    """Start every module (implementations where complete), check health, call each contract."""
    async with System(modules, clients=clients) as system:
        health = system.health()
        assert len(health) == len(modules)
        for row in health:
            assert row["status"] in ("ok", "mock"), row
        for key in clients:
            provider = _provider(modules, key)
            running = system.modules[provider.name]
            if running.mode != "mock":
                continue  # real implementations are exercised by their contract tests
            mock = running.objects[
                provider.provides.index(next(c for c in provider.provides if c.key == key))
            ]
            assert isinstance(mock, Mock)
            method, args = _first_call(mock)
            try:
                await getattr(system.client(key, source_agent="smoke-test"), method)(**args)
            except DeclaredError:
                pass
        return health


def check_interface_only(modules: Sequence[ModuleDef], name: str) -> str | None:
    """The seed's rules 1 and 3 on an implementation's source: it talks to other modules only
    through the contracts it consumes (one client each), never by importing their code.

    Imports of another module's implementation or generated base, of any mock or adapter, or of
    a contract the module neither provides nor consumes fail the check. Returns a reason when the
    module has no implementation file to check.
    """
    d = next(m for m in modules if m.name == name)
    package, _, own = d.deps_cls.__module__.partition(".modules.")
    impl = impl_package()
    spec = importlib.util.find_spec(f"{impl}.{name}")
    if spec is None or spec.origin is None:
        return f"{name}: no implementation"
    others = {m.name for m in modules} - {own}
    allowed = {mock.__module__.rsplit(".", 1)[-1] for mock in d.mocks}
    allowed |= {dep.client.__module__.rsplit(".", 1)[-1] for dep in d.consumes}
    source = Path(spec.origin).read_text("utf-8")
    problems = []
    for node in ast.walk(ast.parse(source, spec.origin)):
        targets: list[str] = []
        if not isinstance(node, ast.Import | ast.ImportFrom):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            if node.level:
                base = node.module or ""
                targets = [base] if base else [a.name for a in node.names]
                targets = [f"{impl}.{t}" for t in targets]
            else:
                targets = [node.module or ""]
        for target in targets:
            parts = target.split(".")
            why = ""
            if parts[0] == impl and len(parts) > 1 and parts[1] in others:
                why = "imports another module's implementation"
            elif parts[0] == package and len(parts) > 2:
                kind, item = parts[1], parts[2]
                if kind == "modules" and item != own:
                    why = "imports another module's generated base"
                elif kind in ("mocks", "adapters"):
                    why = f"imports generated {kind}"
                elif kind == "contracts" and item not in allowed:
                    why = "imports a contract it neither provides nor consumes"
            if why:
                problems.append(f"line {node.lineno}: {why}: {target}")
    assert not problems, f"{spec.origin}: " + "; ".join(problems)
    return None
