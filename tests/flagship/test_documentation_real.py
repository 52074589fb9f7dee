"""Module 10 for real: the generated docs are served, from any working directory."""

from __future__ import annotations

import json
from pathlib import Path

from .flagkit import ROOT, run_worker, worker_env


def test_the_generated_docs_are_served_wherever_the_process_starts(tmp_path: Path) -> None:
    env = worker_env(SPECLOOM_DATA_DIR=str(tmp_path / "data"))
    brief = "modules/02-database/AGENT-BRIEF.md"
    listing, document, html = run_worker(
        env,
        "documentation",
        "Documentation@1",
        "list_documents",
        json.dumps({"section": "module"}),
        "get_document",
        json.dumps({"path": brief}),
        "render",
        json.dumps({"path": "README.md", "format": "html"}),
        cwd=tmp_path,
    )
    paths = {d["path"] for d in listing}
    generated = ROOT / "generated" / "docs"
    expected = {p.relative_to(generated).as_posix() for p in (generated / "modules").rglob("*.md")}
    assert paths == expected and brief in paths
    assert document["content"] == (generated / brief).read_text("utf-8")
    assert html.lstrip().startswith("<h1>")
