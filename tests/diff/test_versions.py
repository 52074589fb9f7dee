"""Several major versions of one contract: validation, generation, adapters and legacy objects.

Built on examples/versions (the store provides KeyValue@1 and KeyValue@2 and implements only
@2; notes consumes @1, stats consumes @2). Generated code runs in subprocesses, as users run it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import kit
import pytest

from generator.validate import validate_specs

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "versions"
SPECLOOM = str(Path(sys.executable).with_name("specloom"))
V2 = "contracts/key_value.v2.yaml"
OVERWRITE = (
    "      overwrite: {type: boolean, default: true, description: False keeps an existing value.}"
)


def _copy_specs(dest: Path) -> Path:
    shutil.copytree(EXAMPLE / "specs", dest / "specs")
    return dest / "specs"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def _codes(specs: Path) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in validate_specs(specs, base=specs.parent).diagnostics:
        out.setdefault(d.code, []).append(d.format_text())
    return out


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": f"{cwd / 'generated'}{os.pathsep}{cwd}"}
    env.pop("SPECLOOM_IMPL_PACKAGE", None)
    return kit.run([*args], cwd, environ=env, timeout=240)


# -- validation ----------------------------------------------------------------------------------


def test_the_example_is_valid_without_warnings() -> None:
    assert validate_specs(EXAMPLE / "specs").diagnostics == []


def test_a_provider_dropping_a_consumed_version_is_rejected_clearly(tmp_path: Path) -> None:
    specs = _copy_specs(tmp_path)
    _edit(
        specs / "modules/01-store.yaml",
        "provides: [KeyValue@1, KeyValue@2]",
        "provides: [KeyValue@2]",
    )
    (problem,) = _codes(specs)["E_UNPROVIDED"]
    assert problem == (
        "specs/modules/02-notes.yaml:7:12: error[E_UNPROVIDED]: module notes consumes KeyValue@1, "
        "but no module provides that version any more (store provides KeyValue@2); a provider "
        "must keep a version while a module consumes it (hint: add KeyValue@1 back to store's "
        "provides (an adapter is generated when the change allows it), or move notes to "
        "KeyValue@2)"
    )


def test_unknown_rules_in_acceptances_are_errors(tmp_path: Path) -> None:
    specs = _copy_specs(tmp_path)
    _edit(
        specs / V2,
        "  keys:\n",
        "  keys:\n    breaking:\n      - {rule: PARAM_NO_REQUIRED, reason: r}\n",
    )
    _edit(
        specs / "system.yaml",
        "versions: {keep: 3}",
        "versions:\n  keep: 3\n  ignore: [{rule: DOCS_CHANGED, reason: r}]",
    )
    problems = _codes(specs)["E_UNKNOWN_RULE"]
    assert len(problems) == 2
    assert (
        "unknown diff rule 'PARAM_NO_REQUIRED' (hint: did you mean 'PARAM_NO_REQUIRE'?)"
        in problems[0]
    )
    assert "system.yaml:" in problems[1] and "did you mean 'DOC_CHANGED'?" in problems[1]


def test_more_versions_than_the_policy_keeps_warns(tmp_path: Path) -> None:
    specs = _copy_specs(tmp_path)
    _edit(specs / "system.yaml", "versions: {keep: 3}", "versions: {keep: 1}")
    (warning,) = _codes(specs)["W_TOO_MANY_VERSIONS"]
    assert "2 versions of KeyValue are kept; the policy is 1" in warning


def _legacy_specs(dest: Path) -> Path:
    """The example with KeyValue@2.put's overwrite required: no adapter can serve KeyValue@1."""
    specs = _copy_specs(dest)
    _edit(specs / V2, OVERWRITE, "      overwrite: {type: boolean}")
    _edit(specs / V2, '{key: "note:1", value: {title: Hi}}, returns: true}',
          '{key: "note:1", value: {title: Hi}, overwrite: true}, returns: true}')  # fmt: skip
    return specs


