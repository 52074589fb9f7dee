"""``map_in_two`` (generator/parallel.py) gives what a plain loop gives, in order, whether the
forked child answers, dies, or is not used; the parse cache primed through it gives the same
documents as parsing one by one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.load import load_specs
from generator.parallel import map_in_two

PARENT = os.getpid()


def _square(x: int) -> tuple[int, bool]:
    return x * x, os.getpid() != PARENT


def _dies_in_the_child(x: int) -> int:
    if os.getpid() != PARENT:
        os._exit(3)
    return -x


def test_same_results_in_order_and_the_child_did_half() -> None:
    items = list(range(500))
    got = map_in_two(_square, items, least=10)
    assert [v for v, _ in got] == [x * x for x in items]
    if (os.cpu_count() or 1) >= 2 and hasattr(os, "fork"):
        assert [child for _, child in got] == [False] * 250 + [True] * 250


def test_a_child_that_dies_costs_only_time() -> None:
    assert map_in_two(_dies_in_the_child, list(range(300)), least=10) == [-x for x in range(300)]


def test_few_items_stay_here() -> None:
    assert all(not child for _, child in map_in_two(_square, list(range(50)), least=100))


def test_a_large_spec_folder_loads_the_same_with_and_without_the_fork(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import synth_specs

    specs = synth_specs.write_system(tmp_path / "specs", 120, 2)
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path / "cache"))
    forked, _ = load_specs(specs, tmp_path, cache=False)
    monkeypatch.setenv("SPECLOOM_NO_FORK", "1")
    plain, _ = load_specs(specs, tmp_path, cache=False)
    assert len(forked) == 242  # 120 modules, 120 contracts, types, system
    assert [(d.shown, d.data, d.doc.values, d.doc.keys) for d in forked] == [
        (d.shown, d.data, d.doc.values, d.doc.keys) for d in plain
    ]


def _fails_here(x: int) -> int:
    if os.getpid() == PARENT and x == 5:
        raise ValueError("ours failed")
    return x


def _children() -> set[int]:
    """Our child processes, running or zombies (from /proc)."""
    out = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            out.add(int(stat.parent.name))
    return out


def test_when_our_half_fails_the_child_is_stopped_and_reaped() -> None:
    before = _children()
    with pytest.raises(ValueError, match="ours failed"):
        map_in_two(_fails_here, list(range(400)), least=10)
    assert _children() <= before  # no child of ours is left, running or a zombie
