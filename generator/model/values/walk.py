"""Walking a schema: candidates per keyword, checked by the ``jsonschema`` oracle (whose
``pattern`` runs on the same linear-time engine as the generated code), within a work budget."""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from jsonschema.exceptions import SchemaError as JsonSchemaError  # type: ignore[import-untyped]

from ...patterns import PatternError, json_schema_validator
from ..checker import value_validator
from ..spec import TYPE_REF as _TYPE_REF  # the one definition
from .budget import Budget, SynthError
from .scalars import count as _count
from .scalars import integer as _integer
from .scalars import is_number as _is_number
from .scalars import number as _number
from .scalars import string as _string

__all__ = ["MAX_REF_DEPTH", "Synth"]

MAX_REF_DEPTH = 16

_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples"})

_SCHEMA_PROBLEMS: dict[str, str | None] = {}


def _schema_problem(root: Mapping[str, Any] | bool) -> str | None:
    """Why ``root`` is not a valid Draft 2020-12 schema, or None; memoised by content.

    A spec set synthesizes many values from the same few schemas, and checking a schema against
    the metaschema costs far more than the synthesis itself.
    """
    key = json.dumps(root, sort_keys=True, default=repr)
    if key not in _SCHEMA_PROBLEMS:
        if len(_SCHEMA_PROBLEMS) > 4096:  # bounded: a long-lived process sees many spec sets
            _SCHEMA_PROBLEMS.clear()
        try:
            # Patterns are checked by the engine that runs them, not by Python's re here.
            json_schema_validator().check_schema(root, format_checker=None)
            _SCHEMA_PROBLEMS[key] = None
        except JsonSchemaError as exc:
            _SCHEMA_PROBLEMS[key] = str(exc.message)
    return _SCHEMA_PROBLEMS[key]


