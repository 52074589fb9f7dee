"""docs/diff-rules.md is generated from the rule registry and must be current."""

from pathlib import Path

from generator.diff.docs import render
from generator.diff.rules import RULES

DOC = Path(__file__).resolve().parents[2] / "docs" / "diff-rules.md"


def test_rules_page_is_current() -> None:
    assert DOC.read_text("utf-8") == render(), (
        "docs/diff-rules.md is stale: "
        "run `.venv/bin/python -m generator.diff.docs > docs/diff-rules.md`"
    )


def test_every_rule_has_a_row_with_its_level() -> None:
    text = DOC.read_text("utf-8")
    for rule in RULES.values():
        assert f"| `{rule.id}` | {rule.level.value} |" in text
        assert rule.id.isupper() and " " not in rule.id
        assert rule.description.endswith(".") and "\n" not in rule.description
