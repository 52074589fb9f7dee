"""Compare two data schemas by the values they accept: what the new one rejects or newly allows.

Every difference is a :class:`SchemaChange` that *narrows* (some value the old schema accepted is
now rejected), *widens* (the new schema accepts a value the old one rejected), or both (a change
that cannot be proven either way, such as an edited pattern). Whether that breaks anybody depends
on the direction data flows, which the caller knows: a narrowed input rejects old callers, a
widened output surprises old readers (see ``generator.diff.compare``).

Shared types (``$ref: '#/types/Name'``) are resolved on each side, so a change inside a type is
found at every use, located in the types file. Annotations (``title``, ``description``,
``examples``, ``deprecated``, ``format``) do not change which values are accepted and are ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..model.spec import TYPE_REF, Origin

Where = tuple[str, int, int]

JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")


@dataclass(frozen=True)
class Side:
    """One schema in its spec set: where it was written, and the shared types it can refer to."""

    schema: Any
    origin: Origin | None
    path: tuple[str | int, ...]
    types: Mapping[str, tuple[Any, Origin]]

    def at(self, *more: str | int, key: bool = False) -> Where | None:
        return self.origin.at(*self.path, *more, key=key) if self.origin else None

    def sub(self, schema: Any, *more: str | int) -> Side:
        return Side(schema, self.origin, (*self.path, *more), self.types)


@dataclass(frozen=True)
class SchemaChange:
    kind: str  # TYPE, ENUM, CONSTRAINT, PROPERTY_ADDED, PROPERTY_REMOVED, REQUIRED, DEFAULT
    narrows: bool
    widens: bool
    where: str  # dotted path inside the schema ("" for the schema itself), for messages
    detail: str
    new_at: Where | None
    old_at: Where | None = field(default=None, compare=False)


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def _type_set(schema: Mapping[str, Any]) -> set[str]:
    """The JSON types a schema (without $ref/anyOf) can accept; every type when unconstrained."""
    t = schema.get("type")
    if isinstance(t, str):
        return {t}
    if isinstance(t, list):
        return set(t)
    values = _enum(schema)
    if values is not None:
        return {_json_type(v) for v in values}
    if "properties" in schema or "required" in schema or "additionalProperties" in schema:
        return {"object"}
    if "items" in schema:
        return {"array"}
    return set(JSON_TYPES)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _covered(t: str, types: set[str]) -> bool:
    return t in types or (t == "integer" and "number" in types)


def _enum(schema: Mapping[str, Any]) -> list[Any] | None:
    if "const" in schema:
        return [schema["const"]]
    if isinstance(schema.get("enum"), list):
        return list(schema["enum"])
    return None


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


class _Comparer:
    def __init__(self) -> None:
        self.seen: set[tuple[str, str]] = set()

    def resolve(self, side: Side) -> Side | None:
        """Follow a ``$ref`` to the shared type's schema (None when unknown or already on stack)."""
        ref = side.schema.get("$ref") if isinstance(side.schema, Mapping) else None
        if not isinstance(ref, str):
            return side
        m = TYPE_REF.match(ref)
        if not m or m.group(1) not in side.types:
            return None
        schema, origin = side.types[m.group(1)]
        return Side(schema, origin, (), side.types)

    def compare(
        self, old: Side, new: Side, rel: tuple[str | int, ...], types: bool = True
    ) -> Iterator[SchemaChange]:
        """Changes from ``old`` to ``new``; ``types=False`` when a union already compared types."""
        old_ref, new_ref = _ref_name(old.schema), _ref_name(new.schema)
        if old_ref or new_ref:
            pair = (old_ref or _canon(old.schema), new_ref or _canon(new.schema))
            if pair in self.seen:
                return
            self.seen.add(pair)
            o, n = self.resolve(old), self.resolve(new)
            if o is None or n is None:
                if old_ref != new_ref:
                    yield self.change("TYPE", True, True, rel, "type reference changed", old, new)
            else:
                yield from self.compare(o, n, rel, types)
            self.seen.discard(pair)
            return
        if not isinstance(old.schema, Mapping) or not isinstance(new.schema, Mapping):
            return
        if _branches(old.schema) or _branches(new.schema):
            yield from self.union(old, new, rel, types)
            return
        yield from self.node(old, new, rel, types)

    def change(
        self,
        kind: str,
        narrows: bool,
        widens: bool,
        rel: tuple[str | int, ...],
        detail: str,
        old: Side,
        new: Side,
        *key: str | int,
        at_key: bool = False,
    ) -> SchemaChange:
        """A change located at ``key`` below each side (at the key itself with ``at_key``)."""
        return SchemaChange(
            kind,
            narrows,
            widens,
            _dotted(rel),
            detail,
            new.at(*key, key=at_key),
            old.at(*key, key=at_key),
        )

    def union(
        self, old: Side, new: Side, rel: tuple[str | int, ...], types: bool
    ) -> Iterator[SchemaChange]:
        """anyOf/oneOf: types compared over all branches, then each branch with its partner.

        A branch's partner on the other side accepts the same JSON types, else covers them, else
        shares one; a branch without a partner only matters for the types, compared first.
        """
        olds = _branch_sides(old, self)
        news = _branch_sides(new, self)
        if types:
            ot = set().union(*(k for _, k in olds))
            nt = set().union(*(k for _, k in news))
            yield from self.types(ot, nt, rel, old, new)
        used: set[int] = set()
        for o_side, o_key in olds:
            j = _partner(o_key, [k for _, k in news], used)
            if j is not None:
                used.add(j)
                yield from self.compare(o_side, news[j][0], rel, types=False)
        olds_keys = [k for _, k in olds]
        for j, (n_side, n_key) in enumerate(news):
            if j not in used:
                i = _partner(n_key, olds_keys, set())
                if i is not None:
                    yield from self.compare(olds[i][0], n_side, rel, types=False)

    def types(
        self, ot: set[str], nt: set[str], rel: tuple[str | int, ...], old: Side, new: Side
    ) -> Iterator[SchemaChange]:
        lost = _shown(t for t in ot if not _covered(t, nt))
        gained = _shown(t for t in nt if not _covered(t, ot))
        if lost or gained:
            parts = [f"no longer {' or '.join(lost)}"] if lost else []
            parts += [f"now also {' or '.join(gained)}"] if gained else []
            detail = f"type {_types_text(ot)} -> {_types_text(nt)} ({', '.join(parts)})"
            yield self.change("TYPE", bool(lost), bool(gained), rel, detail, old, new, "type")

    def node(
        self, old: Side, new: Side, rel: tuple[str | int, ...], types: bool = True
    ) -> Iterator[SchemaChange]:
        o, n = old.schema, new.schema
        ot, nt = _type_set(o), _type_set(n)
        if types:
            yield from self.types(ot, nt, rel, old, new)
        common = {t for t in ot if _covered(t, nt)} | {t for t in nt if _covered(t, ot)}
        if not common:
            return
        yield from self.enum(old, new, rel)
        yield from self.bounds(old, new, rel)
        if "object" in common:
            yield from self.object(old, new, rel)
        if "array" in common:
            yield from self.items(old, new, rel)
        if (
            rel
            and "default" in o
            and "default" in n
            and _canon(o["default"]) != _canon(n["default"])
        ):
            detail = f"default {o['default']!r} -> {n['default']!r}"
            yield self.change("DEFAULT", True, False, rel, detail, old, new, "default")

    def enum(self, old: Side, new: Side, rel: tuple[str | int, ...]) -> Iterator[SchemaChange]:
        oe, ne = _enum(old.schema), _enum(new.schema)
        key = "const" if "const" in new.schema else "enum"
        if oe is None and ne is None:
            return
        if oe is None:
            assert ne is not None
            yield self.change(
                "CONSTRAINT", True, False, rel, f"now restricted to {ne!r}", old, new, key
            )
            return
        if ne is None:
            yield self.change(
                "CONSTRAINT", False, True, rel, f"no longer restricted to {oe!r}", old, new
            )
            return
        old_set, new_set = {_canon(v) for v in oe}, {_canon(v) for v in ne}
        removed = [v for v in oe if _canon(v) not in new_set]
        added = [v for v in ne if _canon(v) not in old_set]
        if removed:
            detail = "enum value(s) removed: " + ", ".join(repr(v) for v in removed)
            yield self.change("ENUM", True, False, rel, detail, old, new, key)
        if added:
            detail = "enum value(s) added: " + ", ".join(repr(v) for v in added)
            yield self.change("ENUM", False, True, rel, detail, old, new, key)

    def bounds(self, old: Side, new: Side, rel: tuple[str | int, ...]) -> Iterator[SchemaChange]:
        o, n = old.schema, new.schema
        for name, lower in _BOUNDS:
            ov, nv = _bound(o, name, lower), _bound(n, name, lower)
            if ov == nv:
                continue
            key = _bound_key(n, name) or _bound_key(o, name) or name
            if nv is None:
                tighter = False
            elif ov is None:
                tighter = True
            else:
                tighter = nv > ov if lower else nv < ov
            detail = f"{name} {_show_bound(o, name)} -> {_show_bound(n, name)}"
            yield self.change("CONSTRAINT", tighter, not tighter, rel, detail, old, new, key)
        if o.get("pattern") != n.get("pattern"):
            op, np_ = o.get("pattern"), n.get("pattern")
            narrows, widens = np_ is not None, op is not None
            detail = f"pattern {op!r} -> {np_!r}"
            yield self.change("CONSTRAINT", narrows, widens, rel, detail, old, new, "pattern")
        om, nm = o.get("multipleOf"), n.get("multipleOf")
        if om != nm:
            fo = Fraction(str(om)) if om is not None else None
            fn = Fraction(str(nm)) if nm is not None else None
            narrows = fn is not None and (fo is None or (fo / fn).denominator != 1)
            widens = fo is not None and (fn is None or (fn / fo).denominator != 1)
            detail = f"multipleOf {om!r} -> {nm!r}"
            yield self.change("CONSTRAINT", narrows, widens, rel, detail, old, new, "multipleOf")
        ou, nu = bool(o.get("uniqueItems")), bool(n.get("uniqueItems"))
        if ou != nu:
            detail = f"uniqueItems {ou} -> {nu}".lower()
            yield self.change("CONSTRAINT", nu, ou, rel, detail, old, new, "uniqueItems")

    def object(self, old: Side, new: Side, rel: tuple[str | int, ...]) -> Iterator[SchemaChange]:
        o, n = old.schema, new.schema
        op, np_ = o.get("properties") or {}, n.get("properties") or {}
        oreq, nreq = set(o.get("required") or []), set(n.get("required") or [])
        oadd, nadd = o.get("additionalProperties", True), n.get("additionalProperties", True)
        for name in op:
            if name in np_:
                yield from self.compare(
                    old.sub(op[name], "properties", name),
                    new.sub(np_[name], "properties", name),
                    (*rel, name),
                )
                if name in nreq and name not in oreq:
                    yield self.change(
                        "REQUIRED",
                        True,
                        False,
                        (*rel, name),
                        "property is now required",
                        old,
                        new,
                        "required",
                    )
                elif name in oreq and name not in nreq:
                    yield self.change(
                        "REQUIRED",
                        False,
                        True,
                        (*rel, name),
                        "property is no longer required",
                        old,
                        new,
                        "properties",
                        name,
                    )
            else:
                narrows = nadd is False
                widens = name in oreq
                detail = "property removed" + (" (it was required)" if widens else "")
                yield self.change(
                    "PROPERTY_REMOVED",
                    narrows,
                    widens,
                    (*rel, name),
                    detail,
                    old,
                    new,
                    "properties",
                    at_key=True,
                )
        for name in np_:
            if name not in op:
                narrows = name in nreq
                widens = oadd is False
                detail = "required property added" if narrows else "optional property added"
                yield self.change(
                    "PROPERTY_ADDED",
                    narrows,
                    widens,
                    (*rel, name),
                    detail,
                    old,
                    new,
                    "properties",
                    name,
                )
        if oadd is not True or nadd is not True:
            if isinstance(oadd, Mapping) and isinstance(nadd, Mapping):
                yield from self.compare(
                    old.sub(oadd, "additionalProperties"),
                    new.sub(nadd, "additionalProperties"),
                    (*rel, "additionalProperties"),
                )
            elif _canon(oadd) != _canon(nadd):
                narrows = nadd is False or (oadd is True and isinstance(nadd, Mapping))
                widens = nadd is True or (oadd is False and isinstance(nadd, Mapping))
                detail = f"additionalProperties {_canon(oadd)} -> {_canon(nadd)}"
                yield self.change(
                    "CONSTRAINT", narrows, widens, rel, detail, old, new, "additionalProperties"
                )

    def items(self, old: Side, new: Side, rel: tuple[str | int, ...]) -> Iterator[SchemaChange]:
        oi, ni = old.schema.get("items"), new.schema.get("items")
        if oi is None and ni is None:
            return
        yield from self.compare(
            old.sub(oi if oi is not None else {}, "items"),
            new.sub(ni if ni is not None else {}, "items"),
            (*rel, "items"),
        )


