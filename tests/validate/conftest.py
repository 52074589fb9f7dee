"""Fixtures of the validation tests; the helpers themselves live in ``spectree.py``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # spectree

from spectree import copy_notes  # noqa: E402


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    """A writable copy of examples/notes/specs at ``tmp_path/specs``; returns ``tmp_path``."""
    return copy_notes(tmp_path)
