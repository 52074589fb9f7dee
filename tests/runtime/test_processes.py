"""Modules as processes on a real nats-server: ``run --transport nats`` (its own server),
``--nats URL`` commands from another process, kill -9 with requests in flight, restarts,
replicas, graceful stop, the command line's errors. The notes example (two modules) is copied
into a temporary project and run with ``python -m notes`` as a user would."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from specloom_runtime.natsserver import LocalNatsServer

NOTES = Path(__file__).resolve().parents[2] / "examples" / "notes"
WAIT = 60  # seconds a process gets to reach a state; never reached unless something is wrong


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SPECLOOM_", "PYTHON"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("notes-procs") / "notes"
    shutil.copytree(NOTES, root, ignore=shutil.ignore_patterns("__pycache__", ".specloom"))
    return root


def cli(project: Path, *args: str, timeout: float = WAIT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "notes", *args],
        cwd=project / "generated",
        env=_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class Running:
    """A ``python -m notes ...`` process in its own session, its output read from files."""

    def __init__(self, project: Path, *args: str) -> None:
        self.out = project / f"out-{time.monotonic_ns()}.log"
        self.err = self.out.with_suffix(".err")
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "notes", *args],
                cwd=project / "generated",
                env=_env(),
                stdout=out,
                stderr=err,
                start_new_session=True,
            )

    def text(self) -> str:
        return self.out.read_text(errors="replace") + self.err.read_text(errors="replace")

    def wait_for(self, pattern: str, count: int = 1) -> list[str]:
        end = time.monotonic() + WAIT
        while time.monotonic() < end:
            found = re.findall(pattern, self.text())
            if len(found) >= count:
                return found
            assert self.proc.poll() is None, self.text()
            time.sleep(0.05)
        raise AssertionError(f"no {pattern!r} x{count} in:\n{self.text()}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(WAIT)
            except subprocess.TimeoutExpired:
                pass
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        return self.proc.wait()

    def kill_group(self) -> None:
        """Whatever is left of this process and its children (test teardown)."""
        self.stop()
        for pid in re.findall(r"\(pid (\d+)\)", self.text()):
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.fixture(scope="module")
def system(project: Path) -> Iterator[tuple[Running, str]]:
    """``run --transport nats`` with its own nats-server; yields it and the URL it printed."""
    run = Running(project, "run", "--transport", "nats", "--drain-seconds", "2")
    try:
        run.wait_for(r"all 2 processes ready")
        (url,) = re.findall(r"--nats (nats://\S+) health", run.text())
        yield run, url
    finally:
        run.kill_group()


CALLER = r"""
import asyncio, json, sys
from notes.system import CLIENTS, MODULES
from specloom_runtime import System, connect, SpecloomError

async def main(url, n, timeout_ms):
    system = System(MODULES, clients=CLIENTS, bus=connect(url, system="notes"), only=[])
    await system.start()
    client = system.client("KeyValue@1", timeout_ms=timeout_ms)
    async def one(i):
        try:
            await client.put(f"k:{i}", {"i": i})
            return "ok"
        except SpecloomError as exc:
            return exc.code
    results = await asyncio.gather(*(one(i) for i in range(n)))
    await system.stop()
    print(json.dumps(results))

asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
"""


def test_health_and_call_from_another_process(project: Path, system: tuple[Running, str]) -> None:
    _, url = system
    health = cli(project, "--nats", url, "health")
    assert health.returncode == 0, health.stderr
    rows = [line.split() for line in health.stdout.splitlines()[1:]]
    assert [r[0] for r in rows] == ["store", "notes"]
    assert all(r[3] == "nats" and r[4] == "1" and r[-1] == "ok" for r in rows), health.stdout
    created = cli(project, "--nats", url, "call", "Notes@1.create_note", '{"title": "t"}')
    assert created.returncode == 0, created.stderr
    note = json.loads(created.stdout)
    read = cli(
        project, "--nats", url, "call", "Notes@1.get_note", json.dumps({"note_id": note["id"]})
    )
    assert read.returncode == 0 and json.loads(read.stdout)["title"] == "t", read.stderr


def test_kill_9_with_requests_in_flight_then_the_module_comes_back(
    project: Path, system: tuple[Running, str]
) -> None:
    run, url = system
    health = cli(project, "--nats", url, "health").stdout
    store_pid = int(re.search(r"^store\s.*?:(\d+)\s", health, re.M).group(1))  # type: ignore[union-attr]
    restarts_before = len(re.findall(r"store: ready", run.text()))
    caller = subprocess.Popen(
        [sys.executable, "-c", CALLER, url, "400", "3000"],
        cwd=project / "generated",
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(0.3)  # let requests get in flight
        os.kill(store_pid, signal.SIGKILL)
        out, err = caller.communicate(timeout=WAIT)
    finally:
        if caller.poll() is None:
            caller.kill()
            caller.wait()
    results = json.loads(out)
    assert len(results) == 400, err  # every caller got exactly one outcome, none hung
    assert set(results) <= {"ok", "timeout", "service_unavailable"}, set(results)
    run.wait_for(r"store: exited \(pid \d+\): exit code -9")
    run.wait_for(r"store: ready", restarts_before + 1)
    after = cli(project, "--nats", url, "call", "KeyValue@1.put", '{"key": "a:1", "value": {}}')
    assert after.returncode == 0, after.stderr


def test_three_replicas_share_the_load(project: Path, system: tuple[Running, str]) -> None:
    _, url = system
    replicas = Running(project, "--nats", url, "serve", "store", "--replicas", "3")
    try:
        replicas.wait_for(r"all 3 processes ready")
        health = cli(project, "--nats", url, "health").stdout
        assert re.search(r"^store\s+\S+\s+\S+\s+nats\s+4\s", health, re.M), health
        # STATS of each store process: every one of the four served a share of 200 requests
        stats = subprocess.run(
            [sys.executable, "-c", CALLER, url, "200", "5000"],
            cwd=project / "generated", env=_env(), capture_output=True, text=True, timeout=WAIT,
        )  # fmt: skip
        assert json.loads(stats.stdout) == ["ok"] * 200, stats.stderr
        counts = _requests_per_process(url)
        assert len(counts) == 4 and all(c > 0 for c in counts), counts
    finally:
        replicas.kill_group()


def _requests_per_process(url: str) -> list[int]:
    script = r"""
