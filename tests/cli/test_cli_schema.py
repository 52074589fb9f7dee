"""``specloom schema [KIND]`` prints valid Draft 2020-12 JSON Schemas that the shipped specs meet.

The schemas are taken from the command's output (what an editor would be given), checked against
the 2020-12 meta-schema, and used with their own ``$id``/``$ref`` links to validate every spec file
of the flagship and the examples, and to reject broken ones.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from clikit import REPO, Run
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generator.load import detect_kind

KINDS = ["system", "module", "contract", "types", "jsonschema-subset"]
META = "https://json-schema.org/draft/2020-12/schema"
SPEC_FILES = sorted(
    p for folder in [REPO / "specs", *REPO.glob("examples/*/specs")] for p in folder.rglob("*.yaml")
)


@pytest.fixture(scope="module")
def printed(specloom: Run) -> dict[str, dict[str, Any]]:
    """Every kind's schema and the bundle, as printed by the CLI."""
    out = {}
    for kind in [*KINDS, ""]:
        r = specloom("schema", *([kind] if kind else []))
        assert (r.returncode, r.stderr) == (0, "")
        out[kind or "bundle"] = json.loads(r.stdout)
    return out


@pytest.fixture(scope="module")
def registry(printed: dict[str, dict[str, Any]]) -> Registry:
    return Registry().with_resources(
        (printed[k]["$id"], Resource.from_contents(printed[k])) for k in KINDS
    )


@pytest.mark.parametrize("kind", [*KINDS, "bundle"])
def test_printed_schema_is_a_valid_2020_12_schema(
    printed: dict[str, dict[str, Any]], kind: str
) -> None:
    schema = printed[kind]
    assert schema["$schema"] == META
    assert schema["$id"].startswith("https://")
    Draft202012Validator.check_schema(schema)  # against the 2020-12 meta-schema


def test_bundle_embeds_every_kind(printed: dict[str, dict[str, Any]]) -> None:
    """Each kind is in the bundle (the data-schema subset's $defs shared at the top), chosen by
    the file's marker key (if/then), so an editor reports that kind's errors only."""
    bundle = printed["bundle"]
    drop = ("$id", "$schema", "$defs")
    for kind in KINDS[:4]:
        alone = {k: v for k, v in printed[kind].items() if k not in drop}
        assert bundle["$defs"][kind] == alone
    assert set(printed["jsonschema-subset"]["$defs"]) <= set(bundle["$defs"])
    markers = [branch["if"]["required"][0] for branch in bundle["allOf"]]
    assert markers == ["specloom", "module", "contract", "types"]
    assert [b["then"]["$ref"] for b in bundle["allOf"]] == [f"#/$defs/{k}" for k in KINDS[:4]]


def test_spec_files_were_found() -> None:
    assert len(SPEC_FILES) >= 30
    assert {detect_kind(yaml.safe_load(p.read_text("utf-8"))) for p in SPEC_FILES} == set(KINDS[:4])


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_shipped_spec_file_meets_its_schema_and_the_bundle(
    printed: dict[str, dict[str, Any]], registry: Registry, path: Path
) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    kind = detect_kind(data)
    assert kind is not None
    errors = list(Draft202012Validator(printed[kind], registry=registry).iter_errors(data))
    assert errors == []
    assert Draft202012Validator(printed["bundle"]).is_valid(data)


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("module", {"module": "x", "number": 1, "title": "X", "scope": "s"}),  # no provides
        ("module", {"module": "X", "number": 1, "title": "X", "scope": "s", "provides": []}),
        ("contract", {"contract": "C", "version": 1, "methods": {"m": {"summry": "typo"}}}),
        ("system", {"specloom": 2, "system": {"name": "x", "title": "X", "version": "1.0.0"}}),
        ("types", {"types": {"T": {"tpye": "string"}}}),
    ],
)
def test_broken_specs_fail_the_printed_schemas(
    printed: dict[str, dict[str, Any]], registry: Registry, kind: str, data: dict[str, Any]
) -> None:
    assert not Draft202012Validator(printed[kind], registry=registry).is_valid(data)
    assert not Draft202012Validator(printed["bundle"]).is_valid(data)
