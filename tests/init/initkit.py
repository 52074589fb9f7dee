"""Helpers of the ``specloom init`` tests: run commands and the CLI, run ``make`` in a project.

A project's ``make`` targets run against the environment running the tests (``VENV=sys.prefix``
and ``make -o`` on its setup stamp), so they need no network; ``test_fresh_setup`` runs the real
setup from nothing once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: kit

import kit  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SPECLOOM = Path(sys.executable).with_name("specloom")


def git_env() -> dict[str, str]:
    env = dict(os.environ)
    for role in ("AUTHOR", "COMMITTER"):
        env[f"GIT_{role}_NAME"] = "Test"
        env[f"GIT_{role}_EMAIL"] = "test@example.invalid"
    env.pop("GIT_DIR", None)
    env.pop("GIT_WORK_TREE", None)
    return env


def run(
    *args: str | Path,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run a command; on an unexpected exit code fail with its output."""
    done = kit.run(list(args), cwd, environ=env or git_env(), timeout=300)
    if check and done.returncode != 0:
        pytest.fail(
            f"{' '.join(map(str, args))} exited {done.returncode}\n"
            f"--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
        )
    return done


def specloom(
    *args: str | Path, cwd: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    return run(SPECLOOM, *args, cwd=cwd, check=check)


def make(project: Path, *targets: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """``make TARGET`` in a project, with the test environment standing in for its .venv."""
    venv = Path(sys.prefix)
    stamp = venv / ".specloom-installed"
    return run("make", f"VENV={venv}", "-o", stamp, *targets, cwd=project, check=check)