def test_no_adapter_warns_and_an_accessor_name_clash_is_an_error(tmp_path: Path) -> None:
    specs = _legacy_specs(tmp_path)
    (warning,) = _codes(specs)["W_NO_ADAPTER"]
    assert "store implements KeyValue@2; no adapter can serve KeyValue@1 from it (put: " in warning
    assert "required parameter 'overwrite' added (REQUIRED_PARAM_NO_ADD)" in warning
    assert "implement serve_key_value_v1() in the store implementation" in warning
    _edit(specs / V2, "  count:\n", "  serve_key_value_v1:\n    summary: s\n  count:\n")
    _edit(
        specs / V2,
        "      - {call: count,",
        "      - {call: serve_key_value_v1}\n      - {call: count,",
    )
    (clash,) = _codes(specs)["E_NAME_CLASH"]
    assert "which KeyValue@2.serve_key_value_v1 already names" in clash


# -- generation and run time ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def adapted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example generated into a temporary project with its hand-written implementations."""
    root = tmp_path_factory.mktemp("adapted")
    shutil.copytree(EXAMPLE / "specs", root / "specs")
    shutil.copytree(EXAMPLE / "impl", root / "impl")
    proc = _run(root, SPECLOOM, "generate", "specs")
    assert proc.returncode == 0, proc.stderr
    return root


def test_the_module_base_implements_only_the_newest_version(adapted: Path) -> None:
    module = (adapted / "generated/shelf/modules/store.py").read_text("utf-8")
    assert "class StoreBase(KeyValueV2, ModuleRuntime, ABC):" in module
    assert "KeyValue@1 is served by the generated adapter KeyValueV1FromV2." in module
    system = (adapted / "generated/shelf/system.py").read_text("utf-8")
    assert "serves=(\n            KeyValueV1FromV2,\n            None,\n        )," in system
    adapter = (adapted / "generated/shelf/adapters/key_value_v1_from_v2.py").read_text("utf-8")
    assert "class KeyValueV1FromV2(Adapter, KeyValueV1):" in adapter


SCRIPT = """
import asyncio, json
from shelf.system import CLIENTS, MODULES
from specloom_runtime import System
from shelf.contracts.key_value_v1 import KeyMissing as KeyMissingV1

async def main():
    async with System(MODULES, clients=CLIENTS) as system:
        v1, v2 = system.client("KeyValue@1"), system.client("KeyValue@2")
        out = {"modes": [row["mode"] for row in system.health()]}
        out["put_v1"] = await v1.put(key="a:1", value={"n": 1})
        out["put_v2_keep"] = await v2.put(key="a:1", value={"n": 2}, overwrite=False)
        out["get_v1"] = await v1.get(key="a:1")
        out["keys_v1_default_prefix"] = await v1.keys()
        out["count_v2"] = await v2.count(prefix="a:")
        try:
            await v1.get(key="nothing")
        except KeyMissingV1 as exc:
            out["error_v1"] = type(exc).__module__ + "." + type(exc).__name__
    print(json.dumps(out))

asyncio.run(main())
"""


def test_the_adapter_serves_the_old_version_from_the_new_implementation(adapted: Path) -> None:
    proc = _run(adapted, sys.executable, "-c", SCRIPT)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "modes": ["impl", "impl", "impl"],
        "put_v1": True,
        "put_v2_keep": False,
        "get_v1": {"n": 1},
        "keys_v1_default_prefix": ["a:1"],  # KeyValue@1's default prefix "" passed explicitly
        "count_v2": 1,
        "error_v1": "shelf.contracts.key_value_v1.KeyMissing",
    }


