"""``specloom import openapi`` and ``import jsonschema`` on documents written in the style of
public ones (tests/interop/fixtures): the imported specs validate, generate, and the generated
tests pass; the types mean what the source schemas meant."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"
BIN = Path(sys.executable).parent


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPECLOOM_", "PYTHON"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["SPECLOOM_CACHE_DIR"] = str(cwd / ".cache")
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def specloom(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run([str(BIN / "specloom"), *map(str, args)], cwd)


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def generate_and_test(root: Path) -> str:
    """validate, generate, run the generated tests: their summary line."""
    ok(specloom("validate", "specs", cwd=root))
    ok(specloom("generate", "specs", cwd=root))
    tests = ok(run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "generated/tests"], root))  # fmt: skip
    assert "failed" not in tests.stdout and " passed" in tests.stdout, tests.stdout
    return tests.stdout


def test_petstore_openapi_30_imports_generates_and_passes(tmp_path: Path) -> None:
    proc = ok(specloom("import", "openapi", FIXTURES / "petstore.yaml", "-o", "specs",
                       cwd=tmp_path))  # fmt: skip
    # What has no place in a contract is reported, not dropped silently.
    assert "header parameter 'X-Request-Id'" in proc.stderr
    specs = tmp_path / "specs"
    pets = load(specs / "contracts/pets.v1.yaml")
    assert list(pets["methods"]) == ["list_pets", "create_pet", "show_pet_by_id", "delete_pet"]
    limit = pets["methods"]["list_pets"]["params"]["limit"]
    assert limit["type"] == ["integer", "null"] and limit["default"] is None
    assert limit["minimum"] == 1 and limit["maximum"] == 100
    assert pets["methods"]["show_pet_by_id"]["errors"] == ["NotFound"]
    assert pets["errors"]["Conflict"]["summary"] == "A pet with this name exists (HTTP 409)"
    assert "returns" not in pets["methods"]["delete_pet"]  # 204: no result
    types = load(specs / "types/swagger_petstore.yaml")["types"]
    pet = types["Pet"]  # allOf [NewPet, {id, added}] merged into one object
    assert set(pet["properties"]) == {"name", "tag", "born", "homepage", "status", "id", "added"}
    assert pet["required"] == ["name", "id", "added"]
    assert pet["properties"]["tag"]["type"] == ["string", "null"]  # nullable: true
    assert pet["properties"]["added"]["format"] == "date-time"
    assert types["Pets"]["items"] == {"$ref": "#/types/Pet"}
    generate_and_test(tmp_path)
    # The documented example answer comes back exactly (formats kept as strings).
    probe = ok(run([sys.executable, "-c", PROBE], tmp_path / "generated"))
    assert json.loads(probe.stdout) == pets["examples"][1]["steps"][0]["returns"]


PROBE = """
import asyncio, json
from swagger_petstore.mocks.pets_v1 import PetsV1Mock
from swagger_petstore.types import NewPet

async def main():
    pet = await PetsV1Mock().create_pet(NewPet(name="Tom", tag="cat", born="2021-06-30"))
    print(json.dumps(pet.model_dump(mode="json", exclude_unset=True)))

