"""Helpers of the validation tests: build spec trees from dicts and run ``validate_specs``.

``write_tree(root, {"specs/system.yaml": "...", ...})`` writes files (text as UTF-8, bytes as is;
``None`` deletes), like copier's ``build_file_tree``: a test's case and its assertions stand
together. ``diagnostics(root)`` validates ``root/specs`` with paths shown relative to ``root``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from generator.errors import Diagnostic
from generator.validate import ValidationResult, validate_specs

REPO = Path(__file__).resolve().parents[2]
NOTES_SPECS = REPO / "examples" / "notes" / "specs"
FLAGSHIP_SPECS = REPO / "specs"
CASES = REPO / "tests" / "cases"

# The short form a test asserts: where, severity and code (the message may follow).
SHORT = re.compile(r"^(?P<short>.*?: (?:error|warning)\[[EW]_[A-Z_]+\])(?:: (?P<rest>.*))?$")


def write_tree(root: Path, files: dict[str, str | bytes | None]) -> Path:
    """Write (or with ``None`` delete) files below ``root``; return ``root``."""
    for rel, content in files.items():
        path = root / rel
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="")
    return root


def copy_notes(root: Path, changes: dict[str, str | bytes | None] | None = None) -> Path:
    """A copy of the notes example's specs at ``root/specs``, with ``changes`` applied."""
    shutil.copytree(NOTES_SPECS, root / "specs")
    return write_tree(root, changes or {})


def edit(root: Path, rel: str, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a file of the tree (fails loudly otherwise)."""
    path = root / rel
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
    path.write_text(text.replace(old, new), "utf-8")


def validate(root: Path) -> ValidationResult:
    return validate_specs(root / "specs", base=root)


def diagnostics(root: Path) -> list[Diagnostic]:
    return validate(root).diagnostics


def lines(root: Path) -> list[str]:
    """The text lines ``specloom validate`` would print for ``root/specs`` (run from root)."""
    return [d.format_text() for d in diagnostics(root)]


def short(line: str) -> str:
    """``path:line:col: error[CODE]`` of a diagnostic line."""
    m = SHORT.match(line)
    assert m, f"not a diagnostic line: {line!r}"
    return m.group("short")
