"""The fast schema check (``jsonschema-rs``, generator/validate/schema.py) only ever says "valid":
every file it finds invalid is explained by ``jsonschema``. So it must agree with ``jsonschema`` on
what is valid (checked here on thousands of mutated spec files, in both directions), and the
diagnostics of a spec set are the same with it and without it (``SPECLOOM_SLOW_SCHEMA=1``)."""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from spectree import CASES, FLAGSHIP_SPECS, NOTES_SPECS, REPO

from generator.load import load_specs
from generator.validate import validate_specs
from generator.validate.schema import fast_validator, validator_for

FOLDERS = [FLAGSHIP_SPECS, NOTES_SPECS, REPO / "examples" / "versions" / "specs"]

ODD_VALUES: list[Any] = [
    None, True, False, 0, 1, -1, 1.0, 2.5, 2**40, "", "x", "Bad Name", "x\n", "1abc", "class",
    "Notes@1", "Notes@0", "#/types/Nope", "a/b.yaml#/types/X", [], {}, [1], {"k": "v"},
    {"type": "string"}, {"$ref": "#/types/Note"}, ["put"], "/items/{id}", "GET",
]  # fmt: skip


def _nodes(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _nodes(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _nodes(v, (*path, i))


def _mutate(data: Any, rng: random.Random) -> Any:
    data = copy.deepcopy(data)
    path, node = rng.choice(list(_nodes(data)))
    op = rng.randrange(6)
    if isinstance(node, dict) and node and op == 0:
        del node[rng.choice(list(node))]
    elif isinstance(node, dict) and op == 1:
        node[rng.choice(["extra", "sumary", "type", "pattern", "Bad Key", "x1"])] = rng.choice(
            ODD_VALUES
        )
    elif isinstance(node, list) and node and op == 2:
        node.append(copy.deepcopy(rng.choice(node)))
    elif isinstance(node, dict) and node and op == 3:  # rename a key
        key = rng.choice(list(node))
        node[rng.choice(["Renamed", "renamed", "re-named", key + "_2", ""])] = node.pop(key)
    elif path:
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        parent[path[-1]] = rng.choice(ODD_VALUES)
    return data


def test_fast_and_jsonschema_agree_on_what_is_valid() -> None:
    docs = [d for folder in FOLDERS for d in load_specs(folder, REPO, cache=False)[0]]
    rng = random.Random(16)
    agreed = {True: 0, False: 0}
    for _ in range(3000):
        doc = rng.choice(docs)
        data = _mutate(doc.data, rng)
        fast = fast_validator(doc.kind)
        assert fast is not None, "jsonschema-rs is not installed: the fast path is off"
        slow_valid = not any(validator_for(doc.kind).iter_errors(data))
        assert fast.is_valid(data) == slow_valid, (doc.shown, data)
        agreed[slow_valid] += 1
    assert agreed[True] > 100 and agreed[False] > 1000, agreed  # both sides were exercised


def _diagnostics(folder: Path) -> list[str]:
    result = validate_specs(folder, folder.parent)
    return [
        f"{d.path}:{d.line}:{d.col} {d.code} {d.message} | {d.hint}" for d in result.diagnostics
    ]


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if (p / "specs").is_dir()))
def test_the_same_diagnostics_with_and_without_the_fast_check(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = CASES / case / "specs"
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path / "fast"))
    fast = _diagnostics(folder)
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path / "slow"))  # no known-valid file
    monkeypatch.setenv("SPECLOOM_SLOW_SCHEMA", "1")
    fast_validator.cache_clear()
    try:
        slow = _diagnostics(folder)
    finally:
        monkeypatch.delenv("SPECLOOM_SLOW_SCHEMA")
        fast_validator.cache_clear()
    assert fast == slow
