"""Schema comparison by accepted values; the self-diff property (a spec against itself: nothing).

Hypothesis draws schemas from the spec subset (types, enums, bounds, patterns, objects, arrays,
unions) and whole contracts built from them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.diff import diff_specs
from generator.diff.schema import Side, compare_schemas
from generator.load import SpecDocument, detect_kind, parse_yaml
from generator.model.spec import SpecSet, build_specset

# -- strategies --------------------------------------------------------------------------------

names = st.sampled_from(["a", "b", "c", "sku", "qty"])
numbers = st.integers(min_value=-5, max_value=5)


def _string() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={
            "minLength": st.integers(0, 3),
            "maxLength": st.integers(3, 9),
            "pattern": st.sampled_from(["^a", "^[a-z]+$", "b$"]),
            "enum": st.lists(st.sampled_from(["x", "y", "z"]), min_size=1, max_size=3, unique=True),
            "default": st.just("x"),
        },
    )


def _number() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"type": st.sampled_from(["integer", "number", ["integer", "null"]])},
        optional={
            "minimum": numbers,
            "maximum": numbers,
            "exclusiveMinimum": numbers,
            "multipleOf": st.sampled_from([1, 2, 0.5]),
        },
    )


leaves = st.one_of(
    _string(),
    _number(),
    st.just({"type": "boolean"}),
    st.just({"type": "null"}),
    st.just({}),
    st.fixed_dictionaries({"const": st.sampled_from([1, "k", None])}),
)


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    arrays = st.fixed_dictionaries(
        {"type": st.just("array"), "items": children},
        optional={"maxItems": st.integers(1, 5), "uniqueItems": st.booleans()},
    )
    objects = st.builds(
        lambda props, req, extra: {
            "type": "object",
            "properties": props,
            "required": sorted(set(req) & set(props)),
            **({} if extra is None else {"additionalProperties": extra}),
        },
        st.dictionaries(names, children, max_size=3),
        st.lists(names, max_size=3),
        st.one_of(st.none(), st.booleans(), children),
    )
    unions = st.lists(children, min_size=1, max_size=3).map(lambda bs: {"anyOf": bs})
    return st.one_of(arrays, objects, unions)


schemas = st.recursive(leaves, _extend, max_leaves=8)


def _side(schema: Any) -> Side:
    return Side(schema, None, (), {})


# -- properties ----------------------------------------------------------------------------------


@given(schemas)
@settings(max_examples=300, deadline=None)
def test_a_schema_compared_with_itself_has_no_change(schema: dict[str, Any]) -> None:
    assert compare_schemas(_side(schema), _side(schema)) == []


@given(schemas)
@settings(max_examples=300, deadline=None)
def test_accepting_anything_never_narrows(schema: dict[str, Any]) -> None:
    changes = compare_schemas(_side(schema), _side({}))
    assert not [c for c in changes if c.narrows], changes


@given(schemas)
@settings(max_examples=300, deadline=None)
def test_from_accepting_anything_never_widens(schema: dict[str, Any]) -> None:
    changes = compare_schemas(_side({}), _side(schema))
    assert not [c for c in changes if c.widens], changes


def _doc(rel: str, data: dict[str, Any]) -> SpecDocument:
    text = yaml.safe_dump(data, sort_keys=False)
    located = parse_yaml(text)
    kind = detect_kind(located.data)
    assert kind is not None
    return SpecDocument(Path(rel), rel, kind, located)


def _specset(methods: dict[str, Any], types: dict[str, Any]) -> SpecSet:
    docs = [
        _doc("system.yaml", {"specloom": 1, "system": {"name": "s", "title": "S", "version": "1"}}),
        _doc("contracts/c.yaml", {"contract": "C", "version": 1, "methods": methods}),
        _doc(
            "modules/m.yaml",
            {"module": "m", "number": 1, "title": "M", "scope": "", "provides": ["C@1"]},
        ),
        _doc("types/t.yaml", {"types": types}),
    ]
    return build_specset(docs)


methods = st.dictionaries(
    st.sampled_from(["get", "put", "find"]),
    st.fixed_dictionaries(
        {"summary": st.just("s")},
        optional={
            "params": st.dictionaries(names, schemas, max_size=3),
            "returns": st.one_of(schemas, st.just({"$ref": "#/types/T"})),
            "errors": st.just(["E"]),
        },
    ),
    min_size=1,
    max_size=3,
)


@given(methods, schemas)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_spec_set_diffed_with_itself_reports_nothing(
    methods: dict[str, Any], type_schema: dict[str, Any]
) -> None:
    spec = _specset(
        methods,
        {
            "T": {
                "type": "object",
                "properties": {"t": {"$ref": "#/types/T"}},
                "additionalProperties": type_schema,
            }
        },
    )
    assert diff_specs(spec, spec).findings == []
    again = _specset(
        methods,
        {
            "T": {
                "type": "object",
                "properties": {"t": {"$ref": "#/types/T"}},
                "additionalProperties": type_schema,
            }
        },
    )
    assert diff_specs(spec, again).findings == []


# -- examples --------------------------------------------------------------------------------------


def _changes(old: Any, new: Any) -> list[tuple[str, bool, bool, str]]:
    return [(c.kind, c.narrows, c.widens, c.where) for c in compare_schemas(_side(old), _side(new))]


def test_nullable_union_and_list_type_are_the_same_values() -> None:
    nullable = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert _changes({"type": ["string", "null"]}, nullable) == []
    assert _changes({"type": "string"}, nullable) == [("TYPE", False, True, "")]
    assert _changes(nullable, {"type": "string"}) == [("TYPE", True, False, "")]


def test_integer_is_a_number() -> None:
    assert _changes({"type": "integer"}, {"type": "number"}) == [("TYPE", False, True, "")]
    assert _changes({"type": "number"}, {"type": "integer"}) == [("TYPE", True, False, "")]


def test_bounds_and_exclusive_bounds() -> None:
    assert _changes({"minimum": 1}, {"exclusiveMinimum": 1}) == [("CONSTRAINT", True, False, "")]
    assert _changes({"exclusiveMaximum": 5}, {"maximum": 5}) == [("CONSTRAINT", False, True, "")]
    assert _changes({"minimum": 1}, {"exclusiveMinimum": 0}) == [("CONSTRAINT", False, True, "")]
    assert _changes({"maxLength": 3}, {}) == [("CONSTRAINT", False, True, "")]


def test_multiple_of() -> None:
    assert _changes({"multipleOf": 2}, {"multipleOf": 4}) == [("CONSTRAINT", True, False, "")]
    assert _changes({"multipleOf": 4}, {"multipleOf": 2}) == [("CONSTRAINT", False, True, "")]
    assert _changes({"multipleOf": 2}, {"multipleOf": 3}) == [("CONSTRAINT", True, True, "")]


def test_a_changed_pattern_may_both_narrow_and_widen() -> None:
    assert _changes({"pattern": "^a"}, {"pattern": "^b"}) == [("CONSTRAINT", True, True, "")]


def test_object_properties_in_both_directions() -> None:
    closed = {"type": "object", "properties": {"a": {}}, "additionalProperties": False}
    opened = {"type": "object", "properties": {"a": {}}}
    assert _changes(closed, {**closed, "properties": {}}) == [
        ("PROPERTY_REMOVED", True, False, "a")
    ]
    assert _changes(opened, {**opened, "properties": {}}) == [
        ("PROPERTY_REMOVED", False, False, "a")
    ]
    assert _changes({**opened, "required": ["a"]}, opened) == [("REQUIRED", False, True, "a")]
    assert _changes(closed, {**closed, "properties": {"a": {}, "b": {}}}) == [
        ("PROPERTY_ADDED", False, True, "b")
    ]


def test_recursive_shared_types_terminate(tmp_path: Path) -> None:
    node = {"type": "object", "properties": {"next": {"$ref": "#/types/Node"}, "v": {}}}
    changed = {**node, "properties": {**node["properties"], "v": {"type": "integer"}}}
    old = _specset({"get": {"summary": "s", "returns": {"$ref": "#/types/Node"}}}, {"Node": node})
    new = _specset(
        {"get": {"summary": "s", "returns": {"$ref": "#/types/Node"}}}, {"Node": changed}
    )
    report = diff_specs(old, new)
    rules = sorted({(f.rule, f.path) for f in report.findings})
    assert rules == [("TYPE_NARROWED", "types/t.yaml")]