import asyncio, json, sys
import nats
async def main():
    nc = await nats.connect(sys.argv[1])
    inbox = nc.new_inbox(); got = []
    async def cb(msg): got.append(json.loads(msg.data))
    await nc.subscribe(inbox, cb=cb)
    await nc.publish("$SRV.STATS", b"", reply=inbox); await nc.flush()
    await asyncio.sleep(0.5); await nc.close()
    print(json.dumps([sum(e["num_requests"] for e in s["endpoints"]
                          if e["name"] == "KeyValue_v1_put")
                      for s in got if s["name"] == "notes-agent-01-store"]))
asyncio.run(main())
"""
    done = subprocess.run(
        [sys.executable, "-c", script, url], capture_output=True, text=True, timeout=WAIT
    )
    return list(json.loads(done.stdout))


def test_sigterm_stops_everything_with_exit_code_0(project: Path) -> None:
    run = Running(project, "run", "--transport", "nats", "--drain-seconds", "1")
    try:
        run.wait_for(r"all 2 processes ready")
        pids = [int(p) for p in re.findall(r"ready \(pid (\d+)\)", run.text())]
        assert run.stop() == 0, run.text()
        assert len(re.findall(r": stopped \(pid", run.text())) == 2
        for pid in pids:
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
    finally:
        run.kill_group()


def _metric_rows(out: str) -> dict[str, list[str]]:
    rows = (line.split() for line in out.splitlines())
    return {r[0]: r for r in rows if r[:1] in (["store"], ["notes"])}


def test_metrics_over_nats_measure_the_running_system(project: Path) -> None:
    run = Running(project, "run", "--transport", "nats", "--drain-seconds", "1")
    try:
        run.wait_for(r"all 2 processes ready")
        (url,) = re.findall(r"--nats (nats://\S+) health", run.text())
        first = cli(project, "--nats", url, "metrics", "--strict")
        assert first.returncode == 0, first.stdout + first.stderr
        assert "measured over NATS" in first.stdout, first.stdout
        rows = _metric_rows(first.stdout)
        # module, processes, mode, implemented, live examples, edges served, docs, requests
        assert rows["store"][:8] == ["store", "1", "impl", "yes", "2/2", "0/0", "yes", "0"], rows
        assert rows["notes"][:8] == ["notes", "1", "impl", "yes", "2/2", "1/1", "yes", "0"], rows
        # The replays ran in the live processes: the store kept their records (an example that
        # assumes a fresh store fails now) and $SRV.STATS counted the first run's requests.
        second = cli(project, "--nats", url, "metrics")
        assert second.returncode == 0, second.stderr
        rows = _metric_rows(second.stdout)
        assert rows["store"][4] == "1/2" and int(rows["store"][7]) > 0, second.stdout
        assert rows["notes"][4] == "1/2" and int(rows["notes"][7]) > 0, second.stdout
        assert "FAIL store: KeyValue@1 'put then get returns the value'" in second.stderr
        strict = cli(project, "--nats", url, "metrics", "--strict")
        assert strict.returncode == 1, strict.stdout
    finally:
        run.kill_group()


def test_health_of_a_system_nobody_serves_is_down(project: Path, tmp_path: Path) -> None:
    with LocalNatsServer(data_dir=tmp_path / "nats") as server:
        url = f"nats://{server.token}@127.0.0.1:{server.port}"
        health = cli(project, "--nats", url, "health")
        assert health.returncode == 1
        assert health.stdout.count("down") == 2, health.stdout
        metrics = cli(project, "--nats", url, "metrics")
        assert metrics.returncode == 0, metrics.stderr
        rows = _metric_rows(metrics.stdout)
        assert rows["store"][:5] == ["store", "0", "-", "down", "0/2"], metrics.stdout
        assert rows["notes"][5] == "0/1" and "service_unavailable" in metrics.stderr
        call = cli(project, "--nats", url, "call", "KeyValue@1.get", '{"key": "a"}')
        assert call.returncode == 1 and "service_unavailable" in call.stderr, call.stderr


def test_command_line_errors_are_one_line(project: Path) -> None:
    deep = '{"key": "a", "value": ' + "[" * 1500 + "]" * 1500 + "}"
    for args, code, message in [
        (("call", "KeyValue@1.put", deep), 2, "nested too deeply"),
        (("--nats", "nats://127.0.0.1:1", "serve", "nope"), 2, "no module 'nope'"),
        (("serve", "store"), 2, "serve needs --nats"),
        (("--nats", "nats://127.0.0.1:1", "call", "KeyValue@1.get", "{}"), 1, "cannot connect"),
    ]:
        done = cli(project, *args)
        assert done.returncode == code, (args, done.stderr)
        assert message in done.stderr and "Traceback" not in done.stderr, done.stderr
