"""schemathesis (all its default checks, every phase) against the live gateway: zero failures.

The flagship (twelve modules) and the notes example, each in a real ``python -m <pkg> gateway``
subprocess, with a bearer token; examples are bounded so the run stays short, the seed fixed so
a failure can be replayed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from httpkit import env_for, serve, token

SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


@pytest.mark.parametrize(("package", "examples"), [("notes", 25), ("orchestra", 8)])
def test_schemathesis_finds_nothing(package: str, examples: int, tmp_path: Path) -> None:
    env = env_for(package, tmp_path / "data")
    with serve(package, ["gateway"], env, tmp_path) as gw:
        tok = token(package, env)
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                f"{gw.url}/openapi.json",
                "--header",
                f"Authorization: Bearer {tok}",
                "--max-examples",
                str(examples),
                "--seed",
                "1",
                "--no-color",
            ],
            capture_output=True,
            text=True,
            timeout=400,
            check=False,
            cwd=tmp_path,
        )
    summary = run.stdout[-3000:]
    assert run.returncode == 0, summary + run.stderr[-2000:]
    assert "No issues found" in run.stdout or " passed" in run.stdout, summary
