"""``specloom export jsonschema`` and ``export asyncapi`` on the flagship and the notes example:
the documents resolve on their own, their schemas accept what the contracts' examples say, and
the AsyncAPI channels are the NATS subjects of the services design."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator, Draft202012Validator
from referencing import Registry

from generator.model.checker import FORMAT_CHECKER
from generator.model.spec import MISSING
from generator.validate import validate_specs

ROOT = Path(__file__).resolve().parents[2]
SPECLOOM = str(Path(sys.executable).parent / "specloom")
SPEC_SETS = [ROOT / "specs", ROOT / "examples/notes/specs"]


def export(kind: str, specs: Path, *extra: str) -> Any:
    proc = subprocess.run(
        [SPECLOOM, "export", kind, str(specs), *extra], capture_output=True, text=True, check=True
    )
    return yaml.safe_load(proc.stdout) if "yaml" in extra else json.loads(proc.stdout)


def pointer(doc: Any, ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def all_refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return own + [r for v in node.values() for r in all_refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in all_refs(v)]
    return []


@pytest.mark.parametrize("specs", SPEC_SETS, ids=lambda p: p.parent.name)
def test_jsonschema_bundle_resolves_and_accepts_the_examples(specs: Path) -> None:
    bundle = export("jsonschema", specs)
    Draft202012Validator.check_schema(bundle)
    spec = validate_specs(specs).spec
    assert spec is not None
    assert set(bundle["$defs"]) == {t.name for t in spec.types}
    checked = 0
    for c in spec.contracts:
        for ex in c.examples:
            for step in ex.steps:
                method = c.method(step.call)
                ref = (method.returns or {}).get("$ref") if method else None
                if not ref or step.returns is MISSING or step.match == "subset":
                    continue
                if "$var" in json.dumps(step.returns):
                    continue
                one = {**bundle, "$ref": ref.replace("#/types/", "#/$defs/")}
                one.pop("anyOf", None)
                check = Draft202012Validator(
                    one, registry=Registry(), format_checker=FORMAT_CHECKER
                )
                assert list(check.iter_errors(step.returns)) == [], (c.key, ex.name)
                checked += 1
    assert checked > 0 or specs != SPEC_SETS[0]  # the notes examples are all partial


@pytest.mark.parametrize("specs", SPEC_SETS, ids=lambda p: p.parent.name)
def test_asyncapi_channels_are_the_nats_subjects(specs: Path) -> None:
    doc = export("asyncapi", specs, "--format", "yaml")
    assert doc["asyncapi"] == "3.0.0" and {"title", "version"} <= set(doc["info"])
    for ref in all_refs(doc):  # every reference resolves inside the document
        pointer(doc, ref)
    spec = validate_specs(specs).spec
    assert spec is not None and spec.system is not None
    system = spec.system.name
    addresses = {ch["address"] for ch in doc["channels"].values()}
    provided = {r.key for m in spec.modules for r in m.provides}
    for c in spec.contracts:
        if c.key not in provided:
            continue
        for m in c.methods:
            assert f"{system}.rpc.{c.name}.v{c.version}.{m.name}" in addresses
        for e in c.events:
            assert f"{system}.events.{c.name}.v{c.version}.{e.name}" in addresses
    for op in doc["operations"].values():
        assert op["action"] in ("send", "receive")
        pointer(doc, op["channel"]["$ref"])
    for name, message in doc["components"]["messages"].items():
        Draft7Validator.check_schema(message["payload"])  # AsyncAPI schemas: a JSON Schema
        assert message["name"] == name


def test_export_writes_a_file_and_refuses_bad_specs(tmp_path: Path) -> None:
    out = tmp_path / "types.json"
    subprocess.run(
        [SPECLOOM, "export", "jsonschema", str(ROOT / "specs"), "-o", str(out)], check=True
    )
    assert json.loads(out.read_text("utf-8"))["$defs"]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "system.yaml").write_text("specloom: 1\nsystem: {name: 1}\n", "utf-8")
    proc = subprocess.run([SPECLOOM, "export", "asyncapi", str(bad)], capture_output=True)
    assert proc.returncode == 1 and b"Traceback" not in proc.stderr
