"""Incremental rendering (generator/render/units.py) is exact: after every step of a random
sequence of spec edits, an incremental ``generate`` (warm caches, the last output in place)
writes the same bytes as a clean full generate of the same specs (no cache, empty output); and a
change re-renders exactly the files that show what changed.

The pipeline runs in this process (``generator.pipeline.generate``, real files, real ruff and
datamodel-code-generator); the seed of the random sequence is in every failure message
(``SPECLOOM_SEED=N`` replays it).
"""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from genkit import NOTES, files

from generator.pipeline import Options, Outcome, generate

KV = "contracts/key_value.v1.yaml"
NOTES_C = "contracts/notes.v1.yaml"
NOTE_T = "types/note.yaml"
STORE = "modules/01-store.yaml"
NOTES_M = "modules/02-notes.yaml"

# (file under specs/, text, replacement): each edit is switched on or off by a step.
EDITS = [
    (KV, "summary: Read the value stored under a key.", "summary: Fetch a stored value."),
    (KV, "{summary: No value is stored under the key.}", "{summary: Nothing under that key.}"),
    (NOTES_C, "description: Create, read and search notes.", "description: Notes, searchable."),
    (NOTE_T, "required: [id, title, body, tags]", "required: [id, title, tags]"),
    (NOTE_T, "body: {type: string}", "body: {type: string, description: The text.}"),
    (STORE, "scope: Keeps values by key, in memory.", "scope: Keeps values by key."),
    (NOTES_M, 'default: "n"', 'default: "note"'),
    (NOTES_M, "phase: 2", "phase: 1"),
]  # fmt: skip


def _run(project: Path, *, cache: bool) -> Outcome:
    return generate(
        Options(
            specs=project / "specs",
            out=project / "generated",
            impl_root=project,
            use_cache=cache,
        )
    )


