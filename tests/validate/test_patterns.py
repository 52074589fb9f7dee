"""Patterns run on one linear-time engine (issue 12 section 2): a pattern the engine cannot run is
a located ``E_PATTERN`` with a hint, and hostile patterns never make ``validate`` or ``generate``
hang. Every test has a timeout, so a regression fails instead of hanging the suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from spectree import edit, lines

from generator.patterns import PATTERN_SUBSET, pattern_problem, search
from generator.validate.schema import schema_for

KV = "specs/contracts/key_value.v1.yaml"
PUT_KEY = 'key: {type: string, pattern: "^[a-z0-9:_-]+$", minLength: 1}'
HOSTILE = "a" * 30 + "!"  # exponential for a backtracking engine against ^(a|a)+$


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    ("pattern", "reason", "hint"),
    [
        ("^(a|a)+(?<!a)$", "look-around", "lookahead/lookbehind need a backtracking engine"),
        ("^(?=.*[0-9])[a-z0-9]+$", "look-around", "lookahead/lookbehind"),
        ("^(a)\\\\1$", "backreferences are not supported", "backreferences need"),
        ("^a\\\\Z", "unrecognized escape", "patterns run on the linear-time Rust regex engine"),
        ("^(a{1000}){1000}$", "size limit", "the compiled pattern is too large"),
    ],
)
def test_a_pattern_the_engine_cannot_run_is_a_located_error(
    notes: Path, pattern: str, reason: str, hint: str
) -> None:
    edit(notes, KV, PUT_KEY, f'key: {{type: string, pattern: "{pattern}", minLength: 40}}')
    (line,) = lines(notes)
    assert line.startswith(f"{KV}:8:36: error[E_PATTERN]: pattern ")
    assert reason in line and f"(hint: {hint}" in line


@pytest.mark.timeout(20)
def test_an_example_against_a_catastrophic_pattern_is_checked_promptly(notes: Path) -> None:
    edit(notes, KV, PUT_KEY, 'key: {type: string, pattern: "^(a|a)+$"}')
    edit(notes, KV, '{call: put, with: {key: "x"', f'{{call: put, with: {{key: "{HOSTILE}"')
    found = lines(notes)
    assert any("E_EXAMPLE_ARG" in line and HOSTILE in line for line in found), found


@pytest.mark.timeout(20)
def test_a_default_against_a_catastrophic_pattern_is_checked_promptly(notes: Path) -> None:
    edit(
        notes,
        KV,
        'prefix: {type: string, default: ""}',
        f'prefix: {{type: string, default: "{HOSTILE}", pattern: "^(a|a)+$"}}',
    )
    found = lines(notes)
    assert any("E_DEFAULT_INVALID" in line and HOSTILE in line for line in found), found


@pytest.mark.timeout(60)
def test_generate_refuses_a_lookbehind_pattern_instead_of_hanging(notes: Path) -> None:
    edit(notes, KV, PUT_KEY, 'key: {type: string, pattern: "^(a|a)+(?<!a)$", minLength: 40}')
    edit(
        notes,
        KV,
        "returns: {type: array, items: {type: string}}",
        'returns: {type: array, minItems: 1, items: {type: string, pattern: "^(a|a)+(?<!a)$",'
        " minLength: 40}}",
    )
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("specloom")), "generate", "specs"],
        cwd=notes,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{KV}:8:36: error[E_PATTERN]" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr


def test_matching_is_a_search_with_ecma_end_of_text() -> None:
    assert search("b", "abc") and not search("^b", "abc")
    assert search("^a$", "a") and not search("^a$", "a\n")  # Python's re accepts "a\n"
    assert search("^(a|a)+$", "a" * 40) and not search("^(a|a)+$", "a" * 5000 + "!")
    assert search("^(?<n>[a-z])\\d$", "x1") and search("^\\p{Lu}$", "Ä")
    assert pattern_problem("^[a-z]+$") is None


def test_the_supported_subset_is_in_the_spec_reference() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "spec-reference.md").read_text("utf-8")
    assert PATTERN_SUBSET.replace("|", "\\|") in doc
    subset = schema_for("jsonschema-subset")["$defs"]["schema"]["properties"]["pattern"]
    assert subset["description"] == PATTERN_SUBSET