LEGACY_IMPL = '''
"""Store: KeyValue@2, and KeyValue@1 through a legacy object (no adapter is possible)."""

from __future__ import annotations

from typing import Any

from shelf.contracts.key_value_v1 import KeyMissing as KeyMissingV1
from shelf.contracts.key_value_v2 import KeyMissing
from shelf.modules.store import StoreBase, StoreKeyValueV1Base


class StoreImpl(StoreBase):
    async def on_start(self) -> None:
        self.values: dict[str, dict[str, Any]] = {}

    async def put(self, key: str, value: dict[str, Any], overwrite: bool) -> bool:
        new = key not in self.values
        if new or overwrite:
            self.values[key] = dict(value)
        return new

    async def get(self, key: str) -> dict[str, Any]:
        if key not in self.values:
            raise KeyMissing(key)
        return dict(self.values[key])

    async def keys(self, prefix: str) -> list[str]:
        return sorted(k for k in self.values if k.startswith(prefix))

    async def count(self, prefix: str = "") -> int:
        return len(await self.keys(prefix))
{accessor}

class StoreV1(StoreKeyValueV1Base):
    async def put(self, key: str, value: dict[str, Any]) -> bool:
        return await self.main.put(key, value, overwrite=True)

    async def get(self, key: str) -> dict[str, Any]:
        try:
            return await self.main.get(key)
        except KeyMissing:
            raise KeyMissingV1(key) from None

    async def keys(self, prefix: str = "") -> list[str]:
        return await self.main.keys(prefix)
'''
HEALTH = """
import asyncio, json
from shelf.system import CLIENTS, MODULES
from specloom_runtime import System

async def main():
    async with System(MODULES, clients=CLIENTS) as system:
        print(json.dumps(system.health()))

asyncio.run(main())
"""
ACCESSOR = """
    def serve_key_value_v1(self) -> StoreV1:
        return StoreV1(self)
"""


@pytest.fixture(scope="module")
def legacy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("legacy")
    _legacy_specs(root)
    shutil.copytree(EXAMPLE / "impl", root / "impl")
    (root / "impl" / "store.py").unlink()
    proc = _run(root, SPECLOOM, "generate", "specs")
    assert proc.returncode == 0, proc.stderr
    return root


def test_without_an_adapter_the_module_gets_a_legacy_base_and_a_stub_accessor(legacy: Path) -> None:
    module = (legacy / "generated/shelf/modules/store.py").read_text("utf-8")
    assert "class StoreBase(KeyValueV2, ModuleRuntime, ABC):" in module
    assert "    @stub\n    def serve_key_value_v1(self) -> StoreKeyValueV1Base:" in module
    assert "class StoreKeyValueV1Base(KeyValueV1, ABC):" in module
    assert not (legacy / "generated/shelf/adapters").exists()
    scaffold = (legacy / "impl/store.py").read_text("utf-8")
    assert scaffold.count("async def put(") == 1  # KeyValue@2's only
    assert "overwrite: bool)" in scaffold


def test_the_legacy_object_serves_the_old_version(legacy: Path) -> None:
    store = legacy / "impl" / "store.py"
    scaffold = store.read_text("utf-8")
    try:
        store.write_text(textwrap.dedent(LEGACY_IMPL).replace("{accessor}", ""), "utf-8")
        proc = _run(legacy, sys.executable, "-c", HEALTH)
        rows = {row["module"]: row for row in json.loads(proc.stdout)}
        assert rows["store"]["mode"] == "mock", rows["store"]  # accessor still a stub
        assert "serve_key_value_v1" in rows["store"]["reason"]
        proc = _run(legacy, sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider",
                    "generated/tests/contract/test_key_value_v1.py")  # fmt: skip
        assert proc.returncode == 0, proc.stdout[-3000:]
        assert "pending: store serves KeyValue@1 with its mock" in proc.stdout
        assert "4 passed, 4 skipped" in proc.stdout.splitlines()[-1]  # x2: in-process, NATS

        store.write_text(textwrap.dedent(LEGACY_IMPL).replace("{accessor}", ACCESSOR), "utf-8")
        proc = _run(legacy, sys.executable, "-c", HEALTH)
        rows = {row["module"]: row for row in json.loads(proc.stdout)}
        assert rows["store"]["mode"] == "impl", rows["store"]
        proc = _run(legacy, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "generated/tests")  # fmt: skip
        assert proc.returncode == 0, proc.stdout[-3000:]
        assert "skipped" not in proc.stdout.splitlines()[-1]
    finally:
        store.write_text(scaffold, "utf-8")