def _apply(specs: Path, on: set[int]) -> None:
    for rel in {e[0] for e in EDITS}:
        text = (NOTES / "specs" / rel).read_text("utf-8")
        for i, (where, old, new) in enumerate(EDITS):
            if where == rel and i in on:
                assert text.count(old) == 1, (rel, old)
                text = text.replace(old, new)
        (specs / rel).write_text(text, "utf-8")


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache of the test's own: no output of another test answers for it."""
    monkeypatch.setenv("SPECLOOM_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def seed() -> int:
    return int(os.environ.get("SPECLOOM_SEED") or random.randrange(1 << 30))


def test_random_edit_sequences_match_a_clean_generate(tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    warm = tmp_path / "warm"
    shutil.copytree(NOTES / "specs", warm / "specs")
    _run(warm, cache=True)
    on: set[int] = set()
    for step in range(6):
        flips = set(rng.sample(range(len(EDITS)), rng.choice([1, 1, 2, 3])))
        on ^= flips
        _apply(warm / "specs", on)
        outcome = _run(warm, cache=True)
        clean = tmp_path / f"clean{step}"
        shutil.copytree(warm / "specs", clean / "specs")
        _run(clean, cache=False)
        where = f"seed {seed}, step {step}, edits on: {sorted(on)}"
        got, want = files(warm / "generated"), files(clean / "generated")
        differ = sorted(k for k in got.keys() | want.keys() if got.get(k) != want.get(k))
        assert not differ, f"{where}: incremental output differs in {differ}"
        assert outcome.rendered is not None and outcome.renderable > 0, where


def _dependants_of_notes() -> set[str]:
    """Every unit file showing the Notes contract (which returns the shared type Note)."""
    contract = {"notes/contracts/notes_v1.py", "notes/mocks/notes_v1.py"}
    contract |= {"tests/contract/test_notes_v1.py", "notes/modules/notes.py"}
    docs = ("AGENT-BRIEF", "INTERFACES", "IMPLEMENTATION-GUIDE", "TESTING-CRITERIA")
    return contract | {f"docs/modules/02-notes/{d}.md" for d in docs}


def test_a_shared_type_change_re_renders_every_dependant_and_nothing_else(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(NOTES / "specs", project / "specs")
    first = _run(project, cache=True)
    assert first.rendered == first.renderable  # nothing cached yet
    _apply(project / "specs", {3})  # Note.body optional: the synthesized mock answers change
    before = files(project / "generated")
    outcome = _run(project, cache=True)
    after = files(project / "generated")
    assert set(outcome.fresh) == _dependants_of_notes()
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    # types.py and openapi.json are whole-system files (every contract and type), not units
    unit_files = changed - {".specloom/manifest.json", "notes/types.py", "notes/openapi.json"}
    assert unit_files and unit_files <= set(outcome.fresh)
    assert "notes/types.py" in changed  # the shared type itself

    _apply(project / "specs", {3, 5})  # and the store module's scope: its own files only
    outcome = _run(project, cache=True)
    docs = ("AGENT-BRIEF", "INTERFACES", "IMPLEMENTATION-GUIDE", "TESTING-CRITERIA")
    store = {"notes/modules/store.py", *(f"docs/modules/01-store/{d}.md" for d in docs)}
    assert set(outcome.fresh) == store

    outcome = _run(project, cache=True)  # nothing changed: the manifest answers
    assert outcome.short_circuit


def test_the_output_pack_keeps_every_field_of_a_scaffold() -> None:
    """A pack hit must give the write step the same scaffolds as a render (hooks included: a
    lost hook made an implemented legacy accessor look unused)."""
    from generator.pipeline import Rendering, _pack, _unpack
    from generator.render.outputs import ScaffoldSpec

    spec = ScaffoldSpec(
        "impl/store.py", "x = 1\n", "StoreImpl", ("put",), {"put": "    ..."},
        hooks=("serve_key_value_v1",), contracts={"put": "KeyValue@2.put"},
    )  # fmt: skip
    packed = _pack(Rendering({"a.py": "b"}, {"impl/store.py": spec}, rendered=1, renderable=1))
    assert _unpack(packed).scaffolds == {"impl/store.py": spec}


def test_random_method_summary_edits_of_a_synthetic_system_match_a_clean_generate(
    tmp_path: Path, seed: int
) -> None:
    """One method's summary changed at a time (the bench's "one method changed"), on a system
    with many edges: the incremental output is byte for byte a clean generate's, the files of
    the changed contract and of every edge it serves are re-rendered, and little else."""
    import json
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    import synth_specs

    rng = random.Random(seed)
    warm = tmp_path / "warm"
    synth_specs.write_system(warm / "specs", 9, 2)
    _run(warm, cache=True)
    for step in range(3):
        i = rng.randrange(1, 10)
        path = warm / "specs" / "contracts" / f"{synth_specs.contract_name(i).lower()}.v1.yaml"
        data = json.loads(path.read_text("utf-8"))
        method = rng.choice(sorted(data["methods"]))
        data["methods"][method]["summary"] = f"Changed at step {step} (seed {seed})."
        path.write_text(json.dumps(data, indent=1), "utf-8")
        outcome = _run(warm, cache=True)
        clean = tmp_path / f"clean{step}"
        shutil.copytree(warm / "specs", clean / "specs")
        _run(clean, cache=False)
        where = f"seed {seed}, step {step}, {method} of contract {i}"
        got, want = files(warm / "generated"), files(clean / "generated")
        differ = sorted(k for k in got.keys() | want.keys() if got.get(k) != want.get(k))
        assert not differ, f"{where}: incremental output differs in {differ}"
        slug = f"{synth_specs.contract_name(i).lower()}_v1"
        consumers = [c for c in range(1, 10) if i in (c - 1, c // 2) and c != i]
        served = {
            f"tests/integration/test_{synth_specs.module_name(c)}__{synth_specs.module_name(i)}.py"
            for c in consumers
        }
        must = {f"synth/contracts/{slug}.py", f"synth/mocks/{slug}.py", *served}
        assert must <= set(outcome.fresh), f"{where}: not re-rendered: {must - set(outcome.fresh)}"
        # at most: the contract's 3 files, its edges' tests, and the module file and 4 docs of
        # the provider and of each consumer (they show the method)
        most = 3 + len(consumers) + 5 * (1 + len(consumers))
        assert outcome.rendered is not None and outcome.rendered <= most < outcome.renderable, (
            f"{where}: {outcome.rendered} of {outcome.renderable} re-rendered: {outcome.fresh}"
        )
