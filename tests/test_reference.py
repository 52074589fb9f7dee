"""The spec reference page documents every key of every JSON Schema, and is current."""

from pathlib import Path

from generator.reference import render_reference
from generator.validate.schema import SCHEMA_FILES, schema_for

DOC = Path(__file__).resolve().parent.parent / "docs" / "spec-reference.md"


def _keys(node: dict, prefix: str = "") -> set[str]:
    out = set()
    for key, sub in node.get("properties", {}).items():
        out.add(prefix + key)
        if sub.get("type") == "object" and "properties" in sub:
            out |= _keys(sub, f"{prefix}{key}.")
    return out


def test_reference_page_is_current() -> None:
    assert DOC.read_text("utf-8") == render_reference(), (
        "docs/spec-reference.md is stale: run "
        "`.venv/bin/python -m generator.reference > docs/spec-reference.md`"
    )


def test_every_top_level_key_is_documented() -> None:
    text = render_reference()
    for kind in SCHEMA_FILES:
        schema = schema_for(kind)
        node = schema["$defs"]["schema"] if kind == "jsonschema-subset" else schema
        for key in _keys(node):
            assert f"`{key}`" in text, f"{kind}: {key} is not documented"
        for key, sub in node.get("properties", {}).items():
            assert sub.get("description") or kind == "jsonschema-subset", f"{kind}.{key}"
