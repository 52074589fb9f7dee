"""Helpers of the CLI tests (a module of its own: importing ``conftest`` is unreliable)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

Run = Callable[..., subprocess.CompletedProcess[str]]


def specloom_executable() -> str:
    """The installed ``specloom`` console script (next to this Python, else on PATH)."""
    beside = Path(sys.executable).parent / "specloom"
    found = str(beside) if beside.exists() else shutil.which("specloom")
    assert found, "the specloom command is not installed (pip install -e .)"
    return found
