"""Plausible mock answers (issue 13 section 5): a synthesised answer uses the schema's own
examples, then values the contract's examples give a property of that name, and never echoes a
property's name as its value; answers stay valid against their schemas."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from generator.diff.adapters import served_versions
from generator.model.plausible import offer, samples_of
from generator.model.synth import synthesize
from generator.model.view import build_view
from generator.validate import validate_specs

ROOT = Path(__file__).resolve().parents[2]
SETS = ["specs", "examples/notes/specs", "examples/versions/specs"]


def _echoes(value: Any, path: str = "") -> list[str]:
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, str) and v == k:
                out.append(f"{path}.{k}")
            out += _echoes(v, f"{path}.{k}")
    elif isinstance(value, list):
        for v in value:
            out += _echoes(v, path)
    return out


@pytest.mark.parametrize("folder", SETS)
def test_no_mock_answer_echoes_a_property_name(folder: str) -> None:
    result = validate_specs(ROOT / folder)
    assert result.spec is not None
    view = build_view(result.spec, served_versions(result.spec))
    echoes = []
    for c in view.contracts:
        for m in c.methods:
            echoes += _echoes(m.default_result, f"{c.key}.{m.name}")
        for ex in c.examples:
            for step in ex["steps"]:
                echoes += _echoes(step.get("default"), f"{c.key}/{ex['name']}")
    assert echoes == []


def test_notes_answers_use_the_examples_values() -> None:
    result = validate_specs(ROOT / "examples" / "notes" / "specs")
    assert result.spec is not None
    view = build_view(result.spec, served_versions(result.spec))
    notes = next(c for c in view.contracts if c.key == "Notes@1")
    get_note = next(m for m in notes.methods if m.name == "get_note")
    assert get_note.default_result == {
        "id": "id-1",
        "title": "Shopping",
        "body": "milk",
        "tags": [],
    }


def _synth(schema: dict[str, Any], samples: dict[str, list[Any]]) -> Any:
    value = synthesize(offer(schema, samples), resolve_ref=lambda n: {}, seed="s")
    assert Draft202012Validator(schema).is_valid(value)
    return value


def test_examples_first_then_samples_then_a_word_and_only_valid_candidates() -> None:
    schema = {
        "type": "object",
        "required": ["name", "city", "code", "email", "tier", "parent", "count"],
        "properties": {
            "name": {"type": "string"},
            "city": {"type": "string", "examples": ["Lyon"]},
            "code": {"type": "string", "pattern": "^[A-Z]{3}$"},
            "email": {"type": "string", "format": "email"},
            "tier": {"type": "string", "enum": ["gold", "silver"]},
            "parent": {"type": ["string", "null"]},
            "count": {"type": "integer", "minimum": 5},
        },
    }
    samples = samples_of([{"code": "lowercase", "count": 2, "name": "Grace"}])
    value = _synth(schema, samples)
    assert value["name"] == "Grace"  # from the examples
    assert value["city"] == "Lyon"  # the schema's own example
    assert value["code"] != "lowercase" and len(value["code"]) == 3  # the sample does not fit
    assert value["tier"] == "gold" and value["parent"] is None
    assert value["count"] >= 5  # 2 does not fit
    assert "@" in value["email"]
    assert _synth(schema, {})["name"] == "Ada Lovelace"


def test_samples_read_through_matchers_and_skip_variables() -> None:
    got = samples_of([{"a": {"$like": {"sku": "apple"}}, "b": {"$var": "x"}, "c": True}])
    assert got == {"sku": ["apple"]}
