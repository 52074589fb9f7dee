"""``specloom export openapi``: a valid OpenAPI 3.1 document of the provided contracts."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

REPO = Path(__file__).resolve().parents[2]
SPEC_SETS = ["specs", "examples/notes/specs", "examples/versions/specs"]


def specloom(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "specloom"
    return subprocess.run(
        [str(exe), *args], cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def export(specs: str, tmp_path: Path, *extra: str) -> dict:
    out = tmp_path / "openapi.json"
    run = specloom("export", "openapi", specs, "-o", str(out), *extra)
    assert run.returncode == 0, run.stderr
    return json.loads(out.read_text("utf-8"))


@pytest.mark.parametrize("specs", SPEC_SETS)
def test_document_passes_openapi_spec_validator(specs: str, tmp_path: Path) -> None:
    doc = export(specs, tmp_path)
    assert doc["openapi"] == "3.1.0"
    validate(doc)  # raises on any error


@pytest.mark.parametrize("specs", SPEC_SETS)
def test_generated_package_holds_the_same_document(specs: str, tmp_path: Path) -> None:
    doc = export(specs, tmp_path)
    system = yaml.safe_load((REPO / specs / "system.yaml").read_text("utf-8"))["system"]
    package = system.get("package", system["name"])
    shipped = REPO / specs / ".." / "generated" / package / "openapi.json"
    assert json.loads(shipped.read_text("utf-8")) == doc


def test_one_operation_per_provided_method_with_types_examples_errors(tmp_path: Path) -> None:
    doc = export("specs", tmp_path)
    contracts = {}
    for f in sorted((REPO / "specs/contracts").glob("*.yaml")):
        data = yaml.safe_load(f.read_text("utf-8"))
        contracts[data["contract"]] = data
    ops = [op for item in doc["paths"].values() for op in item.values()]
    assert len(ops) == sum(len(c["methods"]) for c in contracts.values())
    create = doc["paths"]["/api/database/v1/create"]["post"]
    assert create["x-specloom"]["contract"] == "Database"
    body = create["requestBody"]["content"]["application/json"]
    assert body["schema"]["required"] == ["table", "data"]
    assert body["schema"]["additionalProperties"] is False
    assert body["schema"]["properties"]["table"]["pattern"] == "^[a-z][a-z0-9_]*$"
    values = [e["value"] for e in body["examples"].values()]
    assert {"table": "tasks", "data": {"id": "task-1", "state": "queued"}} in values
    ok = create["responses"]["200"]["content"]["application/json"]
    assert ok["schema"] == {
        "type": "string",
        "minLength": 1,
        "description": "Id of the new record.",
    }
    assert "task-1" in [e["value"] for e in ok["examples"].values()]
    # declared errors default to 409 (NotFound-like names 404); problem+json bodies
    assert "DuplicateId" in create["responses"]["409"]["description"]
    assert "InvalidRecord" in create["responses"]["409"]["description"]
    assert create["x-specloom"]["errors"] == {"DuplicateId": 409, "InvalidRecord": 409}
    problem = create["responses"]["409"]["content"]["application/problem+json"]["schema"]
    assert problem == {"$ref": "#/components/schemas/specloom.Problem"}
    for status in ("401", "403", "422", "503", "504"):
        assert status in create["responses"]
    # shared types: the same JSON Schema, refs pointing into components
    types = yaml.safe_load((REPO / "specs/types/task.yaml").read_text("utf-8"))["types"]
    assert doc["components"]["schemas"]["Task"] == types["Task"]
    process = doc["paths"]["/api/core_engine/v1/process_task"]["post"]
    task = process["requestBody"]["content"]["application/json"]["schema"]["properties"]["task"]
    assert task == {"$ref": "#/components/schemas/Task"}
    assert doc["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert doc["security"] == [{"bearerAuth": []}]


def test_rest_mapping_path_and_query_parameters(tmp_path: Path) -> None:
    doc = export("examples/notes/specs", tmp_path)
    get = doc["paths"]["/api/notes/v1/notes/{note_id}"]["get"]
    assert [(p["name"], p["in"], p["required"]) for p in get["parameters"]] == [
        ("note_id", "path", True)
    ]
    assert "requestBody" not in get
    assert "NoteNotFound" in get["responses"]["404"]["description"]
    find = doc["paths"]["/api/notes/v1/notes"]["get"]
    assert [(p["name"], p["in"]) for p in find["parameters"]] == [("tag", "query")]


def test_yaml_output_and_contract_filter(tmp_path: Path) -> None:
    out = tmp_path / "db.yaml"
    run = specloom("export", "openapi", "specs", "--contract", "Database@1", "-o", str(out))
    assert run.returncode == 0, run.stderr
    doc = yaml.safe_load(out.read_text("utf-8"))
    assert {op["x-specloom"]["contract"] for i in doc["paths"].values() for op in i.values()} == {
        "Database"
    }
    validate(doc)
    bad = specloom("export", "openapi", "specs", "--contract", "Databse@1")
    assert bad.returncode == 2 and "Database@1" in bad.stderr and "Traceback" not in bad.stderr


def test_stdout_is_the_document() -> None:
    run = specloom("export", "openapi", "examples/notes/specs")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["info"]["title"]


def _notes_copy(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "proj"
    shutil.copytree(REPO / "examples/notes/specs", root / "specs")
    f = root / "specs/contracts/notes.v1.yaml"
    text = f.read_text("utf-8")
    assert old in text
    f.write_text(text.replace(old, new), "utf-8")
    return root / "specs"


@pytest.mark.parametrize(
    ("new", "code"),
    [
        ('http: {method: GET, path: "/notes/{id}"}', "E_HTTP_PATH"),
        ('http: {method: GET, path: "/notes/{note_id}/{note_id}"}', "E_HTTP_PATH"),
        ("http: {method: GET, path: /notes}", "E_HTTP_ROUTE"),
        ('http: {method: GTE, path: "/notes/{note_id}"}', "E_SCHEMA"),
    ],
)
def test_bad_rest_mappings_are_reported(tmp_path: Path, new: str, code: str) -> None:
    specs = _notes_copy(tmp_path, 'http: {method: GET, path: "/notes/{note_id}"}', new)
    run = specloom("validate", str(specs))
    assert run.returncode == 1
    assert code in run.stderr, run.stderr
    assert "Traceback" not in run.stderr


def test_object_params_cannot_be_query_params(tmp_path: Path) -> None:
    specs = _notes_copy(
        tmp_path,
        '    returns: {$ref: "#/types/Note"}\n  get_note:',
        '    returns: {$ref: "#/types/Note"}\n    http: {method: GET, path: /new}\n  get_note:',
    )
    run = specloom("validate", str(specs))
    assert run.returncode == 1 and "E_HTTP_QUERY" in run.stderr, run.stderr


def test_error_status_is_configurable(tmp_path: Path) -> None:
    specs = _notes_copy(
        tmp_path,
        "NoteNotFound: {summary: No note has this id.}",
        "NoteNotFound: {summary: No note has this id., http: {status: 410}}",
    )
    doc = export(str(specs), tmp_path)
    get = doc["paths"]["/api/notes/v1/notes/{note_id}"]["get"]
    assert "NoteNotFound" in get["responses"]["410"]["description"]
    assert get["x-specloom"]["errors"] == {"NoteNotFound": 410}