asyncio.run(main())
"""


def test_openapi_31_json_imports_generates_and_passes(tmp_path: Path) -> None:
    ok(specloom("import", "openapi", FIXTURES / "orders-3.1.json", "-o", "specs", cwd=tmp_path))
    specs = tmp_path / "specs"
    orders = load(specs / "contracts/orders.v2.yaml")  # major of info.version 2.3.0
    assert set(orders["methods"]) == {"place_order", "list_orders", "get_order"}
    status = orders["methods"]["list_orders"]["params"]["status"]
    assert status == {"anyOf": [{"$ref": "#/types/Status"}, {"type": "null"}], "default": None}
    order = load(specs / "types/order_service.yaml")["types"]["Order"]
    assert order["properties"]["kind"] == {"const": "order"}
    assert order["properties"]["tracking"]["oneOf"][1] == {"type": "null"}
    generate_and_test(tmp_path)


def test_jsonschema_folder_becomes_types_with_refs_rewired(tmp_path: Path) -> None:
    ok(specloom("import", "jsonschema", FIXTURES / "events", "-o", "specs", cwd=tmp_path))
    specs = tmp_path / "specs"
    envelope = load(specs / "types/envelope.yaml")["types"]
    user = load(specs / "types/user.yaml")["types"]
    assert set(envelope) == {"EventEnvelope", "Actor"} and set(user) == {"User", "Deletion"}
    props = envelope["EventEnvelope"]["properties"]
    assert props["actor"] == {"$ref": "#/types/Actor"}  # #/definitions/actor
    assert props["data"]["oneOf"] == [{"$ref": "#/types/User"}, {"$ref": "#/types/Deletion"}]
    (specs / "system.yaml").write_text(
        "specloom: 1\nsystem: {name: events, title: Events, version: 0.1.0}\n", "utf-8"
    )
    (specs / "contracts").mkdir()
    (specs / "contracts/bus.v1.yaml").write_text(CONTRACT, "utf-8")
    (specs / "modules").mkdir()
    (specs / "modules/01-bus.yaml").write_text(
        "module: bus\nnumber: 1\ntitle: Bus\nscope: events\nprovides: [EventBus@1]\n", "utf-8"
    )
    generate_and_test(tmp_path)
    probe = ok(run([sys.executable, "-c", ENVELOPE_PROBE], tmp_path / "generated"))
    assert json.loads(probe.stdout) == {"kept": True, "naive_time": False, "closed_user": False}


CONTRACT = """\
contract: EventBus
version: 1
methods:
  publish:
    summary: Publish an event; returns it as stored.
    params:
      event: {$ref: "#/types/EventEnvelope"}
    returns: {$ref: "#/types/EventEnvelope"}
examples:
  - name: publish echoes
    steps:
      - call: publish
        with:
          event: &e
            id: 6f9619ff-8b86-d011-b42d-00cf4fc964ff
            source: /users
            type: user.created
            time: "2024-05-01T12:00:00+02:00"
            data: {user_id: 7, name: Ada, homepage: "https://ada.example"}
        returns: *e
"""

ENVELOPE_PROBE = """
import json
from events.types import EventEnvelope
good = {"id": "6F9619FF-8B86-D011-B42D-00CF4FC964FF", "source": "/u", "type": "user.deleted",
        "time": "2024-05-01T12:00:00Z", "data": {"user_id": 7, "reason": "asked"}, "x-extra": 1}
def ok(value):
    try:
        EventEnvelope.model_validate(value)
        return True
    except Exception:
        return False
back = EventEnvelope.model_validate(good).model_dump(mode="json", exclude_unset=True)
print(json.dumps({
    "kept": back == good,
    "naive_time": ok({**good, "time": "2024-05-01T12:00:00"}),
    "closed_user": ok({**good, "data": {"user_id": 7, "name": "A", "other": 1}}),
}))
"""


def test_bad_inputs_are_clean_errors(tmp_path: Path) -> None:
    (tmp_path / "not.yaml").write_text("swagger: '2.0'\n", "utf-8")
    proc = specloom("import", "openapi", "not.yaml", cwd=tmp_path)
    assert proc.returncode == 1 and "not an OpenAPI 3.x document" in proc.stderr
    assert "Traceback" not in proc.stderr
    ok(specloom("import", "openapi", FIXTURES / "petstore.yaml", "-o", "specs", cwd=tmp_path))
    again = specloom("import", "openapi", FIXTURES / "petstore.yaml", "-o", "specs", cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr
    (tmp_path / "s.json").write_text(json.dumps({"type": "object", "properties": {
        "a": {"$ref": "missing.json"}, "b": {"type": "string", "format": "phone"},
        "c": {"not": {"type": "null"}}}}), "utf-8")  # fmt: skip
    proc = ok(specloom("import", "jsonschema", "s.json", "-o", "out", cwd=tmp_path))
    assert "s.json#/properties/a: $ref 'missing.json' does not resolve" in proc.stderr
    assert "format 'phone' is not checked" in proc.stderr
    assert "keyword 'not' cannot be expressed" in proc.stderr


@pytest.mark.parametrize("name", ["petstore.yaml", "orders-3.1.json"])
def test_import_is_deterministic(tmp_path: Path, name: str) -> None:
    for out in ("a", "b"):
        ok(specloom("import", "openapi", FIXTURES / name, "-o", out, cwd=tmp_path))
    files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.yaml"))
    assert files_a == sorted(
        p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.yaml")
    )
    for rel in files_a:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes()
