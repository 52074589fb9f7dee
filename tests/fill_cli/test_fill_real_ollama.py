"""``specloom fill`` against a real Ollama server: runs only when OLLAMA_HOST answers.

Set OLLAMA_HOST (and optionally SPECLOOM_TEST_MODEL, default: llm.model of the notes example) to
run it. A real model may or may not write a passing ``put``; either way the file is either filled
with code that passes the contract tests or left byte-identical, and the run ends cleanly.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from fill_cli_kit import MODEL, specloom_fill

from generator.fill.llm import normalize_host
from generator.fill.stubs import find_stubs

HOST = os.environ.get("OLLAMA_HOST", "")


def _answers(host: str) -> bool:
    if not host:
        return False
    try:
        return httpx.get(f"{normalize_host(host)}/api/version", timeout=1.0).status_code == 200
    except Exception:  # refused, timed out, not Ollama, invalid host: skip
        return False


pytestmark = pytest.mark.skipif(not _answers(HOST), reason="no Ollama server at OLLAMA_HOST")


def test_fill_put_with_a_real_model(project: Path) -> None:
    model = os.environ.get("SPECLOOM_TEST_MODEL", MODEL)
    before = (project / "impl" / "store.py").read_bytes()
    done = specloom_fill(
        project, "store", "--method", "put", "--model", model, "--timeout", "600", host=HOST
    )
    assert "Traceback" not in done.stderr
    after = (project / "impl" / "store.py").read_bytes()
    if done.returncode == 0:
        assert "store   put " in done.stdout and "1 filled" in done.stdout
        assert [s.name for s in find_stubs(after.decode())] == ["get", "delete", "keys"]
    else:
        assert done.returncode == 1
        assert after == before
        pulled = f"run `ollama pull {model}`" in done.stderr
        assert pulled or "store.put: " in done.stdout, done.stdout + done.stderr
