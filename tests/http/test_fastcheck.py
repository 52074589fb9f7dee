"""The edge's fast yes/no schema check gives jsonschema's answer (Draft 2020-12), always.

Compared on every parameter and result schema of the three generated OpenAPI documents, with
the documents' own examples, their mutations and random JSON shaped by the schemas' property
names; and on a schema using every keyword the check implements, with the values where Python
and JSON Schema disagree (bool vs int, 2.0 as an integer, code points vs bytes, search vs
match)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from httpkit import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from specloom_runtime.http.fastcheck import compile_check
from specloom_runtime.http.routes import Route, RouteTable

DOCS = {
    "orchestra": REPO / "generated" / "orchestra" / "openapi.json",
    "notes": REPO / "examples" / "notes" / "generated" / "notes" / "openapi.json",
    "shelf": REPO / "examples" / "versions" / "generated" / "shelf" / "openapi.json",
}


def _tables() -> dict[str, RouteTable]:
    return {name: RouteTable(json.loads(path.read_text("utf-8"))) for name, path in DOCS.items()}


TABLES = _tables()
ROUTES = [(name, r) for name, table in TABLES.items() for r in table]


def _names(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "properties" and isinstance(item, dict):
                yield from item
            yield from _names(item)
    elif isinstance(value, list):
        for item in value:
            yield from _names(item)


NAMES = sorted({n for table in TABLES.values() for n in _names(table.doc)})


def _examples(route: Route) -> tuple[list[Any], list[Any]]:
    op = route.operation
    params = [
        e["value"]
        for e in op.get("requestBody", {})
        .get("content", {})
        .get("application/json", {})
        .get("examples", {})
        .values()
    ]
    results = [
        e["value"]
        for e in op["responses"]["200"]["content"]["application/json"].get("examples", {}).values()
    ]
    return params, results


ODD = [None, True, False, 0, 1, -1, 2.0, 2.5, 1e300, "", "a", "é" * 3, [], [1, True], {}, [{}]]


def _mutations(value: Any) -> Iterator[Any]:
    """``value`` and variants: each property dropped, replaced by odd values, an extra one."""
    yield value
    if isinstance(value, dict):
        yield {**value, "unexpected_property": 1}
        for key in value:
            yield {k: v for k, v in value.items() if k != key}
            for odd in ODD:
                yield {**value, key: odd}
            for inner in _mutations(value[key]):
                yield {**value, key: inner}
    elif isinstance(value, list):
        yield [*value, *value]
        for i in range(min(3, len(value))):
            for odd in ODD:
                changed = copy.copy(value)
                changed[i] = odd
                yield changed
    else:
        yield from ODD


def _same(route: Route, kind: str, value: Any) -> None:
    fast = route.params_ok if kind == "params" else route.result_ok
    slow: Draft202012Validator = route.params if kind == "params" else route.result
    assert fast(value) == slow.is_valid(value), (route.key, route.method, kind, value)


@pytest.mark.parametrize(
    ("system", "route"), ROUTES, ids=[f"{s}-{r.key}.{r.method}" for s, r in ROUTES]
)
def test_examples_and_their_mutations(system: str, route: Route) -> None:
    params, results = _examples(route)
    for value in params:
        assert route.params_ok(value), value  # the document's own examples are valid
        for mutated in _mutations(value):
            _same(route, "params", mutated)
    for value in results:
        for mutated in _mutations(value):
            _same(route, "result", mutated)
    for odd in ODD:
        _same(route, "params", odd)
        _same(route, "result", odd)


JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**60), 2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(["", "x", "users", "a-b", "Ada", "rec-1", "high", "é", "ok", "task"])
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(NAMES) | st.text(max_size=3), inner, max_size=5)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_random_json_shaped_by_the_schemas(data: st.DataObject) -> None:
    _, route = data.draw(st.sampled_from(ROUTES))
    names = sorted(set(_names(route.operation)))
    keys = st.sampled_from(names) if names else st.text(max_size=3)
    shaped = st.dictionaries(keys, JSON, max_size=len(names) + 1)
    value = data.draw(shaped | JSON)
    _same(route, "params", value)
    _same(route, "result", value)


EVERY = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 2, "maxLength": 3, "pattern": "b"},
        "count": {"type": "integer", "minimum": 1, "exclusiveMaximum": 10},
        "ratio": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 1},
        "flag": {"type": "boolean"},
        "kind": {"enum": ["a", "b"]},
        "level": {"enum": [1, 2, None]},
        "fixed": {"const": "x"},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 2},
        "set": {"type": "array", "uniqueItems": True},
        "either": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        "one": {"oneOf": [{"type": "integer"}, {"type": "number"}]},
        "both": {"allOf": [{"minLength": 1}, {"maxLength": 2}]},
        "never": {"not": {"type": "string"}},
        "tree": {"$ref": "#/components/schemas/Tree"},
        "mail": {"type": "string", "format": "email"},
        "free": {"type": "object", "additionalProperties": {"type": "integer"}},
        "few": {"type": "object", "minProperties": 1, "maxProperties": 1},
        "other": {"type": "object", "patternProperties": {"^x": {"type": "integer"}}},
    },
    "required": ["name"],
    "additionalProperties": False,
}
TREE = {
    "type": "object",
    "properties": {"children": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}},
    "additionalProperties": False,
}
CASES = [
    {"name": "ab"},
    {"name": "a"},
    {"name": "abcd"},
    {"name": "éb"},  # two code points
    {"name": "bb"},
    {"name": "ac"},  # no b: pattern is a search
    {},
    {"name": "ab", "zzz": 1},
    {"name": "ab", "count": 1},
    {"name": "ab", "count": 2.0},
    {"name": "ab", "count": 2.5},
    {"name": "ab", "count": True},
    {"name": "ab", "count": 10},
    {"name": "ab", "count": 0},
    {"name": "ab", "ratio": None},
    {"name": "ab", "ratio": 0},
    {"name": "ab", "ratio": 1},
    {"name": "ab", "ratio": 1.5},
    {"name": "ab", "ratio": False},
    {"name": "ab", "flag": 1},
    {"name": "ab", "flag": False},
    {"name": "ab", "kind": "a"},
    {"name": "ab", "kind": "c"},
    {"name": "ab", "kind": 1},
    {"name": "ab", "level": 1},
    {"name": "ab", "level": 1.0},
    {"name": "ab", "level": True},
    {"name": "ab", "level": None},
    {"name": "ab", "fixed": "x"},
    {"name": "ab", "fixed": "y"},
    {"name": "ab", "tags": []},
    {"name": "ab", "tags": ["a", "b", "c"]},
    {"name": "ab", "tags": ["a", 1]},
    {"name": "ab", "set": [1, True]},
    {"name": "ab", "set": [1, 1.0]},
    {"name": "ab", "set": [{"a": 1}, {"a": 1}]},
    {"name": "ab", "either": 1.5},
    {"name": "ab", "either": 2.0},
    {"name": "ab", "one": 1},
    {"name": "ab", "one": 1.5},
    {"name": "ab", "both": "abc"},
    {"name": "ab", "both": 7},
    {"name": "ab", "never": "s"},
    {"name": "ab", "never": 1},
    {"name": "ab", "tree": {"children": [{"children": []}, {}]}},
    {"name": "ab", "tree": {"children": [{"children": [{"leaf": 1}]}]}},
    {"name": "ab", "mail": "not an address"},
    {"name": "ab", "free": {"a": 1, "b": 2.0}},
    {"name": "ab", "free": {"a": "1"}},
    {"name": "ab", "few": {}},
    {"name": "ab", "few": {"a": 1, "b": 2}},
    {"name": "ab", "other": {"xa": "no"}},
    {"name": "ab", "other": {"ya": "yes"}},
    ["name"],
    None,
]


@pytest.mark.parametrize("value", CASES, ids=[json.dumps(c)[:40] for c in CASES])
def test_every_keyword_and_the_python_json_differences(value: Any) -> None:
    components = {"Tree": TREE}
    fast = compile_check(EVERY, components)
    slow = Draft202012Validator({**EVERY, "components": {"schemas": components}})
    assert fast(value) == slow.is_valid(value)


def test_boolean_schemas_and_unknown_keywords_fall_back_to_jsonschema() -> None:
    assert compile_check(True, {})(1) and not compile_check(False, {})(1)
    odd = {"type": "array", "prefixItems": [{"type": "integer"}], "items": False}
    check = compile_check(odd, {})
    assert check([1]) and not check([1, 2]) and not check(["a"])
    assert Path(compile_check.__code__.co_filename).name == "fastcheck.py"
