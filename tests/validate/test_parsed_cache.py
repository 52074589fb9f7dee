"""Spec files parsed before are taken from the parse cache (generator/load/parsed.py) by the
hash of their bytes: a hit gives the very data and positions a fresh parse gives, and a file
edited in place (same size, same mtime even) is parsed again."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from kit import NOTES

from generator.load import load_specs
from generator.packs import pack_path
from generator.validate import validate_specs


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path / "cache"))


def _docs(folder: Path, *, cache: bool) -> dict[str, tuple[object, ...]]:
    docs, diags = load_specs(folder, folder.parent, cache=cache)
    assert not diags
    return {d.shown: (d.kind, d.data, d.doc.values, d.doc.keys, d.digest) for d in docs}


def test_a_hit_gives_what_a_fresh_parse_gives(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(NOTES / "specs", specs)
    fresh = _docs(specs, cache=False)
    assert not list((tmp_path / "cache").rglob("*.pack"))  # cache=False writes nothing
    first = _docs(specs, cache=True)
    assert list((tmp_path / "cache" / "parsed").glob("*.pack"))
    assert _docs(specs, cache=True) == first == fresh


def test_an_edited_file_is_parsed_again_and_located_right(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(NOTES / "specs", specs)
    assert validate_specs(specs, tmp_path).ok  # fills the cache
    path = specs / "modules" / "01-store.yaml"
    text = path.read_text("utf-8")
    stat = path.stat()
    # same length, same mtime: only the bytes tell the edit
    broken = text.replace("module: store", "module: St0re", 1)
    assert len(broken) == len(text) and broken != text
    path.write_text(broken, "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    result = validate_specs(specs, tmp_path)
    bad = [d for d in result.errors if d.path.endswith("01-store.yaml")]
    line = text[: text.index("module: store")].count("\n") + 1
    assert bad and all(d.line == line for d in bad), bad
    path.write_text(text, "utf-8")
    assert validate_specs(specs, tmp_path).ok


def test_a_damaged_pack_reads_as_missing(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(NOTES / "specs", specs)
    first = _docs(specs, cache=True)
    (pack,) = (tmp_path / "cache" / "parsed").glob("*.pack")
    pack.write_bytes(pack.read_bytes()[:40])
    assert _docs(specs, cache=True) == first
    assert pack_path("parsed", pack.stem).read_bytes()[:40] != b""
