"""``gateway --nats URL``: the gateway hosts no module and forwards every call over a real
nats-server to the ``serve`` processes (the same routes, auth and problem bodies as in-process)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from httpkit import SYSTEMS, serve, token
from specloom_runtime.natsserver import LocalNatsServer
from websockets.sync.client import connect


def _wait_healthy(url: str, env: dict[str, str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        done = subprocess.run(
            [sys.executable, "-m", "notes", "--nats", url, "health"],
            cwd=SYSTEMS["notes"], env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        if done.returncode == 0:
            return
        assert time.monotonic() < deadline, done.stdout + done.stderr
        time.sleep(0.2)


def test_the_gateway_forwards_over_nats(notes_env: dict[str, str], tmp_path: Path) -> None:
    with LocalNatsServer(data_dir=tmp_path / "nats") as server:
        url = f"nats://{server.token}@127.0.0.1:{server.port}"
        logs = [(tmp_path / f"serve-{m}.log").open("w") for m in ("store", "notes")]
        services = [
            subprocess.Popen(
                [sys.executable, "-m", "notes", "--nats", url, "serve", module],
                cwd=SYSTEMS["notes"],
                env=notes_env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
            for module, log in zip(("store", "notes"), logs, strict=True)
        ]
        try:
            _wait_healthy(url, notes_env)
            with serve("notes", ["gateway", "--nats", url], notes_env, tmp_path) as gateway:
                h = {"authorization": "Bearer " + token("notes", notes_env)}
                status, _, note = gateway.request(
                    "POST", "/api/notes/v1/create_note", {"title": "Over NATS"}, headers=h
                )
                assert status == 200, note
                status, _, got = gateway.request(
                    "GET", f"/api/notes/v1/notes/{note['id']}", headers=h
                )
                assert (status, got) == (200, note)
                ws_url = gateway.url.replace("http://", "ws://") + "/ws/events?all=1"
                with connect(ws_url, additional_headers=h, open_timeout=10) as ws:
                    status, _, problem = gateway.request(
                        "GET", "/api/notes/v1/notes/no-such-note", headers=h
                    )
                    assert status == 404 and problem["code"] == "NoteNotFound", problem
                    # the correlation id is the one of the envelope that went over NATS
                    cid = problem["correlation_id"]
                    assert cid != problem["request_id"]
                    seen: list[dict[str, Any]] = []
                    mine = [("request", "gateway"), ("error", "agent-02-notes")]
                    while len(seen) < 2:
                        envelope = json.loads(ws.recv(timeout=10))
                        if envelope["correlation_id"] == cid:
                            seen.append(envelope)
                    assert [(e["message_type"], e["source_agent"]) for e in seen] == mine
                    assert seen[1]["payload"]["data"]["code"] == "NoteNotFound"
                # the note lives in the store process, not in the gateway: stop the store and
                # the gateway answers 503 (no responder), never a hang
                services[0].terminate()
                services[0].wait(timeout=30)
                status, _, problem = gateway.request(
                    "GET", f"/api/notes/v1/notes/{note['id']}", headers=h
                )
                assert status in (503, 504), problem
        finally:
            for process in services:
                if process.poll() is None:
                    process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            for log in logs:
                log.close()
