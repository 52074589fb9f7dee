"""The runner's verdict on a green test run (``judge``) and the schema inlining of the context."""

from __future__ import annotations

from typing import Any

from generator.fill.context import example_data, inline_types
from generator.fill.runner import Case, judge

STEM = "test_key_value_v1"
FIRST = {
    "name": "put then get",
    "steps": [{"call": "put"}, {"call": "put"}, {"call": "get"}, {"call": "keys"}],
}
SECOND = {"name": "delete", "steps": [{"call": "put"}, {"call": "delete"}, {"call": "get"}]}


def _cases(**by_example: Case) -> dict[tuple[str, str], Case]:
    names = {"first": FIRST["name"], "second": SECOND["name"]}
    cases = {(STEM, f"test_mock[{n}]"): Case("passed", "") for n in names.values()}
    for key, case in by_example.items():
        cases[(STEM, f"test_implementation[{names[key]}]")] = case
    return cases


def _pending(replayed: int, total: int) -> Case:
    return Case(
        "skipped", f"pending: 2 stub(s) left in store: a, b (replayed {replayed} of {total} steps)"
    )


def test_a_passed_example_or_a_replay_past_the_method_checks_it() -> None:
    examples = [(STEM, FIRST), (STEM, SECOND)]
    assert (
        judge(_cases(first=Case("passed", ""), second=_pending(1, 3)), examples, "get", []) is None
    )
    assert (
        judge(_cases(first=_pending(3, 4), second=_pending(1, 3)), examples, "get", ["keys"])
        is None
    )


def test_an_example_blocked_before_the_method_does_not_count() -> None:
    examples = [(STEM, FIRST), (STEM, SECOND)]
    verdict = judge(
        _cases(first=_pending(2, 4), second=_pending(1, 3)), examples, "get", ["delete", "keys"]
    )
    assert verdict == (
        "no contract example can check get yet: each one calls delete before it, still a stub; "
        "fill those first"
    )


def test_skips_for_other_reasons_and_missing_tests_fail() -> None:
    examples = [(STEM, FIRST)]
    broken = Case("skipped", "store: import failed: ModuleNotFoundError: No module named 'x'")
    assert judge(_cases(first=Case("passed", ""), second=broken), examples, "put", []) == (
        "example 'delete' could not run: store: import failed: ModuleNotFoundError: "
        "No module named 'x'"
    )
    assert judge(_cases(second=Case("passed", "")), examples, "put", []) == (
        "the contract test of example 'put then get' did not run"
    )
    assert judge(_cases(first=Case("failed", "boom")), examples, "put", []) == (
        "some contract tests failed"
    )
    other_file = [("test_notes_v1", FIRST)]  # same example name, another contract: not this one
    assert judge(_cases(first=Case("passed", "")), other_file, "put", []) is not None


def test_a_method_no_example_calls_passes_on_a_green_run() -> None:
    assert judge(_cases(first=Case("passed", "")), [], "stats", []) is None


def test_inline_types_and_example_data() -> None:
    types: dict[str, Any] = {
        "Note": {"type": "object", "properties": {"id": {"type": "string"}}},
        "Tree": {"type": "object", "properties": {"kids": {"items": {"$ref": "#/types/Tree"}}}},
    }
    schema = {"type": "array", "items": {"$ref": "#/types/Note", "description": "a note"}}
    assert inline_types(schema, types) == {
        "type": "array",
        "items": {
            "title": "Note",
            "type": "object",
            "properties": {"id": {"type": "string"}},
            "description": "a note",
        },
    }
    tree = inline_types({"$ref": "#/types/Tree"}, types)
    assert tree["properties"]["kids"]["items"] == {"$ref": "#/types/Tree"}  # recursion stops
    step = {"call": "get", "with": {"k": 1}, "returns": 2, "match": "exact", "default": 9}
    assert example_data({"name": "n", "steps": [step]}) == {
        "name": "n",
        "steps": [{"call": "get", "with": {"k": 1}, "returns": 2}],
    }


def test_the_judge_compares_json_like_the_contract_tests() -> None:
    from generator.fill.judge import json_equal, json_subset, resolve_vars

    assert json_equal(1, 1.0) and not json_equal(True, 1) and not json_equal(1, True)
    assert not json_equal({"a": 1}, {"a": 1, "b": 2}) and json_subset({"a": 1, "b": 2}, {"a": 1})
    assert not json_equal([1, 2], [2, 1]) and not json_equal("1", 1)
    assert resolve_vars({"id": {"$var": "n"}, "l": [{"$var": "n"}]}, {"n": "x"}) == {
        "id": "x",
        "l": ["x"],
    }


def test_result_patterns_run_in_linear_time() -> None:
    from generator.fill.judge import ResultChecker

    checker = ResultChecker({"Id": {"type": "string", "pattern": "^(a|a)+$"}})
    # 2**60 steps for a backtracking engine: this returns at once only with a linear one
    assert checker.problem("a" * 60 + "b", {"$ref": "#/types/Id"}) is not None
    assert checker.problem("a" * 60, {"$ref": "#/types/Id"}) is None
    assert checker.problem("b", {"type": "string", "pattern": "(?<!x)b"}) is None  # falls back
    assert checker.problem(None, None) is None and checker.problem(1, None) is not None
