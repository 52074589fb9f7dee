"""``specloom schema [KIND]``: each printed schema resolves on its own and validates real spec
files; the bundle picks the kind by the file's first key, so errors are the kind's own."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator
from referencing import Registry

ROOT = Path(__file__).resolve().parents[2]
SPECLOOM = str(Path(sys.executable).parent / "specloom")


def printed(*args: str) -> Any:
    proc = subprocess.run([SPECLOOM, "schema", *args], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout)


def strict_validator(schema: Any) -> Draft202012Validator:
    """A validator with an empty registry: any reference leaving the document fails."""
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=Registry())


def no_external_refs(node: Any) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        assert not isinstance(ref, str) or ref.startswith("#"), ref
        for value in node.values():
            no_external_refs(value)
    elif isinstance(node, list):
        for value in node:
            no_external_refs(value)


SPEC_FILES = {
    "system": ROOT / "specs/system.yaml",
    "contract": ROOT / "specs/contracts/database.v1.yaml",
    "types": ROOT / "specs/types/task.yaml",
    "module": next((ROOT / "specs/modules").glob("*.yaml")),
}


@pytest.mark.parametrize("kind", sorted(SPEC_FILES))
def test_each_kind_resolves_alone_and_accepts_the_flagship(kind: str) -> None:
    schema = printed(kind)
    no_external_refs(schema)
    data = yaml.safe_load(SPEC_FILES[kind].read_text("utf-8"))
    assert list(strict_validator(schema).iter_errors(data)) == []
    # Deep references (the data-schema subset) resolve too: a bad nested schema is an error.
    if kind == "types":
        bad = {"types": {"T": {"type": "object", "properties": {"a": {"tpye": "string"}}}}}
        assert any("tpye" in e.message for e in strict_validator(schema).iter_errors(bad))


def test_bundle_reports_the_errors_of_the_files_kind() -> None:
    bundle = printed()
    no_external_refs(bundle)
    check = strict_validator(bundle)
    for path in SPEC_FILES.values():
        assert list(check.iter_errors(yaml.safe_load(path.read_text("utf-8")))) == []
    contract = {"contract": "X", "version": 1, "methods": {"m": {"summry": "typo"}}}
    errors = list(check.iter_errors(contract))
    assert errors
    # Errors come from the contract schema only (no giant anyOf over all kinds).
    assert all("anyOf" not in e.validator for e in errors)
    assert any("summry" in e.message for e in errors)
    assert any(e.validator == "anyOf" for e in check.iter_errors({"nothing": 1}))