# (keyword, is a lower bound); exclusive variants are folded into minimum/maximum
_BOUNDS = (
    ("minimum", True),
    ("maximum", False),
    ("minLength", True),
    ("maxLength", False),
    ("minItems", True),
    ("maxItems", False),
)


def _bound(schema: Mapping[str, Any], name: str, lower: bool) -> tuple[Fraction, int] | None:
    """A comparable bound: (value, strictness); larger is tighter for lower bounds."""
    candidates = []
    if isinstance(schema.get(name), int | float):
        candidates.append((Fraction(str(schema[name])), 0))
    exclusive = {"minimum": "exclusiveMinimum", "maximum": "exclusiveMaximum"}.get(name)
    if exclusive and isinstance(schema.get(exclusive), int | float):
        candidates.append((Fraction(str(schema[exclusive])), 1 if lower else -1))
    if not candidates:
        return None
    return max(candidates) if lower else min(candidates)


def _bound_key(schema: Mapping[str, Any], name: str) -> str | None:
    exclusive = {"minimum": "exclusiveMinimum", "maximum": "exclusiveMaximum"}.get(name)
    if name in schema:
        return name
    return exclusive if exclusive and exclusive in schema else None


def _show_bound(schema: Mapping[str, Any], name: str) -> str:
    key = _bound_key(schema, name)
    if key is None:
        return "none"
    return f"{schema[key]!r}" + (" (exclusive)" if key.startswith("exclusive") else "")


