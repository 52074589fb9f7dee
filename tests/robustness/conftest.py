"""Fixtures of the robustness tests: a private cache, and the notes example generated before and
after a spec change (the two states an interrupted regeneration may mix)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from robustkit import add_method, notes_project, ok, specloom, tree


@dataclass(frozen=True)
class Versions:
    """The notes project generated from version 1 of its specs (``v1``: copy it before use) and
    the trees that versions 1 and 2 produce (``old``, ``new``: generated/ and impl/)."""

    v1: Path
    old: dict[str, bytes]
    new: dict[str, bytes]

    def copy(self, dest: Path) -> Path:
        shutil.copytree(self.v1, dest, symlinks=True)
        return dest


def _snapshot(project: Path) -> dict[str, bytes]:
    out = {f"generated/{k}": v for k, v in tree(project / "generated").items()}
    out.update({f"impl/{k}": v for k, v in tree(project / "impl").items()})
    return out


@pytest.fixture(scope="session")
def versions(tmp_path_factory: pytest.TempPathFactory) -> Versions:
    base = tmp_path_factory.mktemp("versions")
    v1 = notes_project(base / "v1")
    ok(specloom("generate", "specs", cwd=v1))
    v2 = Versions(v1, {}, {}).copy(base / "v2")
    add_method(v2)
    ok(specloom("generate", "specs", cwd=v2))
    old, new = _snapshot(v1), _snapshot(v2)
    assert old != new
    return Versions(v1, old, new)
