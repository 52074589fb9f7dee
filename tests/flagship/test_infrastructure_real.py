"""Module 01 for real: the registry survives a restart, volumes are folders, services get real
local ports and an honest status (ready only while something listens)."""

from __future__ import annotations

import json
import socket
from pathlib import Path

from .flagkit import run_worker, worker_env


def test_resources_survive_a_restart_and_service_status_is_observed(tmp_path: Path) -> None:
    env = worker_env(SPECLOOM_DATA_DIR=str(tmp_path / "data"))
    volume = {"kind": "volume", "name": "store", "spec": {"size_mb": 8}}
    service = {"kind": "service", "name": "web", "spec": {"image": "x:1"}}
    made_volume, made_service = run_worker(
        env,
        "infrastructure",
        "Infrastructure@1",
        "provision",
        json.dumps(volume),
        "provision",
        json.dumps(service),
    )
    folder = Path(made_volume["endpoint"])
    assert folder == tmp_path / "data" / "volumes" / "store" and folder.is_dir()
    host, port = made_service["endpoint"].rsplit(":", 1)
    assert host == "127.0.0.1" and made_service["spec"]["ports"] == [int(port)]
    assert made_service["status"] == "provisioning"  # nothing listens there yet
    (folder / "kept.txt").write_text("data")
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", int(port)))
        listener.listen()
        web, health = run_worker(
            env,
            "infrastructure",
            "Infrastructure@1",
            "get_resource",
            '{"name": "web"}',
            "get_health",
            "{}",
        )
    assert web["status"] == "ready" and health["components"]["web"] == "healthy"
    store, released, again = run_worker(
        env,
        "infrastructure",
        "Infrastructure@1",
        "get_resource",
        '{"name": "store"}',
        "release",
        '{"name": "store"}',
        "get_resource",
        '{"name": "store"}',
    )
    assert store["endpoint"] == str(folder) and released is True and again is None
    assert not folder.exists()
    [web] = run_worker(env, "infrastructure", "Infrastructure@1", "get_resource", '{"name": "web"}')
    assert web["status"] == "provisioning"
