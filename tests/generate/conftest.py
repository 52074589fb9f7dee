"""Fixtures of the generation tests: a private types cache, and generated systems built once per
session (the notes example with its hand-written implementations, the flagship with fresh
scaffolds), each in its own temporary project folder; ``notes`` is a private copy to change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from genkit import Generated, generate_flagship, generate_notes


@pytest.fixture(scope="session")
def notes_project(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """The notes example generated once, with its hand-written (complete) implementations.
    Shared by every test that only reads or runs it: never change it (use ``notes``)."""
    return generate_notes(tmp_path_factory.mktemp("notes"))


@pytest.fixture(scope="session")
def flagship_project(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    """The flagship generated once, with fresh scaffolds (every module served by its mock).
    Shared like ``notes_project``: never change it."""
    return generate_flagship(tmp_path_factory.mktemp("flagship"))


@pytest.fixture(scope="session")
def _notes_pristine(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate_notes(tmp_path_factory.mktemp("notes-pristine") / "project")


@pytest.fixture
def notes(_notes_pristine: Generated, tmp_path: Path) -> Generated:
    """A private copy of the generated notes example, for a test that changes it (copied from
    one generation per session: a copy is much cheaper than a run)."""
    root = tmp_path / "project"
    shutil.copytree(_notes_pristine.root, root, symlinks=True)
    return Generated(root, _notes_pristine.package, _notes_pristine.summary)
