"""Generated systems and the runtime library: the generated ``pyproject.toml`` makes the output an
installable package that depends on ``specloom-runtime``; ``--vendor-runtime`` writes a copy of
the runtime beside the package instead, and that system runs (its own tests pass) where the
library is not installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

from genkit import ROOT, copy_notes, ok, run, specloom, tool
from specloom_runtime.natsserver import find_nats_server

RUNTIME_SRC = ROOT / "runtime" / "specloom_runtime"


def test_pip_builds_the_output_into_a_wheel_that_depends_on_the_runtime(
    notes_project, tmp_path: Path
) -> None:
    src = tmp_path / "src"  # pip builds in the tree (build/, *.egg-info): not in the fixture's
    shutil.copytree(notes_project.out, src)
    wheels = tmp_path / "wheels"
    ok(
        run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), "./src"],
            tmp_path,
            timeout=300,
        )
    )
    (wheel,) = wheels.glob("notes-0.1.0-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {"notes", "notes-0.1.0.dist-info"}
    assert "notes/system.py" in names and "notes/py.typed" in names
    meta = zipfile.ZipFile(wheel).read("notes-0.1.0.dist-info/METADATA").decode()
    requires = sorted(line for line in meta.splitlines() if line.startswith("Requires-Dist"))
    assert "Requires-Dist: specloom-runtime<0.2,>=0.1" in requires, requires
    # installed on its own (the runtime from the test environment), the package imports and runs
    site = tmp_path / "site"
    ok(
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "-q",
                "--no-deps",
                "--target",
                str(site),
                str(wheel),
            ],
            tmp_path,
        )
    )
    proc = ok(run([sys.executable, "-m", "notes", "list"], tmp_path, PYTHONPATH=str(site)))
    assert "Notes@1" in proc.stdout


def _python_without_the_runtime(tmp_path: Path) -> Path:
    """An interpreter that sees this environment's packages (pydantic, pytest) but not the
    runtime library: a bare venv whose .pth names our site-packages folder. Only site folders'
    own .pth files run, so the editable install of specloom-runtime (a .pth) stays out."""
    venv = tmp_path / "bare"
    ok(run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path))
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(purelib) / "outer.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return python


def test_vendor_runtime_writes_a_copy_that_the_system_runs_on(tmp_path: Path) -> None:
    project = copy_notes(tmp_path / "project")
    ok(specloom("generate", "specs", "--vendor-runtime", cwd=project))
    out = project / "generated"
    copy = out / "specloom_runtime"
    for src in sorted(RUNTIME_SRC.rglob("*")):
        if src.is_file() and "__pycache__" not in src.parts:
            rel = src.relative_to(RUNTIME_SRC)
            assert (copy / rel).read_bytes() == src.read_bytes(), rel  # verbatim, no rewriting
    manifest = json.loads((out / ".specloom" / "manifest.json").read_text())
    assert "specloom_runtime/__init__.py" in manifest["files"]
    pyproject = (out / "pyproject.toml").read_text()
    assert "specloom-runtime" not in pyproject and '"specloom_runtime"' in pyproject
    ok(run([tool("ruff"), "check", "."], out))
    ok(run([tool("ruff"), "format", "--check", "."], out))
    # the drift check knows the option: without it the copy is stale output
    ok(specloom("check", "specs", "--vendor-runtime", cwd=project))
    assert specloom("check", "specs", "-q", cwd=project).returncode == 1

    python = _python_without_the_runtime(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SPECLOOM_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["NATS_SERVER_BIN"] = find_nats_server()  # the bare venv has no scripts of its own
    missing = subprocess.run(
        [python, "-c", "import pydantic, pytest; import specloom_runtime"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
    )
    assert "No module named 'specloom_runtime'" in missing.stderr, missing.stderr
    where = subprocess.run(
        [python, "-c", "import notes.system, specloom_runtime; print(specloom_runtime.__file__)"],
        cwd=out,
        capture_output=True,
        text=True,
        env=env,
    )
    assert where.stdout.strip() == str(copy / "__init__.py"), where.stderr
    tests = subprocess.run(
        [python, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests"],
        cwd=out,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert tests.returncode == 0 and " passed" in tests.stdout, tests.stdout + tests.stderr

    # back to the library: the copy is removed like any stale output
    ok(specloom("generate", "specs", cwd=project))
    assert not copy.exists()
