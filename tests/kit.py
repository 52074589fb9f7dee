"""The one test kit: run the real ``specloom`` (and any command) in a subprocess, build and read
file trees. Every folder's own kit (genkit, robustkit, clikit, fill_cli_kit, initkit) builds on
this module; ``tests/conftest.py`` puts ``tests/`` on ``sys.path`` so any test can import it.

Subprocesses get a clean environment: no inherited ``PYTHON*``/``SPECLOOM_*`` settings, no
bytecode, and the session's private cache (``SPECLOOM_CACHE_DIR``, one per pytest-xdist worker,
set by ``tests/conftest.py``), so parallel workers never share a cache or an output folder.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
NOTES = ROOT / "examples" / "notes"
FLAGSHIP_SPECS = ROOT / "specs"
BIN = Path(sys.executable).parent

CACHE: list[Path] = []  # the session's (worker's) private cache, set by tests/conftest.py


def tool(name: str) -> str:
    """A console script of the test environment (specloom, ruff, mypy), else the bare name."""
    path = BIN / name
    return str(path) if path.exists() else name


SPECLOOM = tool("specloom")


def env(cache: Path | None = None, **extra: str) -> dict[str, str]:
    """Environment of a subprocess: no bytecode, no inherited PYTHON*/SPECLOOM_* settings, a
    private cache (``cache``, else the session's), plus ``extra``."""
    out = {k: v for k, v in os.environ.items() if not k.startswith(("SPECLOOM_", "PYTHON"))}
    out["PYTHONDONTWRITEBYTECODE"] = "1"
    if cache or CACHE:
        out["SPECLOOM_CACHE_DIR"] = str(cache or CACHE[0])
    out.update(extra)
    return out


def run(
    args: list[str | Path] | list[str],
    cwd: Path | None = None,
    *,
    cache: Path | None = None,
    stdin: str | None = None,
    timeout: float = 180,
    environ: Mapping[str, str] | None = None,
    **extra: str,
) -> subprocess.CompletedProcess[str]:
    """Run ``args`` in ``cwd`` and capture text output; never raises on a non-zero exit.

    The environment is ``environ`` when given (as is), else :func:`env` with ``extra``."""
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=dict(environ) if environ is not None else env(cache, **extra),
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def specloom(
    *args: str | Path, cwd: Path | None = None, cache: Path | None = None, **extra: str
) -> subprocess.CompletedProcess[str]:
    """``specloom ARGS`` in ``cwd`` (never raises on a non-zero exit)."""
    return run([SPECLOOM, *args], cwd, cache=cache, **extra)


def ok(proc: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    """``proc`` after asserting it succeeded (its output is the assertion message)."""
    assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


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


def changed(before: Mapping[str, object], after: Mapping[str, object]) -> set[str]:
    """Paths added, removed or different between two ``files``/``stamps`` snapshots."""
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def edit(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``path`` (fails loudly when it is not there)."""
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), "utf-8")


def write_tree(root: Path, tree: Mapping[str, str]) -> Path:
    """Write ``{relative path: text}`` under ``root`` (copier's build_file_tree, in small)."""
    for rel, text in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root
