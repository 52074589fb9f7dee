"""Typed, immutable objects for a schema-valid spec set (what the user wrote, nothing computed).

``build_specset`` turns loaded documents (already checked against the JSON Schemas) into a
:class:`SpecSet`. Every object keeps its :class:`Origin`, so later checks can point at
``file:line:col``. Computed things (type hints, phases, names in generated code) live in
``generator.model.view`` and ``generator.model.plan``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..load import SpecDocument

CONTRACT_REF = re.compile(r"^([A-Z][A-Za-z0-9]*)@([1-9][0-9]*)$")
TYPE_REF = re.compile(r"^#/types/([A-Z][A-Za-z0-9]*)$")

DEFAULT_VERSIONS_KEPT = 3


class _Missing:
    """Marks an absent optional value (``None`` is a legitimate JSON value)."""

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Origin:
    """Where a spec object was written: its document and JSON path in it."""

    doc: SpecDocument = field(compare=False, repr=False)
    path: tuple[str | int, ...] = ()

    @property
    def file(self) -> str:
        return self.doc.shown

    def at(self, *more: str | int, key: bool = False) -> tuple[str, int, int]:
        line, col = self.doc.at((*self.path, *more), key=key)
        return self.doc.shown, line, col


@dataclass(frozen=True)
class ContractRef:
    name: str
    version: int
    origin: Origin = field(compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"

    @staticmethod
    def parse(text: str, origin: Origin) -> ContractRef:
        m = CONTRACT_REF.match(text)
        assert m, text  # guaranteed by the JSON Schema
        return ContractRef(m.group(1), int(m.group(2)), origin)


@dataclass(frozen=True)
class Param:
    name: str
    schema: Mapping[str, Any]
    origin: Origin

    @property
    def required(self) -> bool:
        return "default" not in self.schema

    @property
    def default(self) -> Any:
        return self.schema.get("default", MISSING)


@dataclass(frozen=True)
class Method:
    name: str
    summary: str
    description: str
    params: tuple[Param, ...]
    returns: Mapping[str, Any] | None
    errors: tuple[str, ...]
    deprecated: str
    origin: Origin
    breaking: tuple[Mapping[str, str], ...] = ()

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class ErrorDecl:
    name: str
    summary: str
    origin: Origin


@dataclass(frozen=True)
class Event:
    name: str
    summary: str
    payload: Mapping[str, Any] | None
    origin: Origin


@dataclass(frozen=True)
class Step:
    call: str
    args: Mapping[str, Any]
    bind: str
    returns: Any  # MISSING when absent
    match: str
    raises: str
    origin: Origin


@dataclass(frozen=True)
class Example:
    name: str
    description: str
    steps: tuple[Step, ...]
    origin: Origin


@dataclass(frozen=True)
class Contract:
    name: str
    version: int
    description: str
    deprecated: str
    methods: tuple[Method, ...]
    errors: tuple[ErrorDecl, ...]
    events: tuple[Event, ...]
    examples: tuple[Example, ...]
    origin: Origin
    breaking: tuple[Mapping[str, str], ...] = ()

    @property
    def key(self) -> str:
        return f"{self.name}@{self.version}"

    def method(self, name: str) -> Method | None:
        return next((m for m in self.methods if m.name == name), None)

    def error(self, name: str) -> ErrorDecl | None:
        return next((e for e in self.errors if e.name == name), None)


@dataclass(frozen=True)
class Module:
    name: str
    number: int
    agent: str
    title: str
    scope: str
    outputs: str
    phase: int | None
    provides: tuple[ContractRef, ...]
    consumes: tuple[ContractRef, ...]
    config: Mapping[str, Any]
    brief: str
    guide: str
    testing_criteria: tuple[str, ...]
    notes: tuple[str, ...]
    origin: Origin


@dataclass(frozen=True)
class TypeDef:
    name: str
    schema: Mapping[str, Any]
    origin: Origin


@dataclass(frozen=True)
class System:
    name: str
    package: str
    title: str
    version: str
    description: str
    llm: Mapping[str, Any]
    versions_kept: int
    impl_package: str
    origin: Origin


@dataclass(frozen=True)
class SpecSet:
    system: System | None
    modules: tuple[Module, ...]
    contracts: tuple[Contract, ...]
    types: tuple[TypeDef, ...]

    # Lookups go through indexes built once (a linear scan per lookup made large spec sets
    # quadratic: 1,000 modules spent seconds here). The first definition of a name wins.

    def contract(self, key: str) -> Contract | None:
        return self._index["contracts"].get(key)

    def type(self, name: str) -> TypeDef | None:
        return self._index["types"].get(name)

    def module(self, name: str) -> Module | None:
        return self._index["modules"].get(name)

    def providers(self, key: str) -> list[Module]:
        return list(self._index["providers"].get(key, ()))

    @cached_property
    def _index(self) -> dict[str, dict[str, Any]]:
        providers: dict[str, list[Module]] = {}
        for m in self.modules:
            for key in dict.fromkeys(r.key for r in m.provides):
                providers.setdefault(key, []).append(m)
        return {
            "contracts": {c.key: c for c in reversed(self.contracts)},
            "types": {t.name: t for t in reversed(self.types)},
            "modules": {m.name: m for m in reversed(self.modules)},
            "providers": providers,
        }


def default_agent(number: int, name: str) -> str:
    return f"agent-{number:02d}-{name.replace('_', '-')}"


def _system(doc: SpecDocument) -> System:
    d = doc.data
    s = d["system"]
    o = Origin(doc, ("system",))
    return System(
        name=s["name"],
        package=s.get("package", s["name"]),
        title=s["title"],
        version=s["version"],
        description=s.get("description", ""),
        llm=d.get("llm", {}),
        versions_kept=d.get("versions", {}).get("keep", DEFAULT_VERSIONS_KEPT),
        impl_package=d.get("impl", {}).get("package", "impl"),
        origin=o,
    )


def _module(doc: SpecDocument) -> Module:
    d = doc.data
    return Module(
        name=d["module"],
        number=d["number"],
        agent=d.get("agent") or default_agent(d["number"], d["module"]),
        title=d["title"],
        scope=d.get("scope", ""),
        outputs=d.get("outputs", ""),
        phase=d.get("phase"),
        provides=tuple(
            ContractRef.parse(r, Origin(doc, ("provides", i)))
            for i, r in enumerate(d.get("provides", []))
        ),
        consumes=tuple(
            ContractRef.parse(r, Origin(doc, ("consumes", i)))
            for i, r in enumerate(d.get("consumes", []))
        ),
        config=d.get("config", {}),
        brief=d.get("brief", ""),
        guide=d.get("guide", ""),
        testing_criteria=tuple(d.get("testing_criteria", [])),
        notes=tuple(d.get("notes", [])),
        origin=Origin(doc, ()),
    )


def _contract(doc: SpecDocument) -> Contract:
    d = doc.data
    methods = []
    for name, m in d["methods"].items():
        o = Origin(doc, ("methods", name))
        params = tuple(
            Param(p, schema, Origin(doc, ("methods", name, "params", p)))
            for p, schema in (m.get("params") or {}).items()
        )
        methods.append(
            Method(
                name=name,
                summary=m["summary"],
                description=m.get("description", ""),
                params=params,
                returns=m.get("returns"),
                errors=tuple(m.get("errors", [])),
                deprecated=m.get("deprecated", ""),
                origin=o,
                breaking=tuple(m.get("breaking", [])),
            )
        )
    examples = []
    for i, ex in enumerate(d.get("examples", [])):
        steps = tuple(
            Step(
                call=s["call"],
                args=s.get("with", {}),
                bind=s.get("bind", ""),
                returns=s.get("returns", MISSING),
                match=s.get("match", "exact"),
                raises=s.get("raises", ""),
                origin=Origin(doc, ("examples", i, "steps", j)),
            )
            for j, s in enumerate(ex["steps"])
        )
        examples.append(
            Example(ex["name"], ex.get("description", ""), steps, Origin(doc, ("examples", i)))
        )
    return Contract(
        name=d["contract"],
        version=d["version"],
        description=d.get("description", ""),
        deprecated=d.get("deprecated", ""),
        methods=tuple(methods),
        errors=tuple(
            ErrorDecl(n, e["summary"], Origin(doc, ("errors", n)))
            for n, e in (d.get("errors") or {}).items()
        ),
        events=tuple(
            Event(n, e["summary"], e.get("payload"), Origin(doc, ("events", n)))
            for n, e in (d.get("events") or {}).items()
        ),
        examples=tuple(examples),
        origin=Origin(doc, ()),
        breaking=tuple(d.get("breaking", [])),
    )


def build_specset(docs: list[SpecDocument]) -> SpecSet:
    """Build the typed spec set from schema-valid documents (stable order: by file path)."""
    system = None
    modules, contracts, types = [], [], []
    for doc in docs:
        if doc.kind == "system" and system is None:
            system = _system(doc)
        elif doc.kind == "module":
            modules.append(_module(doc))
        elif doc.kind == "contract":
            contracts.append(_contract(doc))
        elif doc.kind == "types":
            for name, schema in doc.data["types"].items():
                types.append(TypeDef(name, schema, Origin(doc, ("types", name))))
    modules.sort(key=lambda m: (m.number, m.name))
    contracts.sort(key=lambda c: (c.name, c.version))
    return SpecSet(system, tuple(modules), tuple(contracts), tuple(types))
