"""``specloom generate --watch`` as a user runs it: a real process on a copy of the notes example.
An edit of a spec file regenerates (one summary line naming the file); a bad edit prints its
located error and the watch goes on; the fix regenerates again; SIGINT stops it with exit 0."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from kit import NOTES, SPECLOOM, env

KV = "specs/contracts/key_value.v1.yaml"


def save(path: Path, text: str) -> None:
    """Save as editors do: a temporary file renamed over the old one (one change event)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, "utf-8")
    os.replace(tmp, path)


class Lines:
    """The lines a process writes to one stream, readable with a hang guard."""

    def __init__(self, stream: object) -> None:
        self.q: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, args=(stream,), daemon=True).start()

    def _pump(self, stream) -> None:  # type: ignore[no-untyped-def]
        for line in stream:
            self.q.put(line)

    def until(self, text: str, guard: float = 120) -> str:
        """The first new line containing ``text`` (fails, listing the lines seen, on a hang)."""
        while True:
            try:
                line = self.q.get(timeout=guard)
            except queue.Empty:
                raise AssertionError(f"{text!r} never came; lines: {self.seen}") from None
            self.seen.append(line)
            if text in line:
                return line


@pytest.fixture
def watching(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], Lines, Lines, Path]]:
    import shutil

    project = tmp_path / "notes"
    shutil.copytree(NOTES / "specs", project / "specs")
    shutil.copytree(NOTES / "impl", project / "impl", ignore=shutil.ignore_patterns("__pycache__"))
    proc = subprocess.Popen(
        [SPECLOOM, "generate", "specs", "--watch"],
        cwd=project,
        env=env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield proc, Lines(proc.stdout), Lines(proc.stderr), project
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)


def test_watch_regenerates_survives_a_bad_edit_and_stops_on_sigint(watching) -> None:  # type: ignore[no-untyped-def]
    proc, out, err, project = watching
    first = out.until("written")
    assert "generated:" in first and " removed" in first
    err.until("watching specs")

    spec = project / KV
    text = spec.read_text("utf-8")
    assert "summary: Store a value under a key;" in text
    save(spec, text.replace("summary: Store a value", "summary: Keep a value"))
    line = out.until("changed;")
    assert KV in line and "written" in line
    contract = project / "generated" / "notes" / "contracts" / "key_value_v1.py"
    assert "Keep a value under a key;" in contract.read_text("utf-8")

    save(spec, "contract: [unclosed\n")  # not YAML any more
    bad = err.until("error:")
    located = "\n".join(err.seen)
    assert f"{KV}:" in located, located  # the diagnostic names the file (and line)
    assert proc.poll() is None, "the watch stopped after a bad edit"
    assert "changed;" in bad

    save(spec, text)  # fixed: the original again
    again = out.until("changed;")
    assert "written" in again
    assert "Store a value under a key;" in contract.read_text("utf-8")

    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 0
    err.until("stopped watching")


def _on_a_terminal(project: Path, *args: str) -> str:
    """What ``specloom generate specs ARGS`` shows on a terminal (a pty), progress at once."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [SPECLOOM, "generate", "specs", *args],
        cwd=project,
        env=env(SPECLOOM_PROGRESS_AFTER="0"),
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks = []
    try:
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the process closed the terminal
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(leader)
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == 0, b"".join(chunks)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_on_a_terminal_and_one_line_with_quiet(tmp_path: Path) -> None:
    import shutil

    for name in ("shown", "quiet"):
        shutil.copytree(NOTES / "specs", tmp_path / name / "specs")
    shown = _on_a_terminal(tmp_path / "shown")
    assert re.search(r"\r[|/\\-] (starting|validating|rendering|writing) \.\.\. \d+\.\ds", shown), (
        shown
    )
    assert shown.rstrip().splitlines()[-1].startswith("generated: ")
    quiet = _on_a_terminal(tmp_path / "quiet", "--quiet")
    assert "..." not in quiet and "\r" not in quiet.replace("\r\n", "\n"), quiet
    assert quiet.strip().startswith("generated: ") and len(quiet.strip().splitlines()) == 1
