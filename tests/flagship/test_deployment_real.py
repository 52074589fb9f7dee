"""Module 11 for real: the deployment history survives a restart, so rollback works across
restarts; each deployment is a service of the real infrastructure module."""

from __future__ import annotations

import json
from pathlib import Path

from .flagkit import run_worker, worker_env


def test_rollback_after_a_restart(tmp_path: Path) -> None:
    env = worker_env(
        SPECLOOM_DATA_DIR=str(tmp_path / "data"), ORCHESTRA_DEPLOYMENT_REQUIRE_TESTS="false"
    )
    first = run_worker(
        env,
        "deployment",
        "Deployment@1",
        "deploy",
        json.dumps({"version": "1.0.0", "environment": "staging"}),
        "deploy",
        json.dumps({"version": "1.1.0", "environment": "staging"}),
    )
    assert [d["version"] for d in first] == ["1.0.0", "1.1.0"]
    back, status = run_worker(
        env,
        "deployment",
        "Deployment@1",
        "rollback",
        json.dumps({"environment": "staging"}),
        "get_deployment_status",
        json.dumps({"environment": "staging"}),
    )
    assert (back["version"], back["rollback_of"]) == ("1.0.0", first[1]["id"])
    assert status == back
    saved = json.loads((tmp_path / "data" / "deployment" / "history.json").read_text())
    assert saved["current"] == {"staging": back["id"]}
    statuses = {row["id"]: row["status"] for row in saved["history"]}
    assert statuses[first[1]["id"]] == "rolled_back"
