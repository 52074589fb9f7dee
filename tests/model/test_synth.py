"""synthesize(): valid per jsonschema, deterministic, seed-driven, clear errors when impossible."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.model.checker import value_validator
from generator.model.synth import SynthError, synthesize
from generator.patterns import search

TYPES: dict[str, Any] = {
    "Task": {
        "type": "object",
        "required": ["id", "title", "state"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "title": {"type": "string", "minLength": 3, "maxLength": 8},
            "state": {"$ref": "#/types/State"},
            "parent": {"$ref": "#/types/Task"},
        },
        "additionalProperties": False,
    },
    "State": {"enum": ["open", "done"]},
    "Node": {
        "type": "object",
        "required": ["value", "next"],
        "properties": {
            "value": {"type": "integer"},
            "next": {"anyOf": [{"$ref": "#/types/Node"}, {"type": "null"}]},
        },
    },
    "Loop": {
        "type": "object",
        "required": ["again"],
        "properties": {"again": {"$ref": "#/types/Loop"}},
    },
}


def resolve(name: str) -> Mapping[str, Any]:
    return TYPES[name]


def synth(schema: Any, seed: str = "seed") -> Any:
    return synthesize(schema, resolve_ref=resolve, seed=seed)


def is_valid(schema: Any, value: Any) -> bool:
    root = {**schema, "types": TYPES} if isinstance(schema, Mapping) else schema
    return bool(value_validator(root).is_valid(value))  # formats asserted, as in validate


# --------------------------------------------------------------------------- hand-picked

EXPECTED: list[tuple[dict[str, Any], str, Any]] = [
    ({}, "s", None),
    ({"type": "string"}, "Database.create", "Database.create"),
    ({"type": "string", "minLength": 6}, "abc", "abcxxx"),
    ({"type": "string", "maxLength": 2}, "abc", "ab"),
    ({"type": "string", "format": "date-time"}, "s", "2000-01-01T00:00:00Z"),
    ({"type": "string", "format": "date"}, "s", "2000-01-01"),
    ({"type": "string", "format": "email"}, "User Name", "user-name@example.com"),
    ({"type": "string", "format": "uuid"}, "s", "f51dbc23-04c1-5d77-9f26-e6e2fd1293e8"),
    ({"type": "string", "pattern": "^[a-z]+$"}, "abc", "abc"),
    ({"type": "string", "pattern": "^[a-z]+$"}, "Abc", "a"),  # shortest match
    ({"type": "string", "pattern": "^[A-Z]{2}-\\d{3}$"}, "s", "AA-000"),
    ({"type": "integer"}, "s", 0),
    ({"type": "integer", "minimum": 3}, "s", 3),
    ({"type": "integer", "maximum": -3}, "s", -3),
    ({"type": "integer", "exclusiveMinimum": 3}, "s", 4),
    ({"type": "integer", "minimum": 3, "multipleOf": 5}, "s", 5),
    ({"type": "integer", "minimum": 0.5}, "s", 1),
    ({"type": "number"}, "s", 0.0),
    ({"type": "number", "exclusiveMinimum": 0, "maximum": 0.5}, "s", 0.5),
    ({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 0.5}, "s", 0.25),
    ({"type": "number", "minimum": 0.3, "multipleOf": 0.25}, "s", 1.0),
    ({"type": "boolean"}, "s", True),
    ({"type": "null"}, "s", None),
    ({"type": ["null", "string"]}, "s", "s"),
    ({"enum": ["b", "a"]}, "s", "b"),
    ({"const": {"k": [1]}}, "s", {"k": [1]}),
    ({"type": "string", "default": "dflt"}, "s", "dflt"),
    ({"type": "string", "default": 3}, "s", "s"),  # invalid default: ignored
    ({"type": "array", "items": {"type": "integer"}}, "s", []),
    ({"type": "array", "items": {"type": "integer"}, "minItems": 2}, "s", [0, 0]),
    ({"type": "array", "items": {"type": "integer"}, "minItems": 3, "uniqueItems": True}, "s",
     [0, 1, -1]),
    ({"type": "array", "items": {"type": "string"}, "minItems": 2, "uniqueItems": True}, "s",
     ["s", "s1"]),
    ({"type": "object"}, "s", {}),
    ({"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
      "required": ["b"]}, "s", {"b": 0}),
    ({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a", "extra"]},
     "s", {"a": "a", "extra": None}),
    ({"anyOf": [{"type": "string", "maxLength": 0, "minLength": 1}, {"type": "integer"}]}, "s", 0),
    ({"oneOf": [{"type": "integer"}, {"type": "number"}]}, "s", 0.5),
    ({"oneOf": [{"type": "number"}, {"type": "integer"}]}, "s", 0.5),
    ({"type": "object", "anyOf": [{"required": ["a"]}, {"required": ["b"]}]}, "s", {"a": None}),
    ({"$ref": "#/types/State"}, "s", "open"),
    ({"$ref": "#/types/Node"}, "s", {"value": 0, "next": None}),
]  # fmt: skip


@pytest.mark.parametrize(("schema", "seed", "expected"), EXPECTED)
def test_hand_picked_values(schema: dict[str, Any], seed: str, expected: Any) -> None:
    value = synth(schema, seed)
    assert json.dumps(value) == json.dumps(expected)
    assert is_valid(schema, value)


def test_refs_resolve_through_the_callback() -> None:
    value = synth({"$ref": "#/types/Task"}, "Tasks.read")
    assert is_valid({"$ref": "#/types/Task"}, value)
    assert set(value) == {"id", "title", "state"} and value["state"] == "open"
    assert value["title"] == "title"  # property name as seed, within 3..8


PATTERNS = [
    "^[a-z]+$",
    "^[A-Z][a-z]{2,5}$",
    "^\\d{3}-\\d{4}$",
    "^(foo|bar|baz)+$",
    "^[a-z0-9._%+-]+@[a-z0-9.-]+\\.[a-z]{2,}$",
    "^v\\d+(\\.\\d+){2}(-[a-z]+)?$",
    "^[^\\s]{4}$",
    "^(?:ab|cd)*e?$",
    "^\\w+$",
    "^[\\w-]{3,}$",
    "colou?r",
    "^a.c$",
    "^\\$\\{[A-Z_]+\\}$",
    "^[\\u0041-\\u005A]{2}$",
    "^\\x41+$",
    "\\bword\\b",
    "^[]a]+$",
    "^[a-]+$",
    "^a{2}b{1,}c{0,2}$",
    "^a*?b+?$",
    "^\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\\\$",
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$",
    "^(?P<x>[a-z])\\d$",
    "^é+ü$",
    "[{}]",
    "\\{\\{ 7\\*7 \\}\\}",
    "^(?<x>[a-z])\\d\\z",
    "^\\p{Lu}\\p{Ll}+$",
]

# Patterns the linear-time engine cannot run: a SynthError (validate reports them first).
UNRUNNABLE = [
    "^(?=.*\\d)(?=.*[a-z])[a-z\\d]{6,}$",
    "^(?!admin$)[a-z]+$",
    "^(a|a)+(?<!a)$",
    "^(a)\\1$",
    "{{ 7*7 }}",
]


@pytest.mark.parametrize("pattern", PATTERNS)
@pytest.mark.parametrize("lengths", [{}, {"minLength": 7}, {"maxLength": 12}])
def test_patterns(pattern: str, lengths: dict[str, int]) -> None:
    schema = {"type": "string", "pattern": pattern, **lengths}
    try:
        value = synth(schema, "Some.seed")
    except SynthError as exc:
        # Only a genuine conflict between the pattern and the length may fail.
        assert lengths, exc
        assert "pattern" in str(exc)
        return
    assert search(pattern, value)
    assert is_valid(schema, value)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("pattern", UNRUNNABLE)
def test_pattern_the_engine_cannot_run_fails_clearly(pattern: str) -> None:
    with pytest.raises(SynthError, match=r"^/: pattern .* cannot be used: "):
        synth({"type": "string", "pattern": pattern, "minLength": 40})


def test_pattern_outside_the_writer_subset_still_works() -> None:
    # Syntax the writer does not parse works when a plain candidate happens to match.
    assert synth({"type": "string", "pattern": "(?i)^SEED$"}) == "seed"
    assert synth({"type": "string", "pattern": "^[[:alpha:]]+$"}) == "seed"
    with pytest.raises(SynthError, match=r"cannot synthesize a string matching pattern '\^\[\["):
        synth({"type": "string", "pattern": "^[[:alpha:]]{3}$", "maxLength": 2})


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "schema",
    [
        # Exponential for a backtracking engine (and for a naive writer): bounded here.
        {"type": "string", "pattern": "^(a|a)+$", "minLength": 40},
        {"type": "string", "pattern": "^(a|aa|aaa)+b(a|aa)*c$", "minLength": 45, "maxLength": 45},
        {"type": "string", "pattern": "^((a|b)(c|d)?){3,}$", "minLength": 30, "maxLength": 31},
    ],
)
def test_hard_patterns_finish_or_fail_within_the_budget(schema: dict[str, Any]) -> None:
    try:
        value = synth(schema)
    except SynthError as exc:
        assert "work budget" in str(exc) or "pattern" in str(exc)
    else:
        assert is_valid(schema, value)


def test_the_work_budget_is_a_located_error() -> None:
    schema = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string", "pattern": "^(ab|cd)+x$", "minLength": 40}},
    }
    with pytest.raises(SynthError, match=r"^/name: no value found within the work budget \(50"):
        synthesize(schema, resolve_ref=resolve, seed="s", budget=50)


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"type": "integer", "minimum": 5, "maximum": 3}, "no integer in the bounds"),
        ({"type": "integer", "exclusiveMinimum": 3, "exclusiveMaximum": 4}, "no integer"),
        ({"type": "integer", "minimum": 1, "maximum": 4, "multipleOf": 5}, "multipleOf"),
        ({"type": "number", "minimum": 2, "maximum": 1}, "minimum 2 > maximum 1"),
        ({"type": "number", "exclusiveMinimum": 1, "maximum": 1}, "no number"),
        ({"type": "number", "minimum": 0.1, "maximum": 0.2, "multipleOf": 1}, "multipleOf"),
        ({"type": "string", "minLength": 3, "maxLength": 2}, "minLength 3 > maxLength 2"),
        ({"type": "string", "pattern": "^[a-z]{5}$", "maxLength": 3}, "pattern"),
        ({"type": "array", "minItems": 3, "maxItems": 1}, "minItems 3 > maxItems 1"),
        ({"type": "array", "items": {"type": "boolean"}, "minItems": 3, "uniqueItems": True},
         "distinct"),
        ({"type": "array", "items": {"enum": ["a"]}, "minItems": 2, "uniqueItems": True},
         "distinct"),
        ({"type": "object", "required": ["a"], "additionalProperties": False}, "/a"),
        ({"enum": []}, "no value"),
        ({"type": "integer", "enum": ["a", "b"]}, "no value"),
        ({"anyOf": [{"type": "integer", "minimum": 1, "maximum": 0},
                    {"const": 1, "type": "string"}]}, "/anyOf/"),
        ({"oneOf": [{"type": "string"}, {"type": "string"}]}, "no value"),
        ({"$ref": "#/types/Loop"}, "does a type require itself"),
        ({"$ref": "#/types/Missing"}, "cannot resolve $ref to type 'Missing'"),
        ({"$ref": "#/definitions/Task"}, "unsupported $ref"),
        ({"type": "strnig"}, "invalid schema"),
        ({"type": "string", "pattern": "("}, "pattern '(' cannot be used: unclosed group"),
        (False, "matches nothing"),
    ],
)  # fmt: skip
def test_unsatisfiable_schemas_raise_synth_error(schema: Any, message: str) -> None:
    with pytest.raises(SynthError) as info:
        synth(schema)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_seed_drives_strings_only() -> None:
    schema = {
        "type": "object",
        "required": ["name", "n"],
        "properties": {"name": {"type": "string"}, "n": {"type": "integer"}},
    }
    assert synth(schema, "a") == synth(schema, "b") == {"name": "name", "n": 0}
    assert synth({"type": "string"}, "a") != synth({"type": "string"}, "b")
    assert synth({"type": "string", "format": "uuid"}, "a") != synth(
        {"type": "string", "format": "uuid"}, "b"
    )


def test_output_is_stable_across_processes() -> None:
    """Same bytes under another hash seed (no dependence on set/dict-of-str ordering or hash)."""
    cases = [(schema, seed) for schema, seed, _ in EXPECTED] + [
        ({"type": "string", "pattern": p}, "Stable.seed") for p in PATTERNS
    ]
    here = json.dumps([synth(schema, seed) for schema, seed in cases])
    script = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "from test_synth import EXPECTED, PATTERNS, synth\n"
        "cases = [(s, seed) for s, seed, _ in EXPECTED] + "
        "[({'type': 'string', 'pattern': p}, 'Stable.seed') for p in PATTERNS]\n"
        "print(json.dumps([synth(s, seed) for s, seed in cases]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == here


# --------------------------------------------------------------------------- hypothesis

KEYS = ["a", "b", "x-y", "class", "id"]
PATTERN_CHOICES = st.sampled_from(PATTERNS[:12])
small = st.integers(-5, 5) | st.sampled_from([-2.5, 0.5, 1.5, 3.25])
json_scalars = st.none() | st.booleans() | st.integers(-3, 3) | st.sampled_from(["a", "b", ""])


def _maybe(
    draw: st.DrawFn, key: str, strategy: st.SearchStrategy[Any], out: dict[str, Any]
) -> None:
    if draw(st.booleans()):
        out[key] = draw(strategy)


@st.composite
def leaves(draw: st.DrawFn, satisfiable: bool) -> dict[str, Any]:
    """Leaf schemas; when ``satisfiable``, bounds are ordered and patterns carry no lengths."""
    kind = draw(st.sampled_from(["string", "integer", "number", "boolean", "null", "enum",
                                 "const", "any", "typelist"]))  # fmt: skip
    out: dict[str, Any] = {}
    if kind == "string":
        out["type"] = "string"
        if draw(st.booleans()):
            out["pattern"] = draw(PATTERN_CHOICES)
        if not satisfiable or "pattern" not in out:
            shortest = draw(st.integers(0, 4))
            _maybe(draw, "minLength", st.just(shortest), out)
            _maybe(draw, "maxLength", st.integers(shortest if satisfiable else 0, 8), out)
        # Formats are asserted: a satisfiable schema gives a format no pattern or length bound.
        if not satisfiable or not (out.keys() & {"pattern", "minLength", "maxLength"}):
            _maybe(draw, "format", st.sampled_from(["date-time", "uuid", "email", "uri"]), out)
    elif kind in ("integer", "number"):
        out["type"] = kind
        low = draw(small)
        _maybe(draw, draw(st.sampled_from(["minimum", "exclusiveMinimum"])), st.just(low), out)
        gap = draw(st.sampled_from([3, 7.5]) if satisfiable else small)
        high_key = draw(st.sampled_from(["maximum", "exclusiveMaximum"]))
        _maybe(draw, high_key, st.just(low + gap), out)
        if kind == "integer" or not satisfiable:
            _maybe(draw, "multipleOf", st.sampled_from([1, 2, 0.5]), out)
        else:
            _maybe(draw, "multipleOf", st.sampled_from([0.5, 0.25]), out)
    elif kind == "enum":
        out["enum"] = draw(st.lists(json_scalars, min_size=0 if not satisfiable else 1, max_size=3))
    elif kind == "const":
        out["const"] = draw(json_scalars)
    elif kind == "typelist":
        out["type"] = draw(st.lists(st.sampled_from(["string", "integer", "null", "boolean"]),
                                    min_size=1, max_size=3, unique=True))  # fmt: skip
    elif kind in ("boolean", "null"):
        out["type"] = kind
    if draw(st.booleans()):
        out["default"] = draw(json_scalars)
    return out


def composites(satisfiable: bool) -> Any:
    def extend(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        @st.composite
        def build(draw: st.DrawFn) -> dict[str, Any]:
            kind = draw(st.sampled_from(["array", "object", "dict", "anyOf", "oneOf", "ref"]))
            if kind == "array":
                out: dict[str, Any] = {"type": "array", "items": draw(children)}
                low = draw(st.integers(0, 3))
                _maybe(draw, "minItems", st.just(low), out)
                _maybe(draw, "maxItems", st.integers(low if satisfiable else 0, 4), out)
                if not satisfiable:
                    _maybe(draw, "uniqueItems", st.booleans(), out)
                return out
            if kind == "object":
                props = draw(st.dictionaries(st.sampled_from(KEYS), children, max_size=3))
                out = {"type": "object", "properties": props}
                out["required"] = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=3))
                if satisfiable:
                    out["required"] = [k for k in out["required"] if k in props]
                _maybe(draw, "additionalProperties", st.booleans() | children, out)
                return out
            if kind == "dict":
                return {"type": "object", "additionalProperties": draw(children)}
            if kind == "ref":
                return {"$ref": draw(st.sampled_from(["#/types/Task", "#/types/Node"]))}
            if satisfiable and kind == "oneOf":
                # Disjoint branches: a string one and a non-string one.
                return {"oneOf": [{"type": "string"}, {"type": ["integer", "null", "boolean"]}]}
            return {kind: draw(st.lists(children, min_size=1, max_size=3))}

        return build()

    return st.recursive(leaves(satisfiable), extend, max_leaves=6)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(composites(satisfiable=False), st.sampled_from(["", "s", "Database.create", "é 🙂"]))
def test_any_schema_gives_a_valid_value_or_synth_error(schema: Any, seed: str) -> None:
    try:
        value = synth(schema, seed)
    except SynthError as exc:
        assert str(exc)
        return
    assert is_valid(schema, value), (schema, value)
    assert json.loads(json.dumps(value)) == value  # plain JSON data
    assert json.dumps(synth(schema, seed)) == json.dumps(value)  # deterministic


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(composites(satisfiable=True), st.sampled_from(["", "s", "Database.create"]))
def test_satisfiable_schemas_always_synthesize(schema: Any, seed: str) -> None:
    value = synth(schema, seed)
    assert is_valid(schema, value), (schema, value)
    assert json.dumps(synth(schema, seed)) == json.dumps(value)
