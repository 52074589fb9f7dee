"""The speed caches never change what is generated or reported: output from a cold cache, a warm
cache, a partly warm one (some files formatted before) and ``--no-cache`` is byte-identical, and a
spec file that was valid once is checked again as soon as it changes."""

from __future__ import annotations

import shutil
from pathlib import Path

from robustkit import KV, add_method, notes_project, ok, specloom, tree


def _outputs(project: Path) -> dict[str, bytes]:
    out = {f"generated/{k}": v for k, v in tree(project / "generated").items()}
    out.update({f"impl/{k}": v for k, v in tree(project / "impl").items()})
    return out


def _fresh(tmp_path: Path, name: str, *args: str, v2: bool, cache: Path) -> dict[str, bytes]:
    project = notes_project(tmp_path / name)
    if v2:
        add_method(project)
    ok(specloom("generate", "specs", *args, cwd=project, SPECLOOM_CACHE_DIR=str(cache)))
    return _outputs(project)


def test_cold_warm_partial_and_no_cache_outputs_are_identical(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    reference = _fresh(tmp_path, "no-cache", "--no-cache", v2=True, cache=tmp_path / "other")
    assert not (tmp_path / "other" / "format").exists()

    # Version 1 fills the cache; version 2 then finds most files formatted and types cached.
    _fresh(tmp_path, "v1", v2=False, cache=cache)
    assert any((cache / "format").rglob("*")), "the format cache was not used"
    assert _fresh(tmp_path, "partial", v2=True, cache=cache) == reference
    assert _fresh(tmp_path, "warm", v2=True, cache=cache) == reference


def test_an_incremental_regeneration_equals_a_fresh_one(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    project = notes_project(tmp_path / "project")
    ok(specloom("generate", "specs", cwd=project, SPECLOOM_CACHE_DIR=str(cache)))
    add_method(project)
    ok(specloom("generate", "specs", cwd=project, SPECLOOM_CACHE_DIR=str(cache)))
    fresh = _fresh(tmp_path, "fresh", "--no-cache", v2=True, cache=tmp_path / "other")
    generated = {k: v for k, v in _outputs(project).items() if k.startswith("generated/")}
    assert generated == {k: v for k, v in fresh.items() if k.startswith("generated/")}


def test_a_file_valid_once_is_checked_again_when_it_changes(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache")
    project = notes_project(tmp_path / "project")
    ok(specloom("validate", "specs", cwd=project, SPECLOOM_CACHE_DIR=cache))
    assert any((tmp_path / "cache" / "valid").iterdir())
    path = project / KV
    path.write_text(path.read_text().replace("summary:", "sumary:", 1))
    proc = specloom("validate", "specs", cwd=project, SPECLOOM_CACHE_DIR=cache)
    assert proc.returncode == 1
    assert "unknown key 'sumary'" in proc.stderr
    shutil.rmtree(project / "specs")
    shutil.copytree(Path(__file__).resolve().parents[2] / "examples/notes/specs", project / "specs")
    ok(specloom("validate", "specs", cwd=project, SPECLOOM_CACHE_DIR=cache))