class Synth:
    """One synthesis run: the ``jsonschema`` oracle (with every $ref resolvable) and the walk."""

    def __init__(
        self,
        schema: Mapping[str, Any] | bool,
        resolve_ref: Callable[[str], Mapping[str, Any]],
        checked: bool = False,
        budget: Budget | None = None,
    ) -> None:
        self.budget = budget or Budget()
        self.types: dict[str, Any] = {}
        self.active: list[str] = []
        self._collect(schema, resolve_ref)
        root: Mapping[str, Any] | bool = schema
        if isinstance(schema, Mapping):
            root = {**schema, "types": self.types}
        problem = None if checked else _schema_problem(root)
        if problem is not None:
            raise SynthError(f"invalid schema: {problem}")
        self.validator = value_validator(root)

    def _collect(self, node: Any, resolve_ref: Callable[[str], Mapping[str, Any]]) -> None:
        """Resolve every $ref reachable from ``node`` into ``self.types``."""
        stack = [node]
        while stack:
            item = stack.pop()
            if isinstance(item, Mapping):
                ref = item.get("$ref")
                if isinstance(ref, str):
                    name = _ref_name(ref)
                    if name not in self.types:
                        self.types[name] = _resolve(resolve_ref, name)
                        stack.append(self.types[name])
                stack.extend(v for k, v in item.items() if k not in _DATA_KEYWORDS)
            elif isinstance(item, list):
                stack.extend(item)

    def recurses(self, schema: Any) -> bool:
        """Whether ``schema`` has a $ref to a type whose value is being built."""
        stack = [schema]
        while stack:
            item = stack.pop()
            if isinstance(item, Mapping):
                ref = item.get("$ref")
                if isinstance(ref, str) and _TYPE_REF.match(ref) and _ref_name(ref) in self.active:
                    return True
                stack.extend(v for k, v in item.items() if k not in _DATA_KEYWORDS)
            elif isinstance(item, list):
                stack.extend(item)
        return False

    def valid(self, schema: Any, value: Any, path: str) -> bool:
        self.budget.spend(path or "/")
        try:
            return bool(self.validator.evolve(schema=schema).is_valid(value))
        except PatternError as exc:
            raise SynthError(f"{path or '/'}: {exc}") from None

    def value(self, schema: Any, seed: str, depth: int, variant: int, path: str) -> Any:
        """The first candidate for ``schema`` that ``jsonschema`` accepts."""
        if schema is True:
            return _anything(variant)
        if schema is False:
            raise SynthError(f"{path or '/'}: the schema 'false' matches nothing")
        if not isinstance(schema, Mapping):
            raise SynthError(f"{path or '/'}: a schema must be an object, not {schema!r}")
        errors: list[str] = []
        for candidate in self.candidates(schema, seed, depth, variant, path, errors):
            if self.valid(schema, candidate, path):
                return candidate
        # The innermost failure says most; it already carries its own path.
        raise SynthError(errors[-1] if errors else f"{path or '/'}: no value satisfies the schema")

    def candidates(
        self,
        schema: Mapping[str, Any],
        seed: str,
        depth: int,
        variant: int,
        path: str,
        errors: list[str],
    ) -> Iterator[Any]:
        def attempt(make: Callable[[], Any]) -> Iterator[Any]:
            try:
                yield make()
            except SynthError as exc:
                errors.append(str(exc))

        if "$ref" in schema:
            if depth >= MAX_REF_DEPTH:
                raise SynthError(
                    f"{path or '/'}: $ref nested deeper than {MAX_REF_DEPTH}"
                    " (does a type require itself?)"
                )
            name = _ref_name(schema["$ref"])
            self.active.append(name)
            try:
                result = self.value(self.types[name], seed, depth + 1, variant, path)
            except SynthError as exc:
                errors.append(str(exc))
                return
            finally:
                self.active.pop()
            yield result
            return
        if variant == 0 and "default" in schema:
            yield copy.deepcopy(schema["default"])
        if "const" in schema:
            yield copy.deepcopy(schema["const"])
            return
        if "enum" in schema:
            values = list(schema["enum"])
            shift = variant % len(values) if values else 0
            for value in values[shift:] + values[:shift]:
                yield copy.deepcopy(value)
            return
        for key in ("anyOf", "oneOf"):
            if key in schema:
                yield from self.branches(schema, key, seed, depth, variant, path, errors)
                return
        for json_type in _types(schema):
            yield from attempt(
                functools.partial(self.typed, schema, json_type, seed, depth, variant, path)
            )

    def branches(
        self,
        schema: Mapping[str, Any],
        key: str,
        seed: str,
        depth: int,
        variant: int,
        path: str,
        errors: list[str],
    ) -> Iterator[Any]:
        siblings = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf", "default")}
        # Branches that recurse into a type being built come last: they nest needlessly.
        order = sorted(enumerate(schema[key]), key=lambda pair: self.recurses(pair[1]))
        for i, branch in order:
            options = [branch]
            if siblings and isinstance(branch, Mapping) and "$ref" not in branch:
                options.insert(0, {**siblings, **branch})
            for option in options:
                for v in (variant, variant + 1, variant + 2):
                    try:
                        yield self.value(option, seed, depth, v, f"{path}/{key}/{i}")
                    except SynthError as exc:
                        errors.append(str(exc))

    def typed(
        self,
        schema: Mapping[str, Any],
        json_type: str,
        seed: str,
        depth: int,
        variant: int,
        path: str,
    ) -> Any:
        if json_type == "null":
            return None
        if json_type == "any":
            return _anything(variant)
        if json_type == "boolean":
            return variant % 2 == 0
        if json_type == "integer":
            return _integer(schema, variant, path)
        if json_type == "number":
            return _number(schema, variant, path)
        if json_type == "string":
            return _string(schema, seed, variant, path, self.budget)
        if json_type == "array":
            return self.array(schema, seed, depth, variant, path)
        return self.object(schema, depth, variant, path)

    def array(
        self, schema: Mapping[str, Any], seed: str, depth: int, variant: int, path: str
    ) -> list[Any]:
        low, high = _count(schema, "minItems") or 0, _count(schema, "maxItems")
        if high is not None and low > high:
            raise SynthError(f"{path or '/'}: minItems {low} > maxItems {high}")
        count = low + (1 if variant and (high is None or low < high) else 0)
        items = schema.get("items", True)
        unique = schema.get("uniqueItems") is True
        out: list[Any] = []
        for i in range(count):
            shift = variant - 1 if variant and i == count - 1 else 0
            out.append(
                self.item(
                    items, seed, depth, i + shift if unique else shift, out, unique, f"{path}/{i}"
                )
            )
        return out

    def item(
        self,
        items: Any,
        seed: str,
        depth: int,
        start: int,
        previous: Sequence[Any],
        unique: bool,
        path: str,
    ) -> Any:
        for v in range(start, start + 64):
            value = self.value(items, seed, depth, v, path)
            if not unique or not any(_same(value, p) for p in previous):
                return value
        raise SynthError(f"{path}: cannot build {len(previous) + 1} distinct items")

    def object(
        self, schema: Mapping[str, Any], depth: int, variant: int, path: str
    ) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        required = list(dict.fromkeys(schema.get("required") or []))
        extra = schema.get("additionalProperties", True)
        names = [p for p in properties if p in required] + [
            p for p in required if p not in properties
        ]
        optional = [p for p in properties if p not in required]
        if variant and not names and optional:
            names, variant = [optional[(variant - 1) % len(optional)]], 0
        elif variant and not names and extra is not False:
            names, variant = [f"key{variant}"], 0
        low = _count(schema, "minProperties") or 0
        names += optional[: max(0, low - len(names))]
        out: dict[str, Any] = {}
        for i, name in enumerate(names):
            sub = properties.get(name, extra)
            out[name] = self.value(sub, name, depth, variant if i == 0 else 0, f"{path}/{name}")
        return out


