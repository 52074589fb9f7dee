"""Messages and checks users trip over (issue 13 section 6), each run through the real CLI.

Built on examples/versions (store provides KeyValue@1 and @2, implements @2) and the small shop
case set; every message asserted here must say what really happened.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from genkit import ROOT, edit, env, ok, specloom

VERSIONS = ROOT / "examples" / "versions"
V2 = "specs/contracts/key_value.v2.yaml"
CASES = ROOT / "tests" / "cases"


def _versions(root: Path) -> Path:
    shutil.copytree(VERSIONS / "specs", root / "specs")
    shutil.copytree(VERSIONS / "impl", root / "impl", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _legacy(root: Path) -> Path:
    """KeyValue@2.put's overwrite made required: no adapter, store serves @1 itself."""
    edit(
        root / V2,
        "      overwrite: {type: boolean, default: true, description: False keeps an existing"
        " value.}",
        "      overwrite: {type: boolean}",
    )
    edit(
        root / V2,
        '{key: "note:1", value: {title: Hi}}, returns: true}',
        '{key: "note:1", value: {title: Hi}, overwrite: true}, returns: true}',
    )
    edit(
        root / "impl" / "store.py",
        "overwrite: bool = True",
        "overwrite: bool",
    )
    return root


LEGACY_IMPL = """

    def serve_key_value_v1(self) -> StoreKeyValueV1Base:
        return _V1(self)


class _V1(StoreKeyValueV1Base):
    async def get(self, key: str) -> dict[str, Any] | None:
        return await self.main.get(key)

    async def put(self, key: str, value: dict[str, Any]) -> bool:
        return await self.main.put(key, value, overwrite=True)

    async def keys(self, prefix: str = "") -> list[str]:
        return await self.main.keys(prefix)
"""


def _implement_legacy(root: Path) -> None:
    path = root / "impl" / "store.py"
    text = path.read_text("utf-8")
    text = text.replace(
        "from shelf.modules.store import StoreBase",
        "from shelf.modules.store import StoreBase, StoreKeyValueV1Base",
    )
    path.write_text(text.rstrip("\n") + "\n" + LEGACY_IMPL, "utf-8")


def test_the_legacy_accessor_is_no_removed_method_and_w_no_adapter_goes_once_implemented(
    tmp_path: Path,
) -> None:
    root = _legacy(_versions(tmp_path))
    first = specloom("validate", "specs", cwd=root)
    assert "warning[W_NO_ADAPTER]" in first.stderr + first.stdout
    _implement_legacy(root)
    proc = ok(specloom("validate", "specs", cwd=root))
    assert "W_NO_ADAPTER" not in proc.stdout + proc.stderr
    gen = ok(specloom("generate", "specs", cwd=root))
    assert "serve_key_value_v1" not in gen.stderr, gen.stderr
    # Dropping KeyValue@1 (and its consumer) retires the accessor: said as such, not as a
    # method "no longer in the contract".
    edit(root / "specs" / "modules" / "01-store.yaml", "[KeyValue@1, KeyValue@2]", "[KeyValue@2]")
    edit(root / "specs" / "modules" / "02-notes.yaml", "consumes: [KeyValue@1]", "consumes: []")
    (root / "specs" / "contracts" / "key_value.v1.yaml").unlink()
    gen = specloom("generate", "specs", cwd=root)
    assert "serve_key_value_v1() no longer used: the module does not serve that older" in (
        gen.stderr
    ), gen.stderr
    assert "no longer in the contract" not in gen.stderr


def test_an_orphaned_implementation_file_is_reported(tmp_path: Path) -> None:
    root = _versions(tmp_path)
    ok(specloom("generate", "specs", cwd=root))
    (root / "specs" / "modules" / "03-stats.yaml").unlink()
    (root / "specs" / "contracts" / "stats.v1.yaml").unlink()
    gen = ok(specloom("generate", "specs", cwd=root))
    assert "warning: impl/stats.py: its module is no longer in the specs" in gen.stderr
    assert (root / "impl" / "stats.py").is_file()  # reported, never deleted
    (root / "impl" / "helpers.py").write_text("def helper() -> int:\n    return 1\n", "utf-8")
    check = ok(specloom("check", "specs", cwd=root))
    assert "impl/stats.py" in check.stderr and "helpers.py" not in check.stderr


