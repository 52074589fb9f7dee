"""Helpers of the generation tests: run the real CLI and generated code, copy projects, compare
folder trees.

Every run is a real subprocess: ``specloom`` through its console script, generated systems with
``python -m <package>``, their tests with pytest, and ruff and mypy on the output. Subprocesses
get a private types cache (``SPECLOOM_CACHE_DIR``) and write no bytecode, so a tree holds only
what specloom wrote.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTES = ROOT / "examples" / "notes"
FLAGSHIP_SPECS = ROOT / "specs"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A console script of the test environment (specloom, ruff, mypy)."""
    path = BIN / name
    return str(path) if path.exists() else name


CACHE: list[Path] = []  # the session's private types cache (set by conftest)


def env(cache: Path | None = None, **extra: str) -> dict[str, str]:
    """Environment of a subprocess: no bytecode, no inherited PYTHON*/SPECLOOM_* settings, a
    private types cache (``cache``, else the session's)."""
    out = {k: v for k, v in os.environ.items() if not k.startswith(("SPECLOOM_", "PYTHON"))}
    out["PYTHONDONTWRITEBYTECODE"] = "1"
    if cache or CACHE:
        out["SPECLOOM_CACHE_DIR"] = str(cache or CACHE[0])
    out.update(extra)
    return out


def run(
    args: list[str],
    cwd: Path,
    *,
    cache: Path | None = None,
    stdin: str | None = None,
    timeout: float = 120,
    **extra: str,
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` in ``cwd`` with :func:`env` (plus ``extra`` variables); never raises on a
    non-zero exit."""
    return subprocess.run(
        args,
        cwd=cwd,
        env=env(cache, **extra),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def specloom(*args: str | Path, cwd: Path, cache: Path | None = None, **extra: str):
    """``specloom ARGS`` in ``cwd``; the CompletedProcess (never raises on a non-zero exit)."""
    return run([tool("specloom"), *map(str, args)], cwd, cache=cache, **extra)


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """``proc`` after asserting it succeeded (its output is the assertion message)."""
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def copy_notes(dest: Path, *, impl: bool = True) -> Path:
    """A project folder with the notes example's specs (and hand-written impl/), not generated."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(NOTES / "specs", dest / "specs")
    if impl:
        shutil.copytree(NOTES / "impl", dest / "impl", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative POSIX path -> content); links are listed, not read."""
    out: dict[str, bytes] = {}
    if not root.exists():
        return out
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if path.is_symlink():
            out[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            out[rel] = path.read_bytes()
    return out


def stamps(root: Path) -> dict[str, tuple[int, int, str]]:
    """Every file under ``root`` -> (inode, mtime_ns, sha256): any rewrite shows, even of the
    same bytes (writes are atomic replaces, which change the inode)."""
    out = {}
    for rel, data in files(root).items():
        st = (root / rel).lstat()
        out[rel] = (st.st_ino, st.st_mtime_ns, hashlib.sha256(data).hexdigest())
    return out


def changed(before: dict[str, object], after: dict[str, object]) -> set[str]:
    """Paths added, removed or different between two ``files``/``stamps`` snapshots."""
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``path`` (fails loudly when it is not there)."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), "utf-8")


def write_tree(root: Path, tree: dict[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``root`` (copier's build_file_tree, in small)."""
    for rel, text in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


def pytest_generated(out: Path, *paths: str):
    """Run a generated system's own tests (``paths``, default all of ``out/tests``) as a user
    would, in a subprocess; failures and skips are listed with their reasons."""
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rfs", "-q"]
    return run([*cmd, *(paths or ["tests"])], out)


@dataclass(frozen=True)
class Generated:
    """A generated project: ``root`` holds specs/ and impl/, ``out`` the generated folder."""

    root: Path
    package: str
    summary: str  # the summary line of the first generate

    @property
    def out(self) -> Path:
        return self.root / "generated"

    @property
    def impl(self) -> Path:
        return self.root / "impl"


def generate_notes(root: Path, *, impl: bool = True) -> Generated:
    copy_notes(root, impl=impl)
    proc = ok(specloom("generate", "specs", cwd=root))
    return Generated(root, "notes", proc.stdout.strip())


def generate_flagship(root: Path) -> Generated:
    root.mkdir(parents=True, exist_ok=True)
    proc = specloom(
        "generate", FLAGSHIP_SPECS, "-o", root / "generated", "--impl-root", root, cwd=root
    )
    return Generated(root, "orchestra", ok(proc).stdout.strip())
