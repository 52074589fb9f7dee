"""Helpers of the ``specloom fill`` end-to-end tests: run specloom and commands in a project.

A module of its own (not conftest.py): test modules import it by a name no other test folder uses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))  # kit

import kit  # noqa: E402

REPO = TESTS.parent
MODEL = "qwen2.5-coder:7b"  # llm.model of examples/notes/specs/system.yaml
_SCRIPT = Path(sys.executable).with_name("specloom")
SPECLOOM = (
    [str(_SCRIPT)]
    if _SCRIPT.is_file()
    else [sys.executable, "-c", "from generator.cli import main; main()"]
)


def run(
    command: list[str], cwd: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run a command; its output as text (never raises on a non-zero exit). ``env`` is the
    whole environment (default: the kit's clean one)."""
    return kit.run(command, cwd, environ=env, timeout=timeout)


def specloom_fill(
    project: Path, *args: str, host: str | None, extra_env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``specloom fill ARGS`` in ``project``, with OLLAMA_HOST set to ``host`` (unset if None)."""
    env = {k: v for k, v in os.environ.items() if k not in ("OLLAMA_HOST", "SPECLOOM_DEBUG")}
    if host is not None:
        env["OLLAMA_HOST"] = host
    env.update(extra_env or {})
    return run([*SPECLOOM, "fill", *args], project, env)
