"""Compare two versions of one contract: methods, params, results, errors, events, examples.

Each check is a small generator of :class:`Finding` objects, classified by a rule of
``generator.diff.rules``. Findings are located in NEW where the changed thing still exists there
(for a removed method: the ``methods`` key of NEW), else in OLD.

Data schemas are compared by ``generator.diff.schema``; the direction data flows decides what
breaks: parameters are inputs (a narrowed schema rejects old callers), results and event payloads
are outputs (a widened schema surprises old readers).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from ..model.spec import Contract, Method, Origin, Param
from .report import Finding
from .schema import Side, compare_schemas

Types = Mapping[str, tuple[Any, Origin]]

# kind of schema change -> (rule when it breaks this direction, rule when it does not)
INPUT_RULES = {
    "TYPE": ("PARAM_SAME_TYPE", "TYPE_WIDENED"),
    "ENUM": ("ENUM_VALUE_NO_DELETE", "ENUM_VALUE_ADDED"),
    "CONSTRAINT": ("CONSTRAINT_NO_TIGHTEN", "CONSTRAINT_LOOSENED"),
    "PROPERTY_ADDED": ("REQUIRED_PROPERTY_NO_ADD", "PROPERTY_ADDED"),
    "PROPERTY_REMOVED": ("PROPERTY_NO_DELETE", "PROPERTY_REMOVED"),
    "REQUIRED": ("REQUIRED_PROPERTY_NO_ADD", "PROPERTY_REQUIRED_CHANGED"),
    "DEFAULT": ("DEFAULT_NO_CHANGE", "DEFAULT_NO_CHANGE"),
}
OUTPUT_RULES = {
    "TYPE": ("RETURN_SAME_TYPE", "TYPE_NARROWED"),
    "ENUM": ("ENUM_VALUE_NO_ADD", "ENUM_VALUE_REMOVED"),
    "CONSTRAINT": ("CONSTRAINT_NO_LOOSEN", "CONSTRAINT_TIGHTENED"),
    "PROPERTY_ADDED": ("CLOSED_OBJECT_NO_ADD", "PROPERTY_ADDED"),
    "PROPERTY_REMOVED": ("PROPERTY_NO_DELETE", "PROPERTY_REMOVED"),
    "REQUIRED": ("PROPERTY_REQUIRED_NO_REMOVE", "PROPERTY_REQUIRED_CHANGED"),
    # a default in an output schema only fills what a reader does not receive: not a change
}
EVENT_RULES = {**OUTPUT_RULES, "TYPE": ("EVENT_SAME_TYPE", "TYPE_NARROWED")}


def at(origin: Origin, *path: str | int, key: bool = False) -> tuple[str, int, int]:
    return origin.at(*path, key=key)


class ContractDiff:
    """Findings between ``old`` and ``new`` (two versions of one contract, or the same one)."""

    def __init__(self, old: Contract, new: Contract, old_types: Types, new_types: Types) -> None:
        self.old, self.new = old, new
        self.old_types, self.new_types = old_types, new_types

    def finding(
        self, rule: str, method: str, message: str, where: tuple[str, int, int], in_new: bool = True
    ) -> Finding:
        return Finding(rule, self.new.key, method, message, *where, in_new=in_new)

    def all(self) -> Iterator[Finding]:
        yield from self.contract_level()
        yield from self.methods()
        yield from self.events()
        yield from self.examples()

    def contract_level(self) -> Iterator[Finding]:
        o, n = self.old, self.new
        if n.deprecated and not o.deprecated:
            msg = f"deprecated: {n.deprecated}"
            yield self.finding("CONTRACT_DEPRECATED", "", msg, at(n.origin, "deprecated"))
        if o.description != n.description:
            yield self.finding(
                "DOC_CHANGED", "", "description changed", at(n.origin, "description")
            )

    def methods(self) -> Iterator[Finding]:
        for m in self.old.methods:
            nm = self.new.method(m.name)
            if nm is None:
                where = at(self.new.origin, "methods", key=True)
                yield self.finding("METHOD_NO_DELETE", m.name, "method removed", where)
            else:
                yield from self.method(m, nm)
        for m in self.new.methods:
            if self.old.method(m.name) is None:
                yield self.finding("METHOD_ADDED", m.name, "method added", at(m.origin, key=True))

    def method(self, o: Method, n: Method) -> Iterator[Finding]:
        if n.deprecated and not o.deprecated:
            msg = f"deprecated: {n.deprecated}"
            yield self.finding("METHOD_DEPRECATED", n.name, msg, at(n.origin, "deprecated"))
        if (o.summary, o.description) != (n.summary, n.description):
            what = "summary" if o.summary != n.summary else "description"
            yield self.finding("DOC_CHANGED", n.name, f"{what} changed", at(n.origin, what))
        yield from self.params(o, n)
        yield from self.returns(o, n)
        yield from self.errors(o, n)

    def params(self, o: Method, n: Method) -> Iterator[Finding]:
        for p in o.params:
            np_ = n.param(p.name)
            if np_ is None:
                where = at(n.origin, "params", key=True)
                msg = f"parameter {p.name!r} removed"
                yield self.finding("PARAM_NO_DELETE", n.name, msg, where)
            else:
                yield from self.param(n, p, np_)
        for p in n.params:
            if o.param(p.name) is None:
                where = at(p.origin, key=True)
                if p.required:
                    msg = f"required parameter {p.name!r} added"
                    yield self.finding("REQUIRED_PARAM_NO_ADD", n.name, msg, where)
                else:
                    msg = f"optional parameter {p.name!r} added (default {p.default!r})"
                    yield self.finding("PARAM_ADDED", n.name, msg, where)

    def param(self, n: Method, op: Param, np_: Param) -> Iterator[Finding]:
        name = f"parameter {np_.name!r}"
        if op.required and not np_.required:
            msg = f"{name} became optional (default {np_.default!r})"
            yield self.finding("PARAM_DEFAULT_ADDED", n.name, msg, at(np_.origin, "default"))
        elif np_.required and not op.required:
            msg = f"{name} became required (its default {op.default!r} was removed)"
            yield self.finding("PARAM_NO_REQUIRE", n.name, msg, at(np_.origin, key=True))
        elif not op.required and _canon(op.default) != _canon(np_.default):
            msg = f"{name}: default {op.default!r} -> {np_.default!r}"
            yield self.finding("DEFAULT_NO_CHANGE", n.name, msg, at(np_.origin, "default"))
        old = Side(op.schema, op.origin, (), self.old_types)
        new = Side(np_.schema, np_.origin, (), self.new_types)
        yield from self.schema_findings(n, name, old, new, INPUT_RULES, narrowing_breaks=True)

    def returns(self, o: Method, n: Method) -> Iterator[Finding]:
        if o.returns is None and n.returns is None:
            return
        if o.returns is None or n.returns is None:
            before = "nothing" if o.returns is None else "a value"
            after = "nothing" if n.returns is None else "a value"
            where = at(n.origin, "returns") if n.returns is not None else at(n.origin, key=True)
            msg = f"result changed from {before} to {after}"
            yield self.finding("RETURN_SAME_TYPE", n.name, msg, where)
            return
        old = Side(o.returns, o.origin, ("returns",), self.old_types)
        new = Side(n.returns, n.origin, ("returns",), self.new_types)
        yield from self.schema_findings(n, "result", old, new, OUTPUT_RULES, narrowing_breaks=False)

    def schema_findings(
        self,
        n: Method | None,
        label: str,
        old: Side,
        new: Side,
        rules: Mapping[str, tuple[str, str]],
        *,
        narrowing_breaks: bool,
    ) -> Iterator[Finding]:
        for change in compare_schemas(old, new):
            if change.kind not in rules:
                continue
            breaks = change.narrows if narrowing_breaks else change.widens
            rule = rules[change.kind][0 if breaks else 1]
            where = change.new_at or new.at() or ("", 0, 0)
            inside = f" at {change.where}" if change.where else ""
            msg = f"{label}{inside}: {change.detail}"
            yield self.finding(rule, n.name if n else "", msg, where)

    def errors(self, o: Method, n: Method) -> Iterator[Finding]:
        for err in n.errors:
            if err not in o.errors:
                where = at(n.origin, "errors", n.errors.index(err))
                yield self.finding("ERROR_NO_ADD", n.name, f"may now raise {err}", where)
        for err in o.errors:
            if err not in n.errors:
                where = at(n.origin, "errors") if n.errors else at(n.origin, key=True)
                yield self.finding("ERROR_NO_DELETE", n.name, f"no longer declares {err}", where)

    def events(self) -> Iterator[Finding]:
        new_events = {e.name: e for e in self.new.events}
        old_events = {e.name: e for e in self.old.events}
        for name, e in old_events.items():
            ne = new_events.get(name)
            if ne is None:
                where = at(self.new.origin, "events", key=True)
                yield self.finding("EVENT_NO_DELETE", "", f"event {name!r} removed", where)
                continue
            if (e.payload is None) != (ne.payload is None):
                msg = f"event {name!r}: payload {'added' if e.payload is None else 'removed'}"
                yield self.finding("EVENT_SAME_TYPE", "", msg, at(ne.origin, key=True))
            elif e.payload is not None and ne.payload is not None:
                old = Side(e.payload, e.origin, ("payload",), self.old_types)
                new = Side(ne.payload, ne.origin, ("payload",), self.new_types)
                yield from self.schema_findings(
                    None, f"event {name!r} payload", old, new, EVENT_RULES, narrowing_breaks=False
                )
        for name, e in new_events.items():
            if name not in old_events:
                msg = f"event {name!r} added"
                yield self.finding("EVENT_ADDED", "", msg, at(e.origin, key=True))

    def examples(self) -> Iterator[Finding]:
        old_docs = self.old.origin.doc.data.get("examples") or []
        new_docs = self.new.origin.doc.data.get("examples") or []
        old_by_name = {ex.get("name"): ex for ex in old_docs}
        new_names = {ex.get("name") for ex in new_docs}
        for i, ex in enumerate(new_docs):
            before = old_by_name.get(ex.get("name"))
            where = at(self.new.origin, "examples", i)
            if before is None:
                yield self.finding("EXAMPLE_ADDED", "", f"example {ex['name']!r} added", where)
            elif _canon(before) != _canon(ex):
                yield self.finding("EXAMPLE_CHANGED", "", f"example {ex['name']!r} changed", where)
        for ex in old_docs:
            if ex.get("name") not in new_names:
                where = at(self.new.origin, "examples", key=True)
                msg = f"example {ex['name']!r} removed"
                yield self.finding("EXAMPLE_REMOVED", "", msg, where)


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=repr)


def compare_contracts(
    old: Contract, new: Contract, old_types: Types, new_types: Types
) -> list[Finding]:
    """Every difference between two versions of a contract, in spec order."""
    return list(ContractDiff(old, new, old_types, new_types).all())


__all__ = ["ContractDiff", "compare_contracts"]
