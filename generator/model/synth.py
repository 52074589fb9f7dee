"""Deterministic JSON values that are valid against a schema (answers of generated mocks).

``synthesize(schema, resolve_ref=..., seed=...)`` builds a value from the schema (type, enum/const,
default, bounds, lengths, patterns, items, required properties, anyOf/oneOf, ``$ref``) and checks
every candidate with ``jsonschema`` (Draft 2020-12), so what it returns is valid or it raises
:class:`SynthError`. The value depends only on the schema and the seed: no randomness, no hashing,
no clock, so generated mocks are byte-stable across runs and machines.

Strings derive from the seed (the property name below the top level); patterns go through a small
generator for a regex subset (literals, classes, ``. \\d \\w \\s``, groups, alternation, ``* + ?
{n,m}``, anchors; lookarounds and ``\\b`` are skipped and left to the final ``re.search`` check).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import itertools
import json
import math
import re
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import SchemaError as JsonSchemaError  # type: ignore[import-untyped]

from .spec import TYPE_REF as _TYPE_REF  # the one definition

__all__ = ["MAX_REF_DEPTH", "SynthError", "synthesize"]

MAX_REF_DEPTH = 16
_WALK_LIMIT = 10_000
_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples"})


class SynthError(ValueError):
    """No valid value could be built (unsatisfiable schema, unsupported pattern, bad $ref)."""


def synthesize(
    schema: Mapping[str, Any] | bool,
    *,
    resolve_ref: Callable[[str], Mapping[str, Any]],
    seed: str,
    checked: bool = False,
) -> Any:
    """A deterministic JSON value valid against ``schema``.

    ``resolve_ref(name)`` returns the schema of the shared type ``#/types/<name>``. Raises
    :class:`SynthError` when the schema is invalid, unsatisfiable (e.g. ``minimum > maximum``) or
    beyond what this module can satisfy; the message says where and why. ``checked``: the caller
    vouches that the schemas passed spec validation, so the metaschema check (about 1 ms per
    schema, most of the cost of a synthesis) is skipped.
    """
    return _Synth(schema, resolve_ref, checked).value(schema, seed, 0, 0, "")


# --------------------------------------------------------------------------- schema walking

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
            Draft202012Validator.check_schema(root)
            _SCHEMA_PROBLEMS[key] = None
        except JsonSchemaError as exc:
            _SCHEMA_PROBLEMS[key] = str(exc.message)
    return _SCHEMA_PROBLEMS[key]


class _Synth:
    """One synthesis run: the ``jsonschema`` oracle (with every $ref resolvable) and the walk."""

    def __init__(
        self,
        schema: Mapping[str, Any] | bool,
        resolve_ref: Callable[[str], Mapping[str, Any]],
        checked: bool = False,
    ) -> None:
        self.types: dict[str, Any] = {}
        self.active: list[str] = []
        self._collect(schema, resolve_ref)
        root: Mapping[str, Any] | bool = schema
        if isinstance(schema, Mapping):
            root = {**schema, "types": self.types}
        problem = None if checked else _schema_problem(root)
        if problem is not None:
            raise SynthError(f"invalid schema: {problem}")
        self.validator = Draft202012Validator(root)

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

    def valid(self, schema: Any, value: Any) -> bool:
        return bool(self.validator.evolve(schema=schema).is_valid(value))

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
            if self.valid(schema, candidate):
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
            return _string(schema, seed, variant, path)
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


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _count(schema: Mapping[str, Any], key: str) -> int | None:
    value = schema.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


# --------------------------------------------------------------------------- numbers


def _bound(schema: Mapping[str, Any], key: str) -> int | float | None:
    value = schema.get(key)
    return value if _is_number(value) else None


def _is_multiple(value: int | float, step: int | float) -> bool:
    """``multipleOf`` exactly as ``jsonschema`` checks it (float division for float steps)."""
    if isinstance(step, float):
        try:
            quotient = value / step
            return int(quotient) == quotient
        except OverflowError:
            return (Fraction(value) / Fraction(step)).denominator == 1
        except ValueError:
            return False
    return value % step == 0


def _walk(center: int, low: int | None, high: int | None) -> Iterator[int]:
    """center, center+1, center-1, center+2, ... inside [low, high] (a bounded number of steps)."""

    def inside(k: int) -> bool:
        return (low is None or k >= low) and (high is None or k <= high)

    if inside(center):
        yield center
    for step in range(1, _WALK_LIMIT):
        up, down = center + step, center - step
        if high is not None and up > high and low is not None and down < low:
            return
        if inside(up):
            yield up
        if inside(down):
            yield down


def _integer(schema: Mapping[str, Any], variant: int, path: str) -> int:
    low, high = _bound(schema, "minimum"), _bound(schema, "maximum")
    ex_low, ex_high = _bound(schema, "exclusiveMinimum"), _bound(schema, "exclusiveMaximum")
    lows = [math.ceil(low)] if low is not None else []
    lows += [math.floor(ex_low) + 1] if ex_low is not None else []
    highs = [math.floor(high)] if high is not None else []
    highs += [math.ceil(ex_high) - 1] if ex_high is not None else []
    lo, hi = max(lows, default=None), min(highs, default=None)
    if lo is not None and hi is not None and lo > hi:
        raise SynthError(f"{path or '/'}: no integer in the bounds [{lo}, {hi}]")
    center = 0 if lo is None else max(0, lo)
    center = center if hi is None else min(center, hi)
    step = _bound(schema, "multipleOf")
    if step is None:
        values = _walk(center, lo, hi)
    else:
        # Integers that are multiples of p/q (lowest terms) are the multiples of p.
        unit = int(step) if float(step).is_integer() else Fraction(repr(step)).numerator
        k_lo = None if lo is None else -((-lo) // unit)
        k_hi = None if hi is None else hi // unit
        k_center = max(center // unit, k_lo) if k_lo is not None else center // unit
        values = (k * unit for k in _walk(k_center, k_lo, k_hi) if _is_multiple(k * unit, step))
    found = _nth(values, variant)
    if found is None:
        raise SynthError(f"{path or '/'}: no integer satisfies bounds and multipleOf")
    return found


def _number(schema: Mapping[str, Any], variant: int, path: str) -> float:
    low, high = _bound(schema, "minimum"), _bound(schema, "maximum")
    ex_low, ex_high = _bound(schema, "exclusiveMinimum"), _bound(schema, "exclusiveMaximum")

    def ok(v: float) -> bool:
        return (
            math.isfinite(v)
            and (low is None or v >= low)
            and (high is None or v <= high)
            and (ex_low is None or v > ex_low)
            and (ex_high is None or v < ex_high)
        )

    try:
        # Preferred in order: zero, whole numbers next to the bounds, the bounds, the middle,
        # and the floats just inside exclusive bounds.
        lo = max((b for b in (low, ex_low) if b is not None), default=None)
        hi = min((b for b in (high, ex_high) if b is not None), default=None)
        if lo is not None and hi is not None and lo > hi:
            raise SynthError(f"{path or '/'}: minimum {lo} > maximum {hi}")
        anchors = [0.0]
        anchors += [] if lo is None else [float(math.floor(lo) + 1)]
        anchors += [] if hi is None else [float(math.ceil(hi) - 1)]
        anchors += [float(b) for b in (lo, hi) if b is not None]
        if lo is not None and hi is not None:
            anchors.append((float(lo) + float(hi)) / 2)
        anchors += [] if lo is None else [math.nextafter(float(lo), math.inf)]
        anchors += [] if hi is None else [math.nextafter(float(hi), -math.inf)]
    except OverflowError:
        raise SynthError(f"{path or '/'}: bounds too large for a float") from None
    base = next((a for a in anchors if ok(a)), None)
    if base is None:
        raise SynthError(f"{path or '/'}: no number satisfies the bounds")
    step = _bound(schema, "multipleOf")
    if step is None:
        values: Iterator[float] = _chain_unique(
            (base + k / 2 for k in range(_WALK_LIMIT) if ok(base + k / 2)),
            (a for a in anchors if ok(a)),
        )
    else:
        try:
            center = round(base / step)
        except OverflowError:
            raise SynthError(f"{path or '/'}: multipleOf {step} too small for the bounds") from None
        values = (
            float(k * step)
            for k in _walk(center, None, None)
            if ok(float(k * step)) and _is_multiple(float(k * step), step)
        )
    found = _nth(values, variant)
    if found is None:
        raise SynthError(f"{path or '/'}: no number satisfies bounds and multipleOf")
    return found


def _chain_unique(*iterators: Iterator[float]) -> Iterator[float]:
    seen: list[float] = []
    for iterator in iterators:
        for value in iterator:
            if value not in seen:
                seen.append(value)
                yield value


def _nth(values: Iterator[Any], n: int) -> Any:
    for i, value in enumerate(values):
        if i == n:
            return value
    return None


# --------------------------------------------------------------------------- strings

_PAD = "x"
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# Sample values of common formats: (seed, variant) -> string, distinct per variant.
_FORMATS: dict[str, Callable[[str, int], str]] = {
    "date-time": lambda s, v: (_EPOCH + dt.timedelta(days=v)).isoformat().replace("+00:00", "Z"),
    "date": lambda s, v: (_EPOCH + dt.timedelta(days=v)).date().isoformat(),
    "time": lambda s, v: f"00:00:{v % 60:02d}Z",
    "duration": lambda s, v: f"P{v + 1}D",
    "uuid": lambda s, v: str(uuid.uuid5(uuid.NAMESPACE_URL, f"specloom:{s}:{v}")),
    "email": lambda s, v: f"{_slug(s) or 'user'}{_suffix(v)}@example.com",
    "idn-email": lambda s, v: f"{_slug(s) or 'user'}{_suffix(v)}@example.com",
    "uri": lambda s, v: f"https://example.com/{_slug(s)}{_suffix(v)}",
    "iri": lambda s, v: f"https://example.com/{_slug(s)}{_suffix(v)}",
    "uri-reference": lambda s, v: f"https://example.com/{_slug(s)}{_suffix(v)}",
    "hostname": lambda s, v: f"{_slug(s) or 'host'}{_suffix(v)}.example.com",
    "ipv4": lambda s, v: f"192.0.2.{v % 256}",
    "ipv6": lambda s, v: f"2001:db8::{v % 65536:x}",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _suffix(variant: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while variant:
        variant, rest = divmod(variant, len(digits))
        out = digits[rest] + out
    return out


def _fit(text: str, low: int, high: int | None, variant: int) -> str | None:
    """``text`` padded/trimmed to [low, high], ending with the variant's suffix when > 0."""
    tail = _suffix(variant)
    if high is not None and len(tail) > high:
        return None
    body = text[: None if high is None else high - len(tail)]
    body += _PAD * max(0, low - len(body) - len(tail))
    return body + tail


