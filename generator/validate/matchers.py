"""The example matchers and dotted ``$var`` paths as ``specloom validate`` checks them.

The grammar is the runtime's (``specloom_runtime/matchers.py``, which the mocks
and contract tests use); ``tests/validate/test_matchers.py`` proves both read it alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..patterns import pattern_problem, search

_ROWS = [
    ("`{$like: VALUE}`", "any value of VALUE's JSON type (an integer VALUE: integers); objects "
     "need VALUE's keys (more are allowed), each matched by type; arrays element-wise", "VALUE"),
    ("`{$regex: PATTERN, example: TEXT}`", "a string PATTERN matches in full (on the "
     "linear-time engine of `pattern`)", "TEXT (it must match)"),
    ("`{$eachLike: VALUE, min: N}`", "an array of at least N items (default 1), each like VALUE",
     "N copies of VALUE (at least one)"),
    ("`{$partial: OBJECT}`", "an object with at least OBJECT's keys, each matched as written",
     "OBJECT, completed by the schema-valid default"),
    ("`{$var: NAME}`, `{$var: NAME.key}`, `{$var: NAME[0].key}`", "the value a step bound "
     "(`bind: NAME`), or part of it", "the same"),
]  # fmt: skip

REFERENCE_TEXT = """## Examples: matchers and variable paths

An example step's `with` and `returns` may use matchers where an exact value would be too
strict (as Pact's). `specloom validate` checks each matcher (a `$regex` compiles and its example
matches it) and checks the value a matcher stands for against the schema; the contract tests
compare real results with the matchers; a mock answers with the value a matcher stands for, and
picks the step whose `with` matchers a call's arguments satisfy.

{table}

Matchers nest (a `$regex` inside a `$like` or `$partial` applies there), and `match: subset` still
applies to the whole result.

```yaml
examples:
  - name: place an order, then read it back by its id
    steps:
      - call: place
        with: {items: [{sku: apple, quantity: 2}]}
        bind: order
        returns:
          $partial:
            id: {$regex: "^ord-[0-9]+$", example: ord-1}
            items: {$eachLike: {sku: {$like: apple}, quantity: {$like: 1}}, min: 1}
            total: {$like: 2.5}
      - call: read
        with: {order_id: {$var: order.id}}
        returns: {$partial: {items: [{sku: {$var: "order.items[0].sku"}, quantity: 2}]}}
```
"""
REFERENCE = REFERENCE_TEXT.replace(
    "{table}",
    "\n".join(
        ["| matcher | matches | stands for (mock answer, argument a test sends) |", "|---|---|---|"]
        + [f"| {a} | {b} | {c} |" for a, b, c in _ROWS]
    ),
)

MATCHERS = {"$like": (), "$regex": ("example",), "$eachLike": ("min",), "$partial": ()}
_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[([0-9]+)\]")
_NAME = re.compile(r"[a-z][a-z0-9_]*")

Path = tuple[Any, ...]


def is_matcher(value: Any) -> str | None:
    if isinstance(value, dict):
        for key, extra in MATCHERS.items():
            if key in value and set(value) <= {key, *extra}:
                return key
    return None


def parse_path(expr: str) -> tuple[str, list[str | int]] | None:
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


def concrete(value: Any, path: Path = ()) -> tuple[Any, list[Path]]:
    """The concrete value an example value stands for, and the paths (in it) of ``$partial``
    objects, where missing required properties are allowed."""
    partial: list[Path] = []

    def walk(v: Any, at: Path) -> Any:
        kind = is_matcher(v)
        if kind == "$like":
            return walk(v["$like"], at)
        if kind == "$regex":
            return v.get("example", "")
        if kind == "$eachLike":
            n = v.get("min", 1)
            n = n if isinstance(n, int) and not isinstance(n, bool) else 1
            return [walk(v["$eachLike"], (*at, i)) for i in range(max(n, 1))]
        if kind == "$partial":
            partial.append(at)
            return walk(v["$partial"], at)
        if isinstance(v, dict):
            return {k: walk(x, (*at, k)) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x, (*at, i)) for i, x in enumerate(v)]
        return v

    return walk(value, path), partial


def matcher_problems(value: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """(path in the raw value, problem) for every malformed matcher or ``$var``."""
    if isinstance(value, dict):
        if "$var" in value and len(value) == 1:
            expr = value["$var"]
            if not isinstance(expr, str) or parse_path(expr) is None:
                yield path, f"{expr!r} is no variable path (name, name.key or name[0].key)"
            return
        dollar = [k for k in value if isinstance(k, str) and k.startswith("$")]
        kind = is_matcher(value)
        if dollar and kind is None:
            known = ", ".join([*MATCHERS, "$var"])
            yield (
                path,
                f"unknown matcher {', '.join(dollar)} (known: {known}; extra keys: "
                + ("$regex takes example, $eachLike takes min)"),
            )
            return
        if kind == "$regex":
            pattern, example = value["$regex"], value.get("example")
            if not isinstance(pattern, str):
                yield path, "$regex needs a string pattern"
                return
            problem = pattern_problem(pattern) or pattern_problem(f"^(?:{pattern})$")
            if problem is not None:
                yield path, f"$regex {pattern!r} cannot be used: {problem.reason}"
                return
            if not isinstance(example, str):
                yield path, "$regex needs an example: a string the pattern matches"
            elif not search(f"^(?:{pattern})$", example):
                yield path, f"the example {example!r} does not match $regex {pattern!r}"
            return
        if kind == "$eachLike":
            n = value.get("min", 1)
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                yield path, f"$eachLike min must be a whole number >= 0, not {n!r}"
        if kind == "$partial" and not isinstance(value["$partial"], dict):
            yield path, "$partial needs an object"
        for k, v in value.items():
            yield from matcher_problems(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from matcher_problems(v, (*path, i))
