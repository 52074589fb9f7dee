"""Generation is a pure function of the specs: byte-identical output across runs, folders,
hash seeds and caches, and nothing in it that depends on when it ran."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from genkit import FLAGSHIP_SPECS, NOTES, files, ok, specloom


def _generate(specs: Path, project: Path, *, seed: str, cache: Path) -> dict[str, bytes]:
    """Generate ``specs`` into ``project/generated`` (scaffolds in ``project/impl``) in a fresh
    process with ``PYTHONHASHSEED=seed`` and an empty types cache; everything written."""
    project.mkdir(parents=True)
    ok(
        specloom(
            "generate",
            specs,
            "-o",
            project / "generated",
            "--impl-root",
            project,
            cwd=project,
            cache=cache,
            PYTHONHASHSEED=seed,
        )
    )
    return files(project)


def _same(first: dict[str, bytes], second: dict[str, bytes]) -> None:
    assert "generated/.specloom/manifest.json" in first
    assert len([p for p in first if p.endswith(".py")]) > 10
    assert first.keys() == second.keys()
    differing = sorted(p for p in first if first[p] != second[p])
    assert differing == [], f"output differs between runs: {differing}"


def test_flagship_is_byte_identical_across_folders_and_hash_seeds(tmp_path: Path) -> None:
    # Two cold runs (empty types cache): datamodel-code-generator runs in both.
    first = _generate(FLAGSHIP_SPECS, tmp_path / "a" / "one", seed="0", cache=tmp_path / "c1")
    second = _generate(FLAGSHIP_SPECS, tmp_path / "b" / "two", seed="4242", cache=tmp_path / "c2")
    _same(first, second)


def test_notes_is_byte_identical_from_a_warm_cache_in_another_folder(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cold = _generate(NOTES / "specs", tmp_path / "cold", seed="1", cache=cache)
    assert any(cache.rglob("*.py")), "the types cache was not filled"
    warm = _generate(NOTES / "specs", tmp_path / "x" / "warm", seed="2", cache=cache)
    _same(cold, warm)


def test_output_holds_no_timestamp_of_the_run(flagship_project) -> None:
    now = dt.datetime.now(dt.UTC)
    days = {now.date(), now.astimezone().date(), (now - dt.timedelta(hours=1)).date()}
    stamps = {d.isoformat() for d in days} | {d.strftime("%d/%m/%Y") for d in days}
    clock = re.compile(rb"(generated|created|written)( at| on)? \d", re.IGNORECASE)
    tree = files(flagship_project.root)
    assert len(tree) > 100
    for rel, data in tree.items():
        for stamp in stamps:
            assert stamp.encode() not in data, f"{rel} contains today's date {stamp}"
        assert not clock.search(data), f"{rel} records when it was generated"
