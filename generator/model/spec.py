"""Typed, immutable objects for a schema-valid spec set (what the user wrote, nothing computed).

``build_specset`` turns loaded documents (already checked against the JSON Schemas) into a
:class:`SpecSet`. Every object keeps its :class:`Origin`, so later checks can point at
``file:line:col``. Computed things (type hints, phases, names in generated code) live in
``generator.model.view`` and ``generator.model.plan``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..load import SpecDocument
from .shared_types import DEF_KEYS, def_type_name, merge_all_of, normalize_schema

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
    http: Mapping[str, Any] | None = None  # REST mapping {method, path}; None: the default route

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


@dataclass(frozen=True)
class ErrorDecl:
    name: str
    summary: str
    origin: Origin
    status: int | None = None  # HTTP status (errors.<Name>.http.status); None: the default


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
    """``agent-NN-<module with dashes>``; a trailing ``_`` (``types_``) is dropped, so that the
    address stays a DNS label (the deployment files name containers and services after it)."""
    return f"agent-{number:02d}-{name.replace('_', '-').rstrip('-')}"


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
        config=normalize_schema(d.get("config", {})),
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
            Param(p, normalize_schema(schema), Origin(doc, ("methods", name, "params", p)))
            for p, schema in (m.get("params") or {}).items()
        )
        methods.append(
            Method(
                name=name,
                summary=m["summary"],
                description=m.get("description", ""),
                params=params,
                returns=normalize_schema(m.get("returns")),
                errors=tuple(m.get("errors", [])),
                deprecated=m.get("deprecated", ""),
                origin=o,
                breaking=tuple(m.get("breaking", [])),
                http=m.get("http"),
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
            ErrorDecl(
                n, e["summary"], Origin(doc, ("errors", n)), (e.get("http") or {}).get("status")
            )
            for n, e in (d.get("errors") or {}).items()
        ),
        events=tuple(
            Event(n, e["summary"], normalize_schema(e.get("payload")), Origin(doc, ("events", n)))
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
            types.extend(_types(doc))
    modules.sort(key=lambda m: (m.number, m.name))
    contracts.sort(key=lambda c: (c.name, c.version))
    return _merged(SpecSet(system, tuple(modules), tuple(contracts), tuple(types)))


def _types(doc: SpecDocument) -> list[TypeDef]:
    """The types of a types file, and each ``$defs``/``definitions`` entry (of the file, or
    inside a type) as a type of its own (see :mod:`.shared_types`)."""
    out = []
    for key in DEF_KEYS:
        for name, schema in (doc.data.get(key) or {}).items():
            out.append(
                TypeDef(def_type_name(name), normalize_schema(schema), Origin(doc, (key, name)))
            )
    for name, schema in doc.data["types"].items():
        out.append(TypeDef(name, normalize_schema(schema), Origin(doc, ("types", name))))
        for key in DEF_KEYS:
            inner = schema.get(key) if isinstance(schema, Mapping) else None
            for sub, sub_schema in (inner or {}).items():
                origin = Origin(doc, ("types", name, key, sub))
                out.append(TypeDef(def_type_name(sub), normalize_schema(sub_schema), origin))
    return out


def _merged(spec: SpecSet) -> SpecSet:
    """``allOf`` of objects merged in every data schema, once every type is known."""
    raw = {t.name: t.schema for t in spec.types}
    if not any("allOf" in repr(t.schema) for t in spec.types) and "allOf" not in repr(
        spec.contracts
    ):
        return spec

    def fix(schema: Any) -> Any:
        return merge_all_of(schema, raw.get) if schema is not None else None

    types = tuple(dataclasses.replace(t, schema=fix(t.schema)) for t in spec.types)
    contracts = tuple(
        dataclasses.replace(
            c,
            methods=tuple(
                dataclasses.replace(
                    m,
                    params=tuple(dataclasses.replace(p, schema=fix(p.schema)) for p in m.params),
                    returns=fix(m.returns),
                )
                for m in c.methods
            ),
            events=tuple(dataclasses.replace(e, payload=fix(e.payload)) for e in c.events),
        )
        for c in spec.contracts
    )
    return SpecSet(spec.system, spec.modules, contracts, types)
