"""Shared types as JSON Schema users write them (issue 13 §2): ``$ref`` forms, ``$defs`` and
``definitions``, ``allOf`` of objects, ``$schema``/``$id``/``$comment``, types in ``.json``
files, and inline models named by their path (stable across renames)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from generator.render.types_module import render_types

ROOT = Path(__file__).resolve().parents[2]
CASE = ROOT / "tests/cases/json_schema_forms"
BIN = Path(sys.executable).parent


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPECLOOM_", "PYTHON"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["SPECLOOM_CACHE_DIR"] = str(cwd / ".cache")
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


PROBE = """
import json
from shop.types import Base, LineItem, Order
order = {"id": "o-1", "sku": "apple", "quantity": 2, "line": {"text": None}, "extra": [1]}
back = Order.model_validate(order).model_dump(mode="json", exclude_unset=True)
try:
    Order.model_validate({"sku": "apple", "quantity": 2})
    missing_id = "accepted"
except Exception:
    missing_id = "refused"
print(json.dumps({"back": back, "missing_id": missing_id, "fields": sorted(Order.model_fields),
                  "base": sorted(Base.model_fields), "line": sorted(LineItem.model_fields)}))
"""


def test_json_schema_forms_generate_one_merged_model(tmp_path: Path) -> None:
    shutil.copytree(CASE / "specs", tmp_path / "specs")
    # A .json types file loads like a .yaml one.
    (tmp_path / "specs/types/extra.json").write_text(
        json.dumps({"types": {"Tag": {"type": "string", "format": "uri"}}}), "utf-8"
    )
    ok(run([str(BIN / "specloom"), "generate", "specs"], tmp_path))
    types_py = (tmp_path / "generated/shop/types.py").read_text("utf-8")
    assert "class Tag(" in types_py or "Tag =" in types_py
    tests = ok(run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "generated/tests"], tmp_path))  # fmt: skip
    assert "failed" not in tests.stdout
    result = json.loads(ok(run([sys.executable, "-c", PROBE], tmp_path / "generated")).stdout)
    assert result["fields"] == ["id", "line", "quantity", "sku"]  # allOf [Base, {...}] merged
    assert result["base"] == ["id"] and result["line"] == ["text"]  # $defs / definitions
    assert result["missing_id"] == "refused"  # Base's required id holds in the merged model
    assert result["back"] == {"id": "o-1", "sku": "apple", "quantity": 2, "line": {"text": None},
                              "extra": [1]}  # fmt: skip


def test_a_json_schema_file_in_the_specs_is_an_error_with_a_hint(tmp_path: Path) -> None:
    shutil.copytree(CASE / "specs", tmp_path / "specs")
    (tmp_path / "specs/types/user.json").write_text(
        json.dumps({"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}),
        "utf-8",
    )
    proc = run([str(BIN / "specloom"), "validate", "specs"], tmp_path)
    assert proc.returncode == 1
    assert "specs/types/user.json:1:1: error[E_KIND]" in proc.stderr
    assert "specloom import jsonschema specs/types/user.json" in proc.stderr


def _classes(source: str) -> list[str]:
    return [ln.split("(")[0].removeprefix("class ") for ln in source.splitlines()
            if ln.startswith("class ")]  # fmt: skip


def test_inline_models_are_named_by_their_path_and_stay_stable() -> None:
    context = {"type": "object", "properties": {"a": {"type": "string"}}}
    items = {"type": "array", "items": {"type": "object", "properties": {"n": {"type": "integer"}}}}
    job = {"type": "object", "properties": {"context": context, "steps": items}}
    run_t = {"type": "object", "properties": {"context": context}}
    before = _classes(render_types({"Job": job, "Run": run_t}, use_cache=False))
    assert {"JobContext", "JobStepsItem", "RunContext"} <= set(before)
    renamed = _classes(render_types({"Work": job, "Run": run_t}, use_cache=False))
    assert "RunContext" in renamed and "WorkContext" in renamed
    only_run = _classes(render_types({"Run": run_t}, use_cache=False))
    assert "RunContext" in only_run  # not renumbered when another type goes away