def _resolve(resolve_ref: Callable[[str], Mapping[str, Any]], name: str) -> Any:
    try:
        target = resolve_ref(name)
    except (LookupError, ValueError) as exc:
        raise SynthError(f"cannot resolve $ref to type {name!r}: {exc}") from None
    if not isinstance(target, Mapping | bool):
        raise SynthError(f"$ref to type {name!r} resolved to {target!r}, not a schema")
    return target


def _ref_name(ref: str) -> str:
    match = _TYPE_REF.match(ref)
    if not match:
        raise SynthError(f"unsupported $ref {ref!r}: expected '#/types/<Name>'")
    return match.group(1)


def _types(schema: Mapping[str, Any]) -> list[str]:
    """Types to try, non-null ones first; inferred from keywords when ``type`` is absent."""
    raw = schema.get("type")
    if raw is None:
        keys = set(schema)
        if keys & {"properties", "required", "additionalProperties", "minProperties"}:
            return ["object"]
        if keys & {"items", "minItems", "maxItems", "uniqueItems"}:
            return ["array"]
        if keys & {"minLength", "maxLength", "pattern", "format"}:
            return ["string"]
        if keys & {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}:
            return ["number"]
        return ["any"]
    types = [raw] if isinstance(raw, str) else list(raw)
    return [t for t in types if t != "null"] + [t for t in types if t == "null"]


_ANYTHING: tuple[Any, ...] = (None, 0, "", True, False)


def _anything(variant: int) -> Any:
    """Values for an unconstrained schema, distinct per variant (null first)."""
    return _ANYTHING[variant] if variant < len(_ANYTHING) else variant


def _same(a: Any, b: Any) -> bool:
    """JSON equality as ``uniqueItems`` sees it (``1 == 1.0``, ``True != 1``)."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b or (_is_number(a) and _is_number(b) and a == b)
