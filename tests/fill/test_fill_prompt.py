"""build_prompt: deterministic messages carrying the context, the rules and the feedback."""

from __future__ import annotations

from typing import Any

from generator.fill.prompt import ANSWER_SCHEMA, StubContext, build_prompt, trim


def _ctx(impl: str) -> StubContext:
    return StubContext(
        module="database",
        contract="Database@1",
        method="create",
        signature="async def create(self, table: str, data: dict[str, Any]) -> str",
        docstring="Create new record, return ID",
        params_schema={"type": "object", "properties": {"table": {"type": "string"}}},
        returns_schema={"type": "string"},
        errors={"TableNotFound": "The table does not exist", "Conflict": "Duplicate"},
        examples=[{"name": "creates", "steps": [{"call": "create", "expect": "id"}]}],
        brief="Stores rows in memory.",
        impl_source=impl,
    )


def test_prompt_is_deterministic_and_complete(kit: Any) -> None:
    messages = build_prompt(_ctx(kit.IMPL), None)
    assert messages == build_prompt(_ctx(kit.IMPL), None)
    assert [m["role"] for m in messages] == ["system", "user"]
    system, user = messages[0]["content"], messages[1]["content"]
    assert "same signature" in system and "@stub" in system and '"imports"' in system
    for expected in (
        "Module: database (contract Database@1)",
        "async def create(self, table: str, data: dict[str, Any]) -> str",
        "Create new record, return ID",
        "Stores rows in memory.",
        '"table": {',
        "- Conflict: Duplicate\n- TableNotFound: The table does not exist",
        '"name": "creates"',
        kit.IMPL.rstrip(),
    ):
        assert expected in user
    assert "previous attempt" not in user


def test_feedback_is_included_and_trimmed(kit: Any) -> None:
    feedback = "E   AssertionError: head\n" + "x" * 20_000 + "\nlast line of the output"
    user = build_prompt(_ctx(kit.IMPL), feedback)[1]["content"]
    assert "Your previous attempt failed:" in user
    assert "E   AssertionError: head" in user and "last line of the output" in user
    assert "characters cut" in user
    assert len(user) < len(kit.IMPL) + 7000


def test_trim_and_schema() -> None:
    assert trim("  short  ") == "short"
    trimmed = trim("a" * 100 + "b" * 100, limit=30)
    assert trimmed.startswith("a" * 10) and trimmed.endswith("b" * 20)
    assert ANSWER_SCHEMA["required"] == ["imports", "code"]
