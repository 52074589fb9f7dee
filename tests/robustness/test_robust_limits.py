"""Hostile spec files are rejected with one clear line each, in a process whose address space is
capped (``RLIMIT_AS``) and under a hang guard: a 10 MB file, 10,000 levels of nesting (flow
sequences, flow mappings, block sequences), a YAML billion-laughs alias bomb, and a file under the
size limit holding a million nodes."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

import pytest
from robustkit import SPECLOOM, env

MEMORY_CAP = 1 << 30  # bytes of address space for the whole specloom process
SYSTEM = "specloom: 1\nsystem: {name: hostile, title: Hostile, version: 1.0.0}\n"


def _laughs(levels: int = 10) -> str:
    lines = ['  lol0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        lines.append(f"  lol{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return "types:\n" + "\n".join(lines) + "\n"


DEEP = 10_000
CASES = {
    "10MB": ("types: {x: '" + "a" * 10_000_000 + "'}\n", "E_FILE_TOO_BIG"),
    "deep-flow-sequences": ("types: " + "[" * DEEP + "]" * DEEP + "\n", "E_YAML_TOO_DEEP"),
    "deep-flow-mappings": ("types: " + "{a: " * DEEP + "1" + "}" * DEEP + "\n", "E_YAML_TOO_DEEP"),
    "deep-block-sequences": ("types:\n  " + "- " * DEEP + "x\n", "E_YAML_TOO_DEEP"),
    "billion-laughs": (_laughs(), "E_YAML_TOO_BIG"),
    # Under the size limit, but a million nodes: stopped while streaming, before composing.
    "flat-million-items": ("types: [" + ",".join(["1"] * 1_000_000) + "]\n", "E_YAML_TOO_BIG"),
}


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [SPECLOOM, *args],
        cwd=project,
        env=env(),
        capture_output=True,
        text=True,
        timeout=120,  # a hang guard, not a speed assertion
        preexec_fn=_capped,
        check=False,
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    projects = {}
    for name, (text, _) in CASES.items():
        project = tmp_path_factory.mktemp(name)
        (project / "specs").mkdir()
        (project / "specs" / "system.yaml").write_text(SYSTEM)
        (project / "specs" / "hostile.yaml").write_text(text)
        projects[name] = project
    return projects


@pytest.mark.parametrize("name", list(CASES))
def test_validate_rejects_it_with_one_clear_line(hostile: dict[str, Path], name: str) -> None:
    proc = _run(hostile[name], "validate", "specs")
    assert proc.returncode == 1, proc.stderr[-3000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("specs/hostile.yaml")
    assert f"error[{CASES[name][1]}]" in lines[0]
    assert len(lines[0]) < 300


@pytest.mark.parametrize("name", ["10MB", "deep-flow-mappings", "billion-laughs"])
def test_generate_rejects_it_and_writes_nothing(hostile: dict[str, Path], name: str) -> None:
    proc = _run(hostile[name], "generate", "specs")
    assert proc.returncode == 1, proc.stderr[-3000:]
    assert f"error[{CASES[name][1]}]" in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("error: the specs have errors")
    assert "Traceback" not in proc.stderr
    assert not (hostile[name] / "generated").exists()


def test_the_cap_is_real(tmp_path: Path) -> None:
    """The same cap kills a process that does allocate: the tests above would notice a blow-up."""
    proc = subprocess.run(
        [sys.executable, "-c", "x = bytearray(2 << 30)"],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_capped,
        check=False,
    )
    assert proc.returncode != 0 and "MemoryError" in proc.stderr
