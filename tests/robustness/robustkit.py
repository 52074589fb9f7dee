"""Helpers of the robustness tests: real ``specloom`` processes that can be paused mid-write.

``SPECLOOM_TEST_PAUSE=N:DIR`` makes a process stop at its N-th atomic write (the temporary file
written, the target not yet replaced), create ``DIR/paused`` and wait for ``DIR/resume``: a test
can then kill it, interrupt it or let it go on, at a point it chose.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: kit

from kit import BIN, CACHE, NOTES, ROOT, SPECLOOM, env, ok, specloom  # noqa: E402,F401

KV = "specs/contracts/key_value.v1.yaml"
TEMPORARY_SUFFIX = ".tmp"

# A new method with an example: contract, mock, tests and docs change, and impl/store.py gets a
# stub appended (a scaffold write).
NEW_METHOD = """  count:
    summary: How many keys are stored.
    params: {}
    returns: {type: integer, minimum: 0}
"""
NEW_EXAMPLE = """  - name: count is zero at first
    steps:
      - {call: count, with: {}, returns: 0}
"""


def notes_project(dest: Path) -> Path:
    """A project with the notes example's specs and hand-written impl/, not generated yet."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(NOTES / "specs", dest / "specs")
    shutil.copytree(NOTES / "impl", dest / "impl", ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def add_method(project: Path) -> None:
    """Version 2 of the specs: KeyValue@1 gains ``count`` and an example calling it."""
    path = project / KV
    text = path.read_text("utf-8")
    assert "\nerrors:" in text and "\nexamples:\n" in text
    text = text.replace("\nerrors:", "\n" + NEW_METHOD.rstrip("\n") + "\nerrors:", 1)
    text = text.replace("\nexamples:\n", "\nexamples:\n" + NEW_EXAMPLE, 1)
    path.write_text(text, "utf-8")


def tree(root: Path, *, skip_state: bool = True) -> dict[str, bytes]:
    """Every file below ``root`` (relative POSIX path -> bytes), without ``.specloom/`` state."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if skip_state and rel.startswith(".specloom/"):
            continue
        if "__pycache__" in p.parts or not p.is_file():
            continue
        out[rel] = p.read_bytes()
    return out


def temporaries(*roots: Path) -> list[str]:
    """Leftover ``.<name>.<pid>.tmp`` files of an interrupted write."""
    return [
        str(p)
        for root in roots
        if root.exists()
        for p in root.rglob(f".*{TEMPORARY_SUFFIX}")
        if p.name.startswith(".")
    ]


@dataclass
class Paused:
    """A ``specloom generate`` stopped at its N-th atomic write."""

    proc: subprocess.Popen[str]
    flag: Path

    def resume(self) -> tuple[int, str, str]:
        (self.flag / "resume").touch()
        out, err = self.proc.communicate(timeout=180)
        return self.proc.returncode, out, err


def start_paused(project: Path, n: int, flag: Path, *args: str, **extra: str) -> Paused:
    """Start ``specloom generate specs ARGS`` in ``project``; return when it paused at write n."""
    flag.mkdir(parents=True)
    proc = subprocess.Popen(
        [SPECLOOM, "generate", "specs", *args],
        cwd=project,
        env=env(SPECLOOM_TEST_PAUSE=f"{n}:{flag}", **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120  # a guard against a hang, not a speed assertion
    while not (flag / "paused").exists():
        if proc.poll() is not None:
            out, err = proc.communicate()
            raise AssertionError(f"finished before write {n} (exit {proc.returncode})\n{out}{err}")
        if time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"never reached write {n}")
        time.sleep(0.01)
    return Paused(proc, flag)


def wait_for_text(path: Path, text: str, proc: subprocess.Popen[str]) -> None:
    """Wait until the file ``path`` (a process's stderr) contains ``text``."""
    deadline = time.monotonic() + 120
    while text not in path.read_text("utf-8", "replace"):
        if proc.poll() is not None:
            raise AssertionError(f"exited {proc.returncode}: {path.read_text()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{text!r} never appeared in {path.read_text()!r}")
        time.sleep(0.01)