def _ref_name(schema: Any) -> str | None:
    if isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
        return str(schema["$ref"])
    return None


def _branches(schema: Mapping[str, Any]) -> list[Any] | None:
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            return list(schema[key])
    return None


def _branch_sides(side: Side, comparer: _Comparer) -> list[tuple[Side, frozenset[str]]]:
    schema = side.schema
    key = "anyOf" if isinstance(schema.get("anyOf"), list) else "oneOf"
    subs = _branches(schema)
    sides = [side.sub(b, key, i) for i, b in enumerate(subs)] if subs else [side]
    out = []
    for s in sides:
        resolved = comparer.resolve(s)
        target = resolved.schema if resolved is not None else {}
        types = frozenset(_type_set(target)) if not _branches(target) else frozenset(JSON_TYPES)
        out.append((s, types))
    return out


def _shown(types: Iterable[str]) -> list[str]:
    """Sorted type names, without ``integer`` when ``number`` (which includes it) is there."""
    found = set(types)
    return sorted(found - {"integer"} if "number" in found else found)


def _covers(big: frozenset[str], small: frozenset[str]) -> bool:
    return all(_covered(t, set(big)) for t in small)


def _partner(key: frozenset[str], others: list[frozenset[str]], used: set[int]) -> int | None:
    """The index of the best partner of a branch accepting ``key`` among ``others``."""
    tests = (
        lambda k: k == key,
        lambda k: _covers(k, key),
        lambda k: bool(k & key) or _covers(key, k) or _covers(k, key),
    )
    for test in tests:
        for pool in ([j for j in range(len(others)) if j not in used], range(len(others))):
            for j in pool:
                if test(others[j]):
                    return j
    return None


def _types_text(types: set[str] | frozenset[str]) -> str:
    if set(types) >= set(JSON_TYPES) - {"integer"}:
        return "any"
    return "|".join(sorted(types))


def compare_schemas(old: Side, new: Side) -> list[SchemaChange]:
    """Every value-set difference between two schemas, in a stable order."""
    return list(_Comparer().compare(old, new, ()))


__all__ = ["SchemaChange", "Side", "compare_schemas"]
