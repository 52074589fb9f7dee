"""Property: whatever is in the spec folder, validation reports diagnostics and never raises.

Hypothesis feeds random bytes, random YAML-ish text, random JSON-like structures, and random
mutations of the notes specs (deleted keys, values of another type, renamed references, edited
names). Every diagnostic must be well formed: a known file, a location, a code, one line.
When a mutated set still validates, the build plan must be computable from it.
"""

from __future__ import annotations

import copy
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from spectree import NOTES_SPECS

from generator.errors import Diagnostic, format_diagnostics
from generator.model.plan import build_plan
from generator.validate import ValidationResult, validate_specs

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,  # the same examples on every run: a failure is reproducible in CI
)
FEWER = settings(SETTINGS, max_examples=100)  # mostly stopped by the parser or the schemas
CODE = re.compile(r"^[EW]_[A-Z_]+$")

ORIGINAL = {
    p.relative_to(NOTES_SPECS).as_posix(): p.read_text("utf-8")
    for p in sorted(NOTES_SPECS.rglob("*.yaml"))
}

PARSED = {rel: yaml.safe_load(text) for rel, text in ORIGINAL.items()}
_Dumper: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(doc: Any) -> str:
    return yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True)


scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["KeyValue@1", "KeyValue@2", "Notes@9", "#/types/Note", "#/types/Nope"])
    | st.sampled_from(["put", "get", "KeyMissing", "note", "class", "model_dump", "StoreV1"])
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.text(max_size=8) | st.sampled_from(["$var", "$ref", "type"]), inner, max_size=4
        )
    ),
    max_leaves=16,
)
YAML_TOKENS = [
    *" :-[]{},#'\"|>?&*!%@\n\t\\",
    "\x00", "\x07", "\ufeff", "é", "\u2028", "a", "b", "1", "0x", ".inf", "~", "null", "yes",
    "module: ", "contract: ", "types:\n  ", "  - ", "&a ", "*a", "<<: ", "? ", "\n  ",
    "!!python/object:os.system", "!!binary ", "!!int ", "!!set ", "!local ", "---\n", "...\n",
    "%YAML 1.1\n",
]  # fmt: skip
yaml_text = st.lists(st.sampled_from(YAML_TOKENS), max_size=60).map("".join)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the notes specs; each example rewrites the files it changes."""
    root = tmp_path_factory.mktemp("never-raises")
    shutil.copytree(NOTES_SPECS, root / "specs")
    return root


def fresh(workdir: Path) -> Path:
    """The notes specs as shipped (files of the previous example removed or restored)."""
    specs = workdir / "specs"
    for path in specs.rglob("*.yaml"):
        if path.relative_to(specs).as_posix() not in ORIGINAL:
            path.unlink()
    for rel, doc in ORIGINAL.items():
        (specs / rel).write_text(doc, "utf-8")
    return specs


def check(workdir: Path) -> ValidationResult:
    """Validate; assert every diagnostic is well formed and a valid set can be planned."""
    specs = workdir / "specs"
    result = validate_specs(specs, base=workdir)
    files = {p.relative_to(workdir).as_posix() for p in specs.rglob("*") if p.is_file()}
    for d in result.diagnostics:
        assert isinstance(d, Diagnostic)
        assert d.path in files or d.path == str(specs), d
        assert d.line >= 0 and d.col >= 0 and (d.line > 0) == (d.col > 0), d
        assert CODE.match(d.code) and d.message, d
        assert "\n" not in d.format_text(), d
    for fmt in ("text", "json", "github"):
        format_diagnostics(result.diagnostics, fmt)
    event("valid" if result.ok else "codes: " + " ".join(sorted({d.code for d in result.errors})))
    if result.ok:
        assert result.spec is not None
        plan = build_plan(result.spec)
        assert len(plan.modules) == len(result.spec.modules)
    return result


@FEWER
@given(raw=st.binary(max_size=200))
def test_random_bytes(workdir: Path, raw: bytes) -> None:
    specs = fresh(workdir)
    (specs / "modules" / "03-random.yaml").write_bytes(raw)
    assert check(workdir).diagnostics or raw.strip() == b""


@FEWER
@given(text=yaml_text)
def test_random_yaml_text(workdir: Path, text: str) -> None:
    specs = fresh(workdir)
    (specs / "contracts" / "random.yaml").write_text(text, "utf-8")
    check(workdir)


@FEWER
@given(
    kind=st.sampled_from(["specloom", "module", "contract", "types"]),
    marker=json_values,
    rest=st.dictionaries(
        st.sampled_from(["number", "title", "scope", "provides", "consumes", "methods", "version"])
        | st.text(max_size=6),
        json_values,
        max_size=5,
    ),
)
def test_random_structures(workdir: Path, kind: str, marker: Any, rest: dict[str, Any]) -> None:
    specs = fresh(workdir)
    doc = {kind: marker, **rest}
    (specs / "types" / "random.yaml").write_text(dump(doc), "utf-8")
    result = check(workdir)
    assert not result.ok or kind != "specloom"  # a second system file is always an error


def paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every node path of a JSON-like value (not the root)."""
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    else:
        return []
    out = []
    for k, v in children:
        out.append((*here, k))
        out.extend(paths(v, (*here, k)))
    return out


