"""Fixtures of the ``specloom fill`` end-to-end tests.

A scaffold project is made once per test module: examples/notes/specs copied to a temporary folder
and generated there without impl/, so every method of impl/store.py and impl/notes.py is a stub.
Each test gets its own copy. ``specloom fill`` runs as a real subprocess against the fake Ollama
server of tests/fake_ollama.py (the real ``ollama`` client talks HTTP to it on 127.0.0.1).
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fill_cli_kit import MODEL, REPO, SPECLOOM, TESTS, run

sys.path.insert(0, str(TESTS))  # fake_ollama

from fake_ollama import FakeOllama  # noqa: E402


@pytest.fixture(scope="module")
def scaffold(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated notes project whose implementations are all stubs (do not modify)."""
    root = tmp_path_factory.mktemp("scaffold") / "notes"
    shutil.copytree(REPO / "examples" / "notes" / "specs", root / "specs")
    done = run([*SPECLOOM, "generate", "specs"], root)
    assert done.returncode == 0, done.stderr
    assert "created impl/store.py" in done.stderr and "created impl/notes.py" in done.stderr
    return root


@pytest.fixture
def project(scaffold: Path, tmp_path: Path) -> Path:
    """A fresh copy of the scaffold project."""
    target = tmp_path / "notes"
    shutil.copytree(scaffold, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


@pytest.fixture
def fake() -> Iterator[FakeOllama]:
    with FakeOllama(models=[MODEL], hang_seconds=5.0) as server:
        yield server