def _string(schema: Mapping[str, Any], seed: str, variant: int, path: str) -> str:
    low, high = _count(schema, "minLength") or 0, _count(schema, "maxLength")
    if high is not None and low > high:
        raise SynthError(f"{path or '/'}: minLength {low} > maxLength {high}")
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        return _pattern_string(pattern, seed, low, high, variant, path)
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        sample = _FORMATS[fmt](seed, variant)
        if low <= len(sample) and (high is None or len(sample) <= high):
            return sample
    fitted = _fit(seed, low, high, variant)
    if fitted is None:
        raise SynthError(f"{path or '/'}: cannot build distinct strings within maxLength {high}")
    return fitted


def _pattern_string(
    pattern: str, seed: str, low: int, high: int | None, variant: int, path: str
) -> str:
    def ok(s: str) -> bool:
        return low <= len(s) and (high is None or len(s) <= high) and bool(re.search(pattern, s))

    found: list[str] = []

    def take(candidates: Iterator[str]) -> str | None:
        for s in candidates:
            if ok(s) and s not in found:
                found.append(s)
                if len(found) > variant:
                    return s
        return None

    if variant == 0 and ok(seed):
        return seed
    try:
        node = _RegexParser(pattern).parse()
    except _Unsupported:
        node = None
    if node is not None:
        result = take(_RegexWriter(node, seed).strings(low, high))
        if result is not None:
            return result
        # Unanchored patterns match inside longer strings: pad short matches.
        short = list(itertools.islice(_RegexWriter(node, seed).strings(0, None), 8))
        need = [max(0, low - len(s)) for s in short]
        result = take(
            itertools.chain(
                (s + _PAD * n for s, n in zip(short, need, strict=True)),
                (_PAD * n + s for s, n in zip(short, need, strict=True)),
            )
        )
        if result is not None:
            return result
    fallbacks = [seed, "", "a", "0", "A", "_", "a0", seed.lower(), seed.upper()]
    padded = [_fit(s, low, high, 0) or "" for s in fallbacks]
    result = take(iter(fallbacks + padded + [_fit(seed, low, high, v) or "" for v in range(64)]))
    if result is not None:
        return result
    raise SynthError(
        f"{path or '/'}: cannot synthesize a string matching pattern {pattern!r} "
        f"with length in [{low}, {'inf' if high is None else high}] "
        "(pattern outside the supported regex subset, or unsatisfiable)"
    )


