"""A fast yes/no check of a JSON value against a JSON Schema (Draft 2020-12), for the hot path.

The edge validates every request's parameters and every result against the OpenAPI
document's schemas. ``jsonschema`` gives the errors with their JSON pointers, but walking its
validator costs ~15 us for a two-property object, most of the gateway's own time per request.
Almost every request is valid, so :func:`compile_check` turns a schema into plain Python
closures that only answer *valid or not*; the edge asks ``jsonschema`` for the errors only when
the answer is no.

The closures implement exactly what ``Draft202012Validator`` (no format checker: ``format`` is
an annotation) does for the keywords the generated documents use: ``type``, ``properties``,
``required``, ``additionalProperties``, ``items``, ``min/maxItems``, ``min/maxLength``,
``pattern`` (on the linear-time engine of ``specloom_runtime.patterns``),
``minimum``/``maximum`` and the exclusive ones, ``min/maxProperties``, ``enum`` and
``const`` (of strings; others through jsonschema), ``uniqueItems`` (through jsonschema),
``anyOf``/``allOf``/``oneOf``/``not`` and ``$ref`` to ``#/components/schemas/``. A (sub)schema
with any other keyword is checked by a ``jsonschema`` validator instead, so the answer is
always jsonschema's. tests/http/test_fastcheck.py compares the two on many values.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ..patterns import search

__all__ = ["Check", "compile_check", "json_schema_validator"]

Check = Callable[[Any], bool]


def _pattern_keyword(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and isinstance(pattern, str):
        if not search(pattern, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def json_schema_validator() -> Any:
    """``jsonschema``'s Draft 2020-12 validator class with ``pattern`` on the linear-time Rust
    engine (``specloom_runtime.patterns``), as the generated models."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, {"pattern": _pattern_keyword}
    )


def _validator(schema: Any) -> Check:
    """jsonschema's answer (``pattern`` on the linear-time engine, as everywhere)."""
    check: Check = json_schema_validator()(schema).is_valid
    return check


_REF = "#/components/schemas/"
_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "format",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "contentEncoding",
        "contentMediaType",
    }
)
_KNOWN = frozenset(
    {
        "type",
        "properties",
        "required",
        "additionalProperties",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "minLength",
        "maxLength",
        "pattern",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "minProperties",
        "maxProperties",
        "enum",
        "const",
        "anyOf",
        "allOf",
        "oneOf",
        "not",
        "$ref",
    }
)


