"""Helpers of the generation tests: run the real CLI and generated code, copy projects, compare
folder trees.

Every run is a real subprocess: ``specloom`` through its console script, generated systems with
``python -m <package>``, their tests with pytest, and ruff and mypy on the output. Subprocesses
get a private types cache (``SPECLOOM_CACHE_DIR``) and write no bytecode, so a tree holds only
what specloom wrote.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: kit

from kit import (  # noqa: E402,F401 - re-exported for the generation tests
    BIN,
    CACHE,
    FLAGSHIP_SPECS,
    NOTES,
    ROOT,
    changed,
    edit,
    env,
    files,
    ok,
    run,
    specloom,
    stamps,
    tool,
    write_tree,
)


def copy_notes(dest: Path, *, impl: bool = True) -> Path:
    """A project folder with the notes example's specs (and hand-written impl/), not generated."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(NOTES / "specs", dest / "specs")
    if impl:
        shutil.copytree(NOTES / "impl", dest / "impl", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def pytest_generated(out: Path, *paths: str):
    """Run a generated system's own tests (``paths``, default all of ``out/tests``) as a user
    would, in a subprocess; failures and skips are listed with their reasons."""
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rfs", "-q"]
    return run([*cmd, *(paths or ["tests"])], out)


@dataclass(frozen=True)
class Generated:
    """A generated project: ``root`` holds specs/ and impl/, ``out`` the generated folder."""

    root: Path
    package: str
    summary: str  # the summary line of the first generate

    @property
    def out(self) -> Path:
        return self.root / "generated"

    @property
    def impl(self) -> Path:
        return self.root / "impl"


def generate_notes(root: Path, *, impl: bool = True) -> Generated:
    copy_notes(root, impl=impl)
    proc = ok(specloom("generate", "specs", cwd=root))
    return Generated(root, "notes", proc.stdout.strip())


def generate_flagship(root: Path) -> Generated:
    root.mkdir(parents=True, exist_ok=True)
    proc = specloom(
        "generate", FLAGSHIP_SPECS, "-o", root / "generated", "--impl-root", root, cwd=root
    )
    return Generated(root, "orchestra", ok(proc).stdout.strip())
