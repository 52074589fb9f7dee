"""Fixtures of the CLI tests: the installed ``specloom`` executable, run in a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "validate")]  # clikit, spectree

import kit  # noqa: E402
from clikit import REPO, Run, specloom_executable  # noqa: E402


@pytest.fixture(scope="session")
def specloom() -> Run:
    """``specloom(*args, cwd=...)``: run the CLI, capture text output, never raise on exit code."""
    exe = specloom_executable()
    env = {k: v for k, v in os.environ.items() if k != "SPECLOOM_DEBUG"}

    def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
        return kit.run([exe, *args], cwd, environ=env, timeout=120)

    return run