def _is_integer(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    return isinstance(v, int) or (isinstance(v, float) and v.is_integer())


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "integer": _is_integer,
    "number": _is_number,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
# Type names as a set test: JSON values are exactly these Python types (plus floats for
# integers, handled apart).
_EXACT = {"string": str, "object": dict, "array": list, "boolean": bool, "null": type(None)}


def _always(v: Any) -> bool:
    return True


def _never(v: Any) -> bool:
    return False


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        first, second = checks
        return lambda v: first(v) and second(v)

    def every(v: Any) -> bool:
        for check in checks:
            if not check(v):
                return False
        return True

    return every


class _Compiler:
    def __init__(self, components: Mapping[str, Any]) -> None:
        self.components = components
        self.refs: dict[str, list[Check]] = {}

    def fallback(self, schema: Any) -> Check:
        """jsonschema itself, for what the closures do not cover."""
        root = (
            {**schema, "components": {"schemas": self.components}}
            if isinstance(schema, Mapping)
            else schema
        )
        return _validator(root)

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, Mapping):
            return self.fallback(schema)
        keys = {k for k in schema if k not in _ANNOTATIONS and not k.startswith("x-")}
        if not keys <= _KNOWN or "patternProperties" in schema or "prefixItems" in schema:
            return self.fallback(schema)
        checks: list[Check] = []
        if "$ref" in keys:
            ref = self.ref(schema["$ref"])
            if ref is None:
                return self.fallback(schema)
            checks.append(ref)
        if "type" in keys:
            kind = self.type_check(schema["type"])
            if kind is None:
                return self.fallback(schema)
            checks.append(kind)
        for make in (self.object_check, self.array_check, self.string_check, self.number_check):
            check = make(schema)
            if check is None:
                return self.fallback(schema)
            if check is not _always:
                checks.append(check)
        for word in ("enum", "const"):
            if word in keys:
                check = self.equality(word, schema[word])
                checks.append(check)
        if "allOf" in keys:
            checks.append(_all([self.compile(s) for s in schema["allOf"]]))
        if "anyOf" in keys:
            subs = [self.compile(s) for s in schema["anyOf"]]
            checks.append(lambda v: any(s(v) for s in subs))
        if "oneOf" in keys:
            ones = [self.compile(s) for s in schema["oneOf"]]
            checks.append(lambda v: sum(1 for s in ones if s(v)) == 1)
        if "not" in keys:
            negated = self.compile(schema["not"])
            checks.append(lambda v: not negated(v))
        return _all(checks)

    def ref(self, ref: Any) -> Check | None:
        if not isinstance(ref, str) or not ref.startswith(_REF):
            return None
        name = ref[len(_REF) :]
        if "/" in name or "~" in name or "%" in name or name not in self.components:
            return None
        cell = self.refs.get(name)
        if cell is None:  # compile once; a recursive reference finds the cell filled later
            cell = self.refs[name] = []
            cell.append(self.compile(self.components[name]))
        return lambda v: cell[0](v)

    def type_check(self, kinds: Any) -> Check | None:
        names = [kinds] if isinstance(kinds, str) else kinds
        if not isinstance(names, list) or not all(n in _TYPES for n in names):
            return None
        if len(names) == 1:
            return _TYPES[names[0]]
        exact = tuple(_EXACT[n] for n in names if n in _EXACT)
        others = [_TYPES[n] for n in names if n not in _EXACT]
        return lambda v: type(v) in exact or any(o(v) for o in others)

    def object_check(self, schema: Mapping[str, Any]) -> Check | None:
        words = ("properties", "required", "additionalProperties", "minProperties", "maxProperties")
        if not any(w in schema for w in words):
            return _always
        properties = schema.get("properties", {})
        required = schema.get("required", [])
        if not isinstance(properties, Mapping) or not isinstance(required, list):
            return None
        props = {name: self.compile(sub) for name, sub in properties.items()}
        extra = schema.get("additionalProperties", True)
        closed = extra is False
        more: Check | None = None if extra is True or closed else self.compile(extra)
        lo = schema.get("minProperties", 0)
        hi = schema.get("maxProperties")
        if not isinstance(lo, int) or not (hi is None or isinstance(hi, int)):
            return None
        needed = tuple(required)

        def check(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for name in needed:
                if name not in v:
                    return False
            if len(v) < lo or (hi is not None and len(v) > hi):
                return False
            for key, item in v.items():
                sub = props.get(key)
                if sub is None:
                    if closed:
                        return False
                    if more is not None and not more(item):
                        return False
                elif not sub(item):
                    return False
            return True

        return check

    def array_check(self, schema: Mapping[str, Any]) -> Check | None:
        if not any(w in schema for w in ("items", "minItems", "maxItems", "uniqueItems")):
            return _always
        item = self.compile(schema["items"]) if "items" in schema else None
        lo = schema.get("minItems", 0)
        hi = schema.get("maxItems")
        unique = schema.get("uniqueItems", False)
        if not isinstance(lo, int) or not (hi is None or isinstance(hi, int)):
            return None
        distinct = _validator({"uniqueItems": True}) if unique else None

        def check(v: Any) -> bool:
            if not isinstance(v, list):
                return True
            if len(v) < lo or (hi is not None and len(v) > hi):
                return False
            if item is not None:
                for x in v:
                    if not item(x):
                        return False
            return distinct is None or distinct(v)

        return check

    def string_check(self, schema: Mapping[str, Any]) -> Check | None:
        if not any(w in schema for w in ("minLength", "maxLength", "pattern")):
            return _always
        lo = schema.get("minLength", 0)
        hi = schema.get("maxLength")
        pattern = schema.get("pattern")
        if not isinstance(lo, int) or not (hi is None or isinstance(hi, int)):
            return None
        if pattern is not None and not isinstance(pattern, str):
            return None
        found = (lambda v: search(pattern, v)) if pattern is not None else None

        def check(v: Any) -> bool:
            if not isinstance(v, str):
                return True
            if lo and len(v) < lo:
                return False
            if hi is not None and len(v) > hi:
                return False
            return found is None or found(v)

        return check

    def number_check(self, schema: Mapping[str, Any]) -> Check | None:
        words = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
        bounds = [schema.get(w) for w in words]
        if all(b is None for b in bounds):
            return _always
        if not all(b is None or _is_number(b) for b in bounds):
            return None
        lo, hi, xlo, xhi = bounds

        def check(v: Any) -> bool:
            if not _is_number(v):
                return True
            if lo is not None and v < lo:
                return False
            if hi is not None and v > hi:
                return False
            if xlo is not None and v <= xlo:
                return False
            return xhi is None or v < xhi

        return check

    def equality(self, word: str, value: Any) -> Check:
        members = value if word == "enum" else [value]
        if isinstance(members, list) and members and all(isinstance(m, str) for m in members):
            allowed = frozenset(members)  # a string equals only a string (jsonschema's equal)
            return lambda v: isinstance(v, str) and v in allowed
        return _validator({word: value})


def compile_check(schema: Any, components: Mapping[str, Any]) -> Check:
    """A function telling whether a value is valid against ``schema`` (its ``$ref`` to
    ``#/components/schemas/...`` resolved in ``components``), as jsonschema would."""
    return _Compiler(components).compile(schema)
