"""``generate -o`` never writes into its inputs: the spec folder, the implementation package or
the user templates (nor may those lie inside the output folder)."""

from __future__ import annotations

from pathlib import Path

import pytest
from genkit import copy_notes, files, specloom


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "specs/contracts"], "is inside the spec folder specs"),
        (["-o", "specs"], "would contain the specs"),
        (["-o", "impl"], "is inside the implementation package impl"),
        (["-o", "impl/generated"], "is inside the implementation package impl"),
        (["--impl-root", "generated"], "is inside the implementation package generated/impl"),
        (["-o", "templates/out", "--templates", "templates"], "is inside the templates folder"),
        (["-o", "out", "--templates", "out/templates"], "is inside the templates folder"),
    ],
    ids=[
        "spec-subfolder",
        "spec-folder",
        "impl",
        "impl-subfolder",
        "impl-root-in-output",
        "in-templates",
        "templates-in-output",
    ],  # fmt: skip
)
def test_output_inside_an_input_is_refused_and_nothing_is_written(
    tmp_path: Path, args: list[str], message: str
) -> None:
    project = copy_notes(tmp_path / "project")
    for folder in ("templates", "out/templates"):
        (project / folder).mkdir(parents=True, exist_ok=True)
    before = files(project)
    proc = specloom("generate", "specs", *args, cwd=project)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the output folder "), proc.stderr
    assert message in lines[0]
    assert "Traceback" not in proc.stderr
    assert files(project) == before
