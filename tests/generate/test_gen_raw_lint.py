"""The templates write Python that needs no fixing: rendered without the ruff batch, every file
of the package, the tests and the scaffolds has its imports sorted and used and its ``__all__``
sorted, so ``ruff check --fix`` would change nothing.

Checked with the generated code's own ``ruff.toml`` plus the rules the format step fixes (``I``,
``F401``, ``RUF022``, ``PIE790``), without ``--fix``, on the flagship, the versions example
(adapters and legacy versions), the synthetic system of ``benchmarks/synth_specs.py`` and the
awkward-names corpus of ``test_gen_names.py``. ``types.py`` is datamodel-code-generator's output,
not the templates': it is left out.
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


SYSTEMS = {
    "flagship": lambda root: ROOT / "specs",
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
    python = {rel: text for rel, text in python.items() if not rel.endswith("/types.py")}
    assert any("/contracts/" in rel for rel in python) and any("scaffold" in r for r in python)
    write_tree(out, {**python, "ruff.toml": rendered.files["ruff.toml"]})
    proc = run(
        [tool("ruff"), "check", "--no-cache", "--no-fix", "--config", "ruff.toml"]
        + ["--extend-select", FIX_RULES, "--output-format", "concise", "."],
        out,
    )
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
    assert "All checks passed" in proc.stdout
