"""Pact-style matchers and dotted ``$var`` paths of contract examples (one meaning for the
mocks, the replayed contract tests and ``specloom validate``).

- ``{"$like": value}``: any value of the same JSON type; objects need the value's keys (more
  are allowed), each matched by type in turn; arrays match element-wise by type.
- ``{"$regex": pattern, "example": text}``: a string the pattern fully matches.
- ``{"$eachLike": value, "min": n}``: an array of at least ``n`` (default 1) items, each like
  ``value``.
- ``{"$partial": {...}}``: an object with at least these keys (each matched as written).
- ``{"$var": "order.id"}``, ``{"$var": "items[0].sku"}``: part of a value bound earlier.

Where a concrete value is needed (an argument a test sends, a mock's answer), a matcher stands
for its example: the ``$like`` value, the ``$regex`` example, ``min`` copies (at least one) of
the ``$eachLike`` value, the ``$partial`` object.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from pydantic_core import SchemaError, SchemaValidator, core_schema

__all__ = ["MATCHERS", "example_value", "is_matcher", "lookup", "match", "parse_path"]

MATCHERS = {"$like": (), "$regex": ("example",), "$eachLike": ("min",), "$partial": ()}
_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]")
_NAME = re.compile(r"[a-z][a-z0-9_]*")


@functools.lru_cache(maxsize=1024)
def _full(pattern: str) -> SchemaValidator | None:
    """A validator of strings ``pattern`` matches in full, on pydantic's linear-time Rust regex
    engine (as the contract models), or None for a pattern it cannot run (validate refuses it)."""
    try:
        return SchemaValidator(core_schema.str_schema(pattern=f"^(?:{pattern})$"))
    except SchemaError:
        return None


def _fullmatch(pattern: str, text: str) -> bool:
    full = _full(pattern) if isinstance(pattern, str) else None
    return full is not None and bool(full.isinstance_python(text))


def is_matcher(value: Any) -> str | None:
    """The matcher key of ``value`` (``"$like"``...), or None."""
    if isinstance(value, dict):
        for key, extra in MATCHERS.items():
            if key in value and set(value) <= {key, *extra}:
                return key
    return None


def parse_path(expr: str) -> tuple[str, list[str | int]] | None:
    """``"items[0].sku"`` -> ``("items", [0, "sku"])``; None when malformed."""
    head = _NAME.match(expr)
    if head is None:
        return None
    parts: list[str | int] = []
    pos = head.end()
    while pos < len(expr):
        m = _PART.match(expr, pos)
        if m is None:
            return None
        parts.append(m.group(1) if m.group(1) is not None else int(m.group(2)))
        pos = m.end()
    return head.group(0), parts


def lookup(value: Any, parts: list[str | int]) -> Any:
    """``value`` followed along ``parts``; KeyError when a part is not there."""
    for part in parts:
        value = _child(value, part)
    return value


def _child(value: Any, part: str | int) -> Any:
    if isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
        return value[part]
    if isinstance(value, dict) and isinstance(part, str) and part in value:
        return value[part]
    raise KeyError(part)


def example_value(value: Any) -> Any:
    """The concrete value an expected value (with matchers) stands for."""
    kind = is_matcher(value)
    if kind == "$like":
        return example_value(value["$like"])
    if kind == "$regex":
        return value.get("example", "")
    if kind == "$eachLike":
        return [example_value(value["$eachLike"]) for _ in range(max(int(value.get("min", 1)), 1))]
    if kind == "$partial":
        return example_value(value["$partial"])
    if isinstance(value, dict):
        return {k: example_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [example_value(v) for v in value]
    return value


def _same_type(actual: Any, expected: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return isinstance(actual, bool) and isinstance(expected, bool)
    if isinstance(expected, int):
        return isinstance(actual, int) or (isinstance(actual, float) and actual.is_integer())
    if isinstance(expected, float):
        return isinstance(actual, int | float)
    if expected is None:
        return actual is None
    return isinstance(actual, type(expected))


def _like(actual: Any, expected: Any, equal: Callable[[Any, Any], bool]) -> bool:
    if is_matcher(expected):
        return match(actual, expected, equal)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _like(actual[k], v, equal) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(_like(a, e, equal) for a, e in zip(actual, expected, strict=True))
        )
    return _same_type(actual, expected)


def match(
    actual: Any, expected: Any, equal: Callable[[Any, Any], bool], *, subset: bool = False
) -> bool:
    """Whether ``actual`` matches ``expected`` (matchers anywhere in it); ``equal`` compares
    plain scalars (the mock's JSON equality, which knows its ANY wildcard)."""
    kind = is_matcher(expected)
    if kind == "$like":
        return _like(actual, expected["$like"], equal)
    if kind == "$regex":
        return isinstance(actual, str) and _fullmatch(expected["$regex"], actual)
    if kind == "$eachLike":
        least = int(expected.get("min", 1))
        return (
            isinstance(actual, list)
            and len(actual) >= least
            and all(_like(a, expected["$eachLike"], equal) for a in actual)
        )
    if kind == "$partial":
        return match(actual, expected["$partial"], equal, subset=True)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return False
        if not subset and actual.keys() != expected.keys():
            return False
        return all(
            k in actual and match(actual[k], v, equal, subset=subset) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(
                match(a, e, equal, subset=subset) for a, e in zip(actual, expected, strict=True)
            )
        )
    return equal(actual, expected)
