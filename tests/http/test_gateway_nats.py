"""``gateway --nats URL``: the gateway hosts no module and forwards every call over a real
nats-server to the ``serve`` processes (the same routes, auth and problem bodies as in-process)."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from httpkit import SYSTEMS, serve, token
from specloom_runtime.natsserver import LocalNatsServer


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
                status, _, problem = gateway.request(
                    "GET", "/api/notes/v1/notes/no-such-note", headers=h
                )
                assert status == 404 and problem["code"] == "NoteNotFound", problem
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
