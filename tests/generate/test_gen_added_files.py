"""Files added to the output folder are drift: ``check`` fails and names them (with or without
``-o``), ``generate`` reports them and removes them only with ``--force``; caches that tools
write while using the output are not drift."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from genkit import ok, specloom

EVIL_CONFTEST = "import pathlib\npathlib.Path('PWNED').write_text('ran')\n"


def test_a_conftest_dropped_into_the_tests_fails_check(notes) -> None:
    conftest = notes.out / "tests" / "contract" / "conftest.py"
    conftest.write_text(EVIL_CONFTEST)
    proc = specloom("check", "specs", cwd=notes.root)
    assert proc.returncode == 1, proc.stderr
    assert (
        "generated has 1 file(s) specloom did not write: tests/contract/conftest.py; "
        "remove them or run `specloom generate --force`"
    ) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert conftest.read_text() == EVIL_CONFTEST  # check writes nothing


@pytest.mark.parametrize(
    "rel",
    ["conftest.py", "notes/evil.py", "notes/contracts/extra.pth", "docs/x/notes.md", "pytest.ini"],
)
def test_any_added_file_is_named_by_check(notes, rel: str) -> None:
    path = notes.out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("x = 1\n")
    proc = specloom("check", "specs", "-q", cwd=notes.root)
    assert proc.returncode == 1
    assert f"did not write: {rel};" in proc.stderr


def test_an_added_symlink_is_drift_and_never_followed(notes, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    os.symlink(target, notes.out / "tests" / "linked")
    proc = specloom("check", "specs", cwd=notes.root)
    assert proc.returncode == 1 and "did not write: tests/linked;" in proc.stderr
    ok(specloom("generate", "specs", "--force", cwd=notes.root))
    assert not (notes.out / "tests" / "linked").exists()
    assert (target / "keep.txt").read_text() == "mine"  # the link went, not what it points to


def test_generate_reports_added_files_and_removes_them_only_with_force(notes) -> None:
    conftest = notes.out / "tests" / "conftest_extra.py"
    conftest.write_text(EVIL_CONFTEST)
    (notes.out / "notes" / "plugins").mkdir()
    (notes.out / "notes" / "plugins" / "evil.py").write_text("x = 1\n")
    proc = ok(specloom("generate", "specs", cwd=notes.root))
    assert (
        "warning: 2 file(s) in generated were not written by specloom: notes/plugins/evil.py, "
        "tests/conftest_extra.py; `specloom check` fails on them, `specloom generate --force` "
        "removes them"
    ) in proc.stderr
    assert conftest.exists()
    forced = ok(specloom("generate", "specs", "--force", cwd=notes.root))
    assert "removed 2 file(s) specloom did not write" in forced.stderr
    assert not conftest.exists() and not (notes.out / "notes" / "plugins").exists()
    ok(specloom("check", "specs", cwd=notes.root))


def test_check_honours_the_output_option(notes, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere" / "out"
    ok(specloom("generate", "specs", "-o", other, cwd=notes.root))
    ok(specloom("check", "specs", "-o", other, cwd=notes.root))
    (other / "tests" / "integration" / "conftest.py").write_text(EVIL_CONFTEST)
    proc = specloom("check", "specs", "-o", other, cwd=notes.root)
    assert proc.returncode == 1 and "did not write: tests/integration/conftest.py;" in proc.stderr
    ok(specloom("check", "specs", cwd=notes.root))  # the default output is untouched and clean


def test_caches_from_running_the_generated_tests_are_not_drift(notes) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SPECLOOM_"))}
    run = subprocess.run(  # writes __pycache__ and .pytest_cache into the output folder
        [sys.executable, "-m", "pytest", "-q", "generated/tests", "-x"],
        cwd=notes.root, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert list(notes.out.rglob("__pycache__"))
    for cache in (".mypy_cache/x.json", "notes.egg-info/PKG-INFO", "notes/orchestra.db"):
        (notes.out / cache).parent.mkdir(parents=True, exist_ok=True)
        (notes.out / cache).write_text("cache")
    ok(specloom("check", "specs", cwd=notes.root))
    proc = ok(specloom("generate", "specs", "--force", cwd=notes.root))
    assert "did not write" not in proc.stderr
    assert (notes.out / ".mypy_cache/x.json").exists()
