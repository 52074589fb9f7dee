"""Two real ``specloom generate`` processes on the same output: the second waits for the first's
lock (saying so on stderr), or fails with one clear line when the wait is too long."""

from __future__ import annotations

import subprocess
from pathlib import Path

from robustkit import SPECLOOM, add_method, env, ok, specloom, start_paused, tree, wait_for_text


def test_a_second_generate_fails_clearly_when_the_lock_is_held_too_long(
    versions, tmp_path: Path
) -> None:
    project = versions.copy(tmp_path / "project")
    add_method(project)
    first = start_paused(project, 3, tmp_path / "flag")
    try:
        second = specloom("generate", "specs", cwd=project, SPECLOOM_LOCK_TIMEOUT="0.5")
    finally:
        code, _, err = first.resume()
    assert second.returncode == 1
    lines = second.stderr.strip().splitlines()
    assert lines[-1].startswith("error: another specloom is writing ")
    assert "waiting up to" in lines[0]
    assert "Traceback" not in second.stderr
    assert code == 0, err
    ok(specloom("check", "specs", cwd=project))


def test_a_second_generate_waits_for_the_first_then_finds_nothing_to_do(
    versions, tmp_path: Path
) -> None:
    project = versions.copy(tmp_path / "project")
    add_method(project)
    first = start_paused(project, 3, tmp_path / "flag")  # holds the lock, mid-write
    log = tmp_path / "second.err"
    with log.open("w") as err:
        second = subprocess.Popen(
            [SPECLOOM, "generate", "specs"],
            cwd=project,
            env=env(),
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        try:
            wait_for_text(log, "another specloom is writing", second)  # it is at the lock
        finally:
            code, out, first_err = first.resume()
        second_out, _ = second.communicate(timeout=180)
    assert code == 0, first_err
    assert second.returncode == 0, log.read_text()
    assert "generated: 0 written" in second_out  # it planned under the lock, after the first
    generated = {k: v for k, v in versions.new.items() if k.startswith("generated/")}
    assert {f"generated/{k}": v for k, v in tree(project / "generated").items()} == generated
    ok(specloom("check", "specs", cwd=project))


def test_check_does_not_take_the_lock(versions, tmp_path: Path) -> None:
    """``check`` writes nothing, so a paused generate does not block it: it sees the mix."""
    project = versions.copy(tmp_path / "project")
    add_method(project)
    first = start_paused(project, 3, tmp_path / "flag")
    try:
        check = specloom("check", "specs", "-q", cwd=project, SPECLOOM_LOCK_TIMEOUT="0.5")
    finally:
        code, _, err = first.resume()
    assert check.returncode == 1
    assert "out of date" in check.stderr and "another specloom" not in check.stderr
    assert code == 0, err