def test_check_fails_on_an_implementation_whose_signature_drifted(tmp_path: Path) -> None:
    root = _versions(tmp_path)
    ok(specloom("generate", "specs", cwd=root))
    ok(specloom("check", "specs", cwd=root))
    edit(
        root / "impl" / "store.py",
        "async def put(self, key: str, value: dict[str, Any], overwrite: bool = True)",
        "async def put(self, key: str, value: dict[str, Any], *, ttl: int)",
    )
    proc = specloom("check", "specs", cwd=root)
    assert proc.returncode == 1, proc.stderr
    assert (
        "StoreImpl.put (line 22) drifted from KeyValue@2.put(key, value, overwrite): it does not "
        "accept 'overwrite'; it requires 'ttl', which the contract lacks"
    ) in proc.stderr


def test_every_unknown_key_is_reported_and_json_schema_keywords_get_no_wrong_hint(
    tmp_path: Path,
) -> None:
    shutil.copytree(CASES / "valid_minimal" / "specs", tmp_path / "specs")
    path = tmp_path / "specs" / "contracts" / "stock.v1.yaml"
    edit(
        path,
        "sku: {type: string, minLength: 1}",
        "sku: {type: string, minLength: 1, propertyNames: {}, Title: x, tpye: string}",
    )
    edit(path, "description:", "descripton:")
    proc = specloom("validate", "specs", cwd=tmp_path)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines() + proc.stderr.splitlines()
    unknown = [line for line in lines if "unknown key" in line]
    assert len(unknown) == 4, lines
    assert any("'descripton'" in u and "did you mean 'description'?" in u for u in unknown)
    assert any("'Title'" in u and "did you mean 'title'?" in u for u in unknown)
    assert any("'tpye'" in u and "did you mean 'type'?" in u for u in unknown)
    (all_of,) = [u for u in unknown if "'propertyNames'" in u]  # allOf is supported now
    assert "a JSON Schema keyword specloom does not support" in all_of
    assert "anyOf'?" not in all_of


def test_diff_labels_a_proper_major_bump_as_bumped_not_error(tmp_path: Path) -> None:
    case = ROOT / "tests" / "diff" / "cases" / "bump_keeps_old"
    proc = specloom("diff", case / "old", case / "new", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "error[" not in proc.stdout
    assert "bumped[PARAM_NO_DELETE]: Catalog@2.find" in proc.stdout
    assert "note[CONTRACT_VERSION_ADDED]" in proc.stdout


def test_the_project_template_ignores_every_output_lock(tmp_path: Path) -> None:
    shutil.copy(ROOT / "templates" / "project" / "template" / ".gitignore", tmp_path)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    for rel in ("generated/.specloom/lock", ".specloom/lock", "x/generated/.specloom/lock"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("", "utf-8")
        proc = subprocess.run(["git", "check-ignore", "-q", rel], cwd=tmp_path, check=False)
        assert proc.returncode == 0, f"{rel} is not ignored"
    keep = subprocess.run(
        ["git", "check-ignore", "-q", "generated/.specloom/manifest.json"], cwd=tmp_path
    )
    assert keep.returncode == 1  # the manifest is committed


def test_health_reports_an_implementation_whose_signature_drifted(tmp_path: Path) -> None:
    root = _versions(tmp_path)
    ok(specloom("generate", "specs", cwd=root))

    def health() -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "shelf", "health"],
            cwd=root,
            env={**env(), "PYTHONPATH": f"{root / 'generated'}{os.pathsep}{root}"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        return next(line for line in proc.stdout.splitlines() if line.startswith("store "))

    assert " impl  ok " in health()
    edit(
        root / "impl" / "store.py",
        "async def put(self, key: str, value: dict[str, Any], overwrite: bool = True)",
        "async def put(self, key: str, value: dict[str, Any], *, ttl: int)",
    )
    row = health()
    assert " impl  drift " in row
    assert (
        "KeyValue@2.put: StoreImpl.put does not accept 'overwrite'; requires 'ttl', which the "
        "contract lacks"
    ) in row
