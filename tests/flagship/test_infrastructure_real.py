"""Module 01 for real: the registry survives a restart, volumes are folders, services get real
local ports and an honest status (ready only while something listens)."""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Any

import pytest

from .flagkit import ROOT, run_worker, worker_env

sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]


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


def test_kv_and_stream_volumes_live_in_jetstream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    import nats
    from orchestra.contracts.infrastructure_v1 import ProvisioningFailed
    from orchestra.system import CLIENTS, MODULES
    from specloom_runtime import System
    from specloom_runtime.natsserver import LocalNatsServer

    others = [d.name for d in MODULES if d.name != "infrastructure"]
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))

    async def provision_all(url: str) -> tuple[Any, ...]:
        async with System(MODULES, clients=CLIENTS, force_mock=others) as system:
            infra = system.client("Infrastructure@1", source_agent="test")
            kv = await infra.provision(
                kind="volume", name="cache", spec={"size_mb": 1, "store": "kv"}
            )
            stream = await infra.provision(
                kind="volume", name="audit", spec={"size_mb": 2, "store": "stream"}
            )
            nc = await nats.connect(url)
            try:
                js = nc.jetstream()
                bucket = await js.key_value("cache")
                await bucket.put("k", b"v")
                kept = (await bucket.get("k")).value
                await js.publish("orchestra.audit.x", b"event")
                info = await js.stream_info("audit")
                health = await infra.get_health()
                released = await infra.release(name="cache"), await infra.release(name="audit")
                names = [s.config.name for s in await js.streams_info()]
            finally:
                await nc.close()
            return kv, stream, kept, info, health, released, names

    with LocalNatsServer(data_dir=tmp_path / "nats") as server:
        url = f"nats://{server.token}@127.0.0.1:{server.port}"
        monkeypatch.setenv("ORCHESTRA_INFRASTRUCTURE_NATS_URL", url)
        kv, stream, kept, info, health, released, names = asyncio.run(provision_all(url))
    public = f"nats://127.0.0.1:{server.port}"
    assert (kv.status, kv.endpoint) == ("ready", f"{public}/kv/cache")
    assert (stream.status, stream.endpoint) == ("ready", f"{public}/stream/audit")
    assert server.token not in kv.endpoint + stream.endpoint
    assert kept == b"v" and info.state.messages == 1
    assert info.config.max_bytes == 2 * 1024 * 1024
    assert health.components["cache"].root == "healthy" == health.components["audit"].root
    assert released == (True, True) and "audit" not in names and "KV_cache" not in names

    monkeypatch.delenv("ORCHESTRA_INFRASTRUCTURE_NATS_URL")
    monkeypatch.delenv("SPECLOOM_NATS_URL", raising=False)

    async def without_server() -> None:
        async with System(MODULES, clients=CLIENTS, force_mock=others) as system:
            infra = system.client("Infrastructure@1", source_agent="test")
            with pytest.raises(ProvisioningFailed, match="needs a NATS server"):
                await infra.provision(kind="volume", name="x", spec={"size_mb": 1, "store": "kv"})

    asyncio.run(without_server())
