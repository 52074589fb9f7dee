"""Every folder of tests/cases is a spec set and the diagnostics it must produce.

A case is ``tests/cases/<name>/specs/...`` plus ``expected.txt``: one line per diagnostic, in
output order, each either the short form ``path:line:col: error[CODE]`` or the full line with
message and hint (then compared in full). ``specloom validate specs`` runs in the case folder;
its exit code must be 1 when any line is an error, else 0. Add a case by adding a folder.

After an intended change of locations or messages, rewrite the expected files (full lines stay
full where they still match) and review the diff:

    SPECLOOM_UPDATE_CASES=1 .venv/bin/pytest tests/validate/test_case_folders.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from spectree import CASES, SHORT, short

from generator.cli import main

UPDATE = bool(os.environ.get("SPECLOOM_UPDATE_CASES"))
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())
SOURCES = [Path(__file__).resolve().parents[2] / "generator" / sub for sub in ("load", "validate")]


def read_expected(case: Path) -> list[str]:
    text = (case / "expected.txt").read_text("utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def run_validate(case: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, list[str]]:
    monkeypatch.chdir(case)
    result = CliRunner().invoke(main, ["validate", "specs"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.stdout == "", "text diagnostics go to stderr"
    return result.exit_code, result.stderr.splitlines()


def is_full(line: str) -> bool:
    m = SHORT.match(line)
    return bool(m and m.group("rest"))


def as_expected(got: list[str], expected: list[str]) -> list[str]:
    """Each output line cut to the granularity of its expected line (short or full)."""
    out = []
    for i, line in enumerate(got):
        full = i < len(expected) and is_full(expected[i])
        out.append(line if full or not SHORT.match(line) else short(line))
    return out


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    case = CASES / name
    assert (case / "specs").is_dir(), f"case {name} has no specs/ folder"
    assert (case / "expected.txt").is_file(), f"case {name} has no expected.txt"
    expected = read_expected(case)
    code, got = run_validate(case, monkeypatch)
    if UPDATE:
        kept = set(expected)
        new = [line if line in kept else short(line) for line in got]
        (case / "expected.txt").write_text("".join(f"{line}\n" for line in new), "utf-8")
        pytest.skip("expected.txt rewritten")
    assert as_expected(got, expected) == expected, (
        "diagnostics differ; if the change is intended, run "
        "SPECLOOM_UPDATE_CASES=1 .venv/bin/pytest tests/validate/test_case_folders.py"
    )
    errors = any(" error[" in line or ": error[" in line for line in expected)
    assert code == (1 if errors else 0)


def test_cases_exist() -> None:
    assert len(NAMES) >= 50
    assert any(not read_expected(CASES / n) for n in NAMES), "a valid baseline case is kept"


def emitted_codes() -> set[str]:
    codes: set[str] = set()
    for folder in SOURCES:
        for path in folder.rglob("*.py"):
            codes |= set(re.findall(r'"([EW]_[A-Z_]+)"', path.read_text("utf-8")))
    return codes


def test_every_code_has_a_located_test() -> None:
    """Each code emitted by generator/load and generator/validate is asserted: in a case folder's
    expected.txt (with its location), or in a test (this folder's assert locations too, for
    generated inputs such as a 2 MiB file or an alias bomb)."""
    in_cases = set()
    for n in NAMES:
        for line in read_expected(CASES / n):
            in_cases |= set(re.findall(r"\[([EW]_[A-Z_]+)\]", line))
    in_tests = set()
    for path in Path(__file__).parents[1].rglob("test_*.py"):
        if path.name != Path(__file__).name:
            text = path.read_text("utf-8")
            in_tests |= set(re.findall(r'(?:"|(?:error|warning)\[)([EW]_[A-Z_]+)["\]]', text))
    codes = emitted_codes()
    assert len(codes) >= 30
    assert codes - in_cases - in_tests == set()
