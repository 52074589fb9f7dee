"""``check``'s implementation report on an up-to-date output: the scaffolds it compares the
implementations with are kept by the input fingerprint (no validation on a warm check), so each
of these must still be noticed: an edited implementation, an edited spec, an edited template;
with a warm cache (saved by generate or an earlier check) and with an empty one."""

from __future__ import annotations

import shutil
from pathlib import Path

from genkit import ROOT, edit, ok, specloom

VERSIONS = ROOT / "examples" / "versions"
PUT = "async def put(self, key: str, value: dict[str, Any], overwrite: bool = True)"
DRIFT = "StoreImpl.put (line 22) drifted from KeyValue@2.put"


def _versions(root: Path) -> Path:
    shutil.copytree(VERSIONS / "specs", root / "specs")
    shutil.copytree(VERSIONS / "impl", root / "impl", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def _drift(root: Path, *args: str, cache: Path | None = None) -> str:
    """``check``'s stderr, asserting it failed for drift only (the output is up to date)."""
    proc = specloom("check", "specs", *args, cwd=root, cache=cache)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "out of date" not in proc.stderr, proc.stderr
    assert "implementation file(s) drifted from their contracts" in proc.stderr
    return proc.stderr


def test_an_edited_implementation_is_noticed(tmp_path: Path) -> None:
    root = _versions(tmp_path / "p")
    ok(specloom("generate", "specs", cwd=root))
    ok(specloom("check", "specs", cwd=root))
    ok(specloom("check", "specs", cwd=root))  # twice: the second from the kept scaffolds
    edit(root / "impl" / "store.py", PUT, "async def put(self, key: str, value: dict[str, Any])")
    assert f"{DRIFT}(key, value, overwrite): it does not accept 'overwrite'" in _drift(root)
    edit(root / "impl" / "store.py", "async def put(self, key: str, value: dict[str, Any])", PUT)
    ok(specloom("check", "specs", cwd=root))


def test_an_edited_spec_is_noticed(tmp_path: Path) -> None:
    root = _versions(tmp_path / "p")
    ok(specloom("generate", "specs", cwd=root))
    ok(specloom("check", "specs", cwd=root))
    edit(
        root / "specs" / "contracts" / "key_value.v2.yaml",
        "      overwrite: {type: boolean, default: true,",
        "      ttl: {type: integer, default: 0}\n      overwrite: {type: boolean, default: true,",
    )
    stale = specloom("check", "specs", cwd=root)
    assert stale.returncode == 1 and "out of date" in stale.stderr, stale.stderr
    ok(specloom("generate", "specs", cwd=root))
    want = f"{DRIFT}(key, value, ttl, overwrite): it does not accept 'ttl'"
    assert want in _drift(root)
    assert want in _drift(root, cache=tmp_path / "empty-cache")  # the same, computed afresh
    # Back to the first spec: the output comes from its pack (nothing rendered, nothing saved);
    # the report is that spec's, not the one last saved.
    edit(
        root / "specs" / "contracts" / "key_value.v2.yaml",
        "      ttl: {type: integer, default: 0}\n",
        "",
    )
    ok(specloom("generate", "specs", cwd=root))
    ok(specloom("check", "specs", cwd=root))


def test_an_edited_template_is_noticed(tmp_path: Path) -> None:
    root = _versions(tmp_path / "p")
    mine = tmp_path / "templates"
    method = mine / "code" / "scaffold" / "method.py.jinja"
    method.parent.mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "code" / "scaffold" / "method.py.jinja", method)
    args = ("--templates", str(mine))
    ok(specloom("generate", "specs", *args, cwd=root))
    ok(specloom("check", "specs", *args, cwd=root))
    ok(specloom("check", "specs", *args, cwd=root))
    # The scaffold's methods now take one more parameter: every implementation lacks it.
    edit(method, "({{ mac.stub_signature(m) }})", "({{ mac.stub_signature(m) }}, audit: str = '')")
    ok(specloom("generate", "specs", *args, cwd=root))
    assert f"{DRIFT}(key, value, overwrite, audit): it does not accept 'audit'" in _drift(
        root, *args
    )
    edit(method, "({{ mac.stub_signature(m) }}, audit: str = '')", "({{ mac.stub_signature(m) }})")
    ok(specloom("generate", "specs", *args, cwd=root))
    ok(specloom("check", "specs", *args, cwd=root))