def slot(path: tuple[Any, ...]) -> str:
    """The nearest mapping key of a path: ``call``, ``consumes``, ``pattern``..."""
    return next((k for k in reversed(path) if isinstance(k, str)), "")


def pools(docs: dict[str, Any]) -> tuple[dict[str, list[Any]], list[str]]:
    """Values of the spec set by slot, and its mapping keys. A swap takes a value that stood in
    the same slot elsewhere (a method name for a method name, a contract ref for a contract ref),
    so that mutations get past the JSON Schemas into the semantic checks."""
    by_slot: dict[str, list[Any]] = {}
    keys: set[str] = set()
    for doc in docs.values():
        for path in paths(doc):
            parent = doc
            for k in path[:-1]:
                parent = parent[k]
            by_slot.setdefault(slot(path), []).append(parent[path[-1]])
            if isinstance(path[-1], str):
                keys.add(path[-1])
    return by_slot, sorted(keys)


VALUES, KEYS = pools(PARSED)
OPS = ["swap", "swap", "swap", "rename_key", "rename", "delete", "replace", "duplicate"]


def mutate(doc: Any, path: tuple[Any, ...], op: str, new: Any) -> Any:
    """Apply one mutation at ``path`` (in place) and return the document."""
    parent = doc
    for k in path[:-1]:
        parent = parent[k]
    key = path[-1]
    old = parent[key]
    if op == "delete":
        del parent[key]
    elif op in ("replace", "swap"):
        parent[key] = copy.deepcopy(new)
    elif op == "rename" and isinstance(old, str):
        parent[key] = (old[:-1] if len(old) > 1 else old + "x") if new is None else f"{old}{new}"
    elif op == "rename_key" and isinstance(parent, dict) and isinstance(new, str):
        parent[new] = parent.pop(key)
    elif op == "duplicate" and isinstance(parent, list):
        parent.append(old)
    return doc


@SETTINGS
@given(data=st.data())
def test_random_mutations_of_the_notes_specs(workdir: Path, data: st.DataObject) -> None:
    specs = fresh(workdir)
    docs = copy.deepcopy(PARSED)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        rel = data.draw(st.sampled_from(sorted(docs)), label="file")
        choices = paths(docs[rel])
        if not choices:
            continue
        path = data.draw(st.sampled_from(choices), label="path")
        op = data.draw(st.sampled_from(OPS), label="op")
        strategy = {
            "swap": st.sampled_from(VALUES[slot(path)]) if slot(path) in VALUES else json_values,
            "replace": json_values,
            "rename_key": st.sampled_from(KEYS) | st.text(min_size=1, max_size=4),
        }.get(op, st.none() | st.text(max_size=3) | st.sampled_from(["\n", "@2", "_", "x"]))
        docs[rel] = mutate(docs[rel], path, op, data.draw(strategy, label="new"))
    for rel, doc in docs.items():
        (specs / rel).write_text(dump(doc), "utf-8")
    check(workdir)


def test_the_mutation_helpers_change_something() -> None:
    doc = {"a": [1, {"b": "KeyValue@1"}]}
    assert ("a", 1, "b") in paths(doc)
    assert mutate(yaml.safe_load(yaml.safe_dump(doc)), ("a", 1, "b"), "rename", None) == {
        "a": [1, {"b": "KeyValue@"}]
    }
    assert mutate({"a": 1}, ("a",), "delete", None) == {}
    assert mutate({"a": 1}, ("a",), "rename_key", "b") == {"b": 1}
    assert slot(("modules", "consumes", 0)) == "consumes"
    assert {"put", "get_note"} <= set(VALUES["call"]) and "KeyValue@1" in VALUES["provides"]
    assert {"methods", "put", "KeyMissing"} <= set(KEYS)
    assert mutate({"a": [1]}, ("a", 0), "duplicate", None) == {"a": [1, 1]}
