"""The templates write Python that needs no fixing: rendered without the ruff batch, every file
of the package, the tests and the scaffolds has its imports sorted and used and its ``__all__``
sorted, so ``ruff check --fix`` would change nothing.

Checked with the generated code's own ``ruff.toml`` plus the rules a fix pass would fix (``I``,
``F401``, ``RUF022``, ``PIE790``), without ``--fix``, on the flagship, the versions example
(adapters and legacy versions), the synthetic system of ``benchmarks/synth_specs.py``, the
awkward-names corpus of ``test_gen_names.py`` and a set of many kinds of shared types.
``types.py`` (datamodel-code-generator's, with its imports sorted by ``types_module``) is
checked too: the render step runs ``ruff format`` only.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import namecorpus as nc
import pytest
import yaml
from genkit import ROOT, run, tool, write_tree

from generator.names import identifier_problem
from generator.render.project import render_system
from generator.validate import validate_specs

FIX_RULES = "I,F401,RUF022,PIE790"


def _synthetic(root: Path) -> Path:
    path = ROOT / "benchmarks" / "synth_specs.py"
    spec = importlib.util.spec_from_file_location("synth_specs_for_lint", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return Path(module.write_system(root / "specs", modules=12, methods=5))


def _corpus(root: Path, name: str) -> Path:
    params = [n for n in nc.accepted("param") if identifier_problem(n, "setting") is None]
    sets: dict[str, Any] = {
        "params": lambda: nc.params_specs(params),
        "methods": lambda: nc.methods_specs(nc.accepted("method")),
        "types": lambda: nc.classes_specs(nc.accepted("type"), ["Oops"], "shady_types"),
        "errors": lambda: nc.classes_specs(["Box"], nc.accepted("error"), "shady_errors"),
        "modules": lambda: nc.modules_specs(
            nc.accepted("module", nc.MODULE_CORPUS), nc.accepted("contract", nc.CONTRACT_CORPUS)
        ),
    }
    tree = sets[name]()
    write_tree(root, {rel: yaml.safe_dump(d, sort_keys=False) for rel, d in tree.items()})
    return root / "specs"


# Shared types of every kind datamodel-code-generator maps differently: enums, nested and inline
# objects, refs, aliases of scalars, arrays and refs, maps, unions, nullables, consts, formats,
# bounds, patterns, defaults, allOf.
SHARED_TYPES: dict[str, Any] = {
    "Level": {"type": "string", "enum": ["low", "mid", "high"], "description": "A level."},
    "Priority": {"type": "integer", "enum": [1, 2, 3]},
    "Name": {"type": "string", "minLength": 1, "maxLength": 40, "pattern": "^[a-z][a-z0-9_]*$"},
    "Names": {"type": "array", "items": {"$ref": "#/types/Name"}, "uniqueItems": True},
    "Stamp": {"type": "string", "format": "date-time"},
    "Ratio": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
    "Labels": {"type": "object", "additionalProperties": {"type": "string"}},
    "Owner": {
        "type": "object",
        "additionalProperties": False,
        "required": ["name"],
        "properties": {
            "name": {"$ref": "#/types/Name"},
            "email": {"type": "string", "format": "email"},
            "site": {"type": ["string", "null"], "format": "uri", "default": None},
        },
    },
    "Task": {
        "type": "object",
        "description": "A task with every kind of field.",
        "required": ["id", "level", "owner"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "level": {"$ref": "#/types/Level"},
            "priority": {"$ref": "#/types/Priority", "default": 2},
            "owner": {"$ref": "#/types/Owner"},
            "helpers": {"type": "array", "items": {"$ref": "#/types/Owner"}, "default": []},
            "labels": {"$ref": "#/types/Labels"},
            "due": {"$ref": "#/types/Stamp"},
            "ratio": {"$ref": "#/types/Ratio"},
            "kind": {"const": "task"},
            "state": {"type": "string", "enum": ["open", "done"], "default": "open"},
            "context": {
                "type": "object",
                "properties": {
                    "notes": {"type": "array", "items": {"type": "string"}},
                    "depth": {"type": "integer", "minimum": 0, "default": 0},
                    "extra": {"type": "object", "properties": {"flag": {"type": "boolean"}}},
                },
            },
            "parent": {"anyOf": [{"$ref": "#/types/Task"}, {"type": "null"}]},
            "value": {
                "oneOf": [{"type": "integer"}, {"type": "string"}, {"$ref": "#/types/Names"}]
            },
            "score": {"type": ["number", "null"]},
            "meta": {},
        },
    },
    "Tasks": {"type": "array", "items": {"$ref": "#/types/Task"}},
    "TaskMap": {"type": "object", "additionalProperties": {"$ref": "#/types/Task"}},
    "Review": {
        "allOf": [
            {"$ref": "#/types/Task"},
            {"type": "object", "properties": {"reviewer": {"$ref": "#/types/Owner"}}},
        ]
    },
    "Flag": {"type": "boolean", "default": False},
    "Anything": {},
}


def _shared_types(root: Path) -> Path:
    tree = {
        "specs/system.yaml": {
            "specloom": 1,
            "system": {"name": "kinds", "title": "Kinds", "version": "0.1.0", "description": "k"},
        },
        "specs/types/kinds.yaml": {"types": SHARED_TYPES},
    }
    write_tree(root, {rel: yaml.safe_dump(d, sort_keys=False) for rel, d in tree.items()})
    return root / "specs"


SYSTEMS = {
    "flagship": lambda root: ROOT / "specs",
    "notes": lambda root: ROOT / "examples" / "notes" / "specs",
    "shared-types": _shared_types,
    "versions": lambda root: ROOT / "examples" / "versions" / "specs",
    "synthetic": _synthetic,
}
CORPUS_SETS = ["params", "methods", "types", "errors", "modules"]


@pytest.mark.parametrize("system", [*SYSTEMS, *(f"names-{n}" for n in CORPUS_SETS)])
def test_the_raw_render_has_nothing_for_ruff_to_fix(system: str, tmp_path: Path) -> None:
    root = tmp_path / "input"
    specs = SYSTEMS[system](root) if system in SYSTEMS else _corpus(root, system[len("names-") :])
    result = validate_specs(specs)
    assert result.ok and result.spec is not None, result.errors[:5]
    rendered = render_system(result.spec, raw=True, use_cache=False)
    out = tmp_path / "raw"
    python = {rel: text for rel, text in rendered.files.items() if rel.endswith(".py")}
    assert any(rel.endswith("/types.py") for rel in python) and any("scaffold" in r for r in python)
    write_tree(out, {**python, "ruff.toml": rendered.files["ruff.toml"]})
    proc = run(
        [tool("ruff"), "check", "--no-cache", "--no-fix", "--config", "ruff.toml"]
        + ["--extend-select", FIX_RULES, "--output-format", "concise", "."],
        out,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "All checks passed" in proc.stdout