# --------------------------------------------------------------------------- regex subset


class _Unsupported(Exception):
    """The pattern uses syntax outside the subset (the caller falls back to plain candidates)."""


@dataclass(frozen=True)
class _Chars:
    """One character from ``ranges`` (inclusive code point pairs), or outside them if negated."""

    ranges: tuple[tuple[int, int], ...]
    negated: bool = False


@dataclass(frozen=True)
class _Seq:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class _Alt:
    options: tuple[Any, ...]


@dataclass(frozen=True)
class _Repeat:
    node: Any
    low: int
    high: int | None


_EMPTY = _Seq(())
_DIGIT = ((48, 57),)
_WORD = ((48, 57), (65, 90), (95, 95), (97, 122))
_SPACE = ((9, 13), (32, 32))
_CLASS_ESCAPES = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
_CHAR_ESCAPES = {"n": 10, "t": 9, "r": 13, "f": 12, "v": 11, "a": 7, "0": 0}
_QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")


class _RegexParser:
    """Recursive-descent parser for the supported regex subset (Python ``re`` syntax)."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0

    def parse(self) -> Any:
        node = self.alternation()
        if self.pos != len(self.text):
            raise _Unsupported("unbalanced ')'")
        return node

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def next(self) -> str:
        char = self.peek()
        if not char:
            raise _Unsupported("unexpected end of pattern")
        self.pos += 1
        return char

    def alternation(self) -> Any:
        options = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            options.append(self.sequence())
        return options[0] if len(options) == 1 else _Alt(tuple(options))

    def sequence(self) -> Any:
        items = []
        while self.peek() and self.peek() not in "|)":
            items.append(self.quantified(self.atom()))
        return items[0] if len(items) == 1 else _Seq(tuple(items))

    def quantified(self, atom: Any) -> Any:
        char = self.peek()
        if char in ("*", "+", "?") and char:
            self.pos += 1
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{" and (match := _QUANTIFIER.match(self.text, self.pos)):
            first, comma, second = match.groups()
            if not first and not comma:
                return atom
            self.pos = match.end()
            low = int(first or 0)
            high = int(second) if second else (None if comma else low)
        else:
            return atom
        if self.peek() in ("?", "+") and self.peek():
            self.pos += 1  # lazy / possessive: same strings
        return _Repeat(atom, low, high)

    def atom(self) -> Any:
        char = self.next()
        if char in "^$":
            return _EMPTY
        if char == ".":
            return _Chars(((10, 10),), negated=True)
        if char == "[":
            return self.char_class()
        if char == "(":
            return self.group()
        if char == "\\":
            return self.escape(in_class=False)
        if char in "*+?":
            raise _Unsupported("nothing to repeat")
        return _Chars(((ord(char), ord(char)),))

    def group(self) -> Any:
        lookaround = False
        if self.text.startswith("?:", self.pos):
            self.pos += 2
        elif self.text.startswith("?P<", self.pos):
            end = self.text.find(">", self.pos)
            if end < 0:
                raise _Unsupported("bad group name")
            self.pos = end + 1
        elif self.text.startswith(("?=", "?!"), self.pos):
            self.pos, lookaround = self.pos + 2, True
        elif self.text.startswith(("?<=", "?<!"), self.pos):
            self.pos, lookaround = self.pos + 3, True
        elif self.peek() == "?":
            raise _Unsupported("inline flags or conditionals")
        inner = self.alternation()
        if self.next() != ")":
            raise _Unsupported("missing ')'")
        return _EMPTY if lookaround else inner

    def escape(self, *, in_class: bool) -> _Chars | _Seq:
        char = self.next()
        if char.lower() in _CLASS_ESCAPES:
            return _Chars(_CLASS_ESCAPES[char.lower()], negated=char.isupper())
        if char in _CHAR_ESCAPES:
            return _single(_CHAR_ESCAPES[char])
        if char == "b" and in_class:
            return _single(8)
        if char in "bBAZ":
            return _EMPTY
        if char in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[char]
            digits = self.text[self.pos : self.pos + width]
            if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise _Unsupported("bad hex escape")
            self.pos += width
            return _single(int(digits, 16))
        if char.isascii() and char.isalnum():
            raise _Unsupported(f"escape \\{char}")
        return _single(ord(char))

    def char_class(self) -> _Chars:
        negated = self.peek() == "^"
        self.pos += negated
        ranges: list[tuple[int, int]] = []
        first = True
        while True:
            char = self.next()
            if char == "]" and not first:
                return _Chars(tuple(ranges), negated)
            first = False
            start = self.class_char(char, ranges)
            if start is None:
                continue
            if self.peek() == "-" and self.text[self.pos + 1 : self.pos + 2] not in ("]", ""):
                self.pos += 1
                end = self.class_char(self.next(), None)
                if end is None or end < start:
                    raise _Unsupported("bad range")
                ranges.append((start, end))
            else:
                ranges.append((start, start))

    def class_char(self, char: str, ranges: list[tuple[int, int]] | None) -> int | None:
        """The code point of one class member; class escapes go straight into ``ranges``."""
        if char == "[" and self.peek() in (":", ".", "="):
            raise _Unsupported("POSIX class")
        if char != "\\":
            return ord(char)
        item = self.escape(in_class=True)
        if not isinstance(item, _Chars):
            raise _Unsupported("zero-width escape in class")
        if len(item.ranges) == 1 and item.ranges[0][0] == item.ranges[0][1] and not item.negated:
            return item.ranges[0][0]
        if ranges is None or item.negated:
            raise _Unsupported("class escape in a range or negated class escape")
        ranges.extend(item.ranges)
        return None


def _single(code: int) -> _Chars:
    return _Chars(((code, code),))


# Preferred characters, mixing kinds (lower, digit, upper, punctuation) so that cycling through
# them soon meets every kind a lookahead might ask for.
_PREFERRED = "".join(
    "".join(group)
    for group in itertools.zip_longest(
        "abcdefghijklmnopqrstuvwxyz",
        "0123456789",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "-_. ",
        fillvalue="",
    )
)


class _RegexWriter:
    """Writes strings fully matched by a parsed pattern, aiming at a given length."""

    def __init__(self, node: Any, seed: str) -> None:
        self.node = node
        self.seed = seed
        self.slot = 0
        self.rotation = 0
        self.budget = 0

    def strings(self, low: int, high: int | None) -> Iterator[str]:
        """Candidates: each feasible length from the shortest, with a few char rotations."""
        shortest, longest = _span(self.node)
        start = max(low, shortest)
        stop = start + 48
        for bound in (high, longest):
            if bound is not None:
                stop = min(stop, bound)
        for length in range(start, stop + 1):
            for rotation in range(4):
                self.slot, self.rotation, self.budget = 0, rotation, 5_000
                try:
                    yield self.write(self.node, length)
                except _Unsupported:
                    continue

    def spend(self) -> None:
        self.budget -= 1
        if self.budget < 0:
            raise _Unsupported("search budget exhausted")

    def write(self, node: Any, length: int) -> str:
        self.spend()
        shortest, longest = _span(node)
        if length < shortest or (longest is not None and length > longest):
            raise _Unsupported("length out of reach")
        if isinstance(node, _Chars):
            return self.char(node)
        if isinstance(node, _Alt):
            for option in node.options:
                try:
                    return self.write(option, length)
                except _Unsupported:
                    continue
            raise _Unsupported("no option fits")
        if isinstance(node, _Repeat):
            return self.repeat(node, length)
        return self.sequence(list(node.items), length)

    def sequence(self, items: list[Any], length: int) -> str:
        if not items:
            if length:
                raise _Unsupported("length out of reach")
            return ""
        head, rest = items[0], items[1:]
        head_low, head_high = _span(head)
        rest_low = sum(_span(item)[0] for item in rest)
        rest_highs = [_span(item)[1] for item in rest]
        rest_high = None if None in rest_highs else sum(h for h in rest_highs if h is not None)
        most = length - rest_low if head_high is None else min(head_high, length - rest_low)
        for size in range(most, head_low - 1, -1):
            if rest_high is not None and length - size > rest_high:
                break
            slot = self.slot
            try:
                return self.write(head, size) + self.sequence(rest, length - size)
            except _Unsupported:
                self.slot = slot
        raise _Unsupported("no split fits")

    def repeat(self, node: _Repeat, length: int) -> str:
        unit_low, unit_high = _span(node.node)
        count = node.low
        if unit_high:
            count = max(count, math.ceil(length / unit_high))
        most = max(node.low, length) if unit_low == 0 else length // unit_low
        if node.high is not None:
            most = min(most, node.high)
        slot = self.slot
        for n in range(count, most + 1):
            self.spend()
            try:
                return self.sequence([node.node] * n, length)
            except _Unsupported:
                self.slot = slot
        raise _Unsupported("no repetition count fits")

    def char(self, node: _Chars) -> str:
        """A class member, by rotation: 0 the seed's char at this slot (when allowed), 1 cycling
        through the preferred ones, 2+ one fixed preferred char."""
        slot, self.slot = self.slot, self.slot + 1

        def allowed(c: str) -> bool:
            code = ord(c)
            inside = any(lo <= code <= hi for lo, hi in node.ranges)
            return inside != node.negated

        options = [c for c in _PREFERRED if allowed(c)]
        if self.seed and self.rotation == 0:
            seeded = self.seed[slot % len(self.seed)]
            if allowed(seeded):
                return seeded
        if options:
            index = slot if self.rotation == 1 else max(0, self.rotation - 2)
            return options[index % len(options)]
        for lo, hi in node.ranges if not node.negated else ((0x21, 0x10FFFF),):
            for code in range(lo, min(hi, lo + 0x10000) + 1):
                if not 0xD800 <= code <= 0xDFFF and allowed(chr(code)):
                    return chr(code)
        raise _Unsupported("empty character class")


@functools.lru_cache(maxsize=4096)
def _span(node: Any) -> tuple[int, int | None]:
    """Shortest and longest (None: unbounded) lengths of the strings a node matches."""
    if isinstance(node, _Chars):
        return 1, 1
    if isinstance(node, _Alt):
        spans = [_span(option) for option in node.options]
        highs = [h for _, h in spans]
        return min(lo for lo, _ in spans), None if None in highs else max(
            h for h in highs if h is not None
        )
    if isinstance(node, _Repeat):
        low, high = _span(node.node)
        if high == 0:
            return 0, 0
        top = None if node.high is None or high is None else node.high * high
        return node.low * low, top
    spans = [_span(item) for item in node.items]
    highs = [h for _, h in spans]
    return sum(lo for lo, _ in spans), None if None in highs else sum(
        h for h in highs if h is not None
    )
