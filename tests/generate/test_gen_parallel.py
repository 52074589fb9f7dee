"""A cold generate of a large system renders its unit files in two processes (render/project.py
``_render_units``) and parses its spec files in two (load/parsed.py): the output is byte for
byte the output of a run that does everything in one process (``SPECLOOM_NO_FORK=1``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from genkit import files

from generator.pipeline import Options, generate
from generator.render.project import _SPLIT_AT

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import synth_specs  # noqa: E402


def _generate(project: Path) -> dict[str, str]:
    outcome = generate(
        Options(specs=project / "specs", out=project / "generated", impl_root=project)
    )
    assert outcome.rendered == outcome.renderable > _SPLIT_AT  # all rendered: split
    return files(project / "generated") | {
        f"impl/{p.name}": p.read_text("utf-8") for p in sorted((project / "impl").glob("*.py"))
    }


def test_two_processes_write_what_one_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("two", "one"):
        synth_specs.write_system(tmp_path / name / "specs", 80, 2)
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path / "cache-two"))
    two = _generate(tmp_path / "two")
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path / "cache-one"))
    monkeypatch.setenv("SPECLOOM_NO_FORK", "1")
    one = _generate(tmp_path / "one")
    differ = sorted(k for k in one.keys() | two.keys() if one.get(k) != two.get(k))
    assert not differ
