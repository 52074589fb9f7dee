"""A generation killed or interrupted mid-write leaves every file whole (old or new), and the next
``check`` notices the mix and the next ``generate`` repairs it, without ``--force``.

The regeneration under test goes from version 1 of the notes specs to version 2 (a new method):
its atomic writes are, in order, the manifest with the pending hashes, each changed generated
file, the appended stub in impl/store.py, and the final manifest. A process is paused at a chosen
write (temporary written, target not yet replaced) and then SIGKILLed or sent SIGINT.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from robustkit import add_method, notes_project, ok, specloom, start_paused, temporaries, tree


def _changed_outputs(versions) -> int:
    """How many generated files version 2 writes (new or different)."""
    return sum(
        1
        for rel, data in versions.new.items()
        if rel.startswith("generated/") and versions.old.get(rel) != data
    )


def _state(project: Path) -> dict[str, bytes]:
    out = {f"generated/{k}": v for k, v in tree(project / "generated").items()}
    out.update({f"impl/{k}": v for k, v in tree(project / "impl").items()})
    return out


def _assert_each_file_old_or_new(project: Path, versions) -> bool:
    """Every file is whole: byte-equal to version 1 or to version 2. True if all are new."""
    state = _state(project)
    for rel, data in state.items():
        if Path(rel).name.startswith(".") and rel.endswith(".tmp"):
            continue  # a temporary of the killed process: checked separately
        assert data in (versions.old.get(rel), versions.new.get(rel)), f"{rel} is neither"
    expected = set(versions.old) | set(versions.new)
    visible = {r for r in state if not (Path(r).name.startswith(".") and r.endswith(".tmp"))}
    assert visible <= expected, visible - expected
    generated = {r for r in versions.new if r.startswith("generated/")}
    return all(state.get(r) == versions.new[r] for r in generated)


def _assert_repaired(project: Path, versions) -> None:
    proc = ok(specloom("generate", "specs", cwd=project))
    assert "edited by hand" not in proc.stderr
    assert _state(project) == versions.new
    assert temporaries(project / "generated", project / "impl") == []
    manifest = (project / "generated" / ".specloom" / "manifest.json").read_text()
    assert '"pending"' not in manifest
    ok(specloom("check", "specs", cwd=project))


@pytest.fixture(scope="module")
def writes(versions) -> dict[str, int]:
    """Write numbers of the v1 -> v2 regeneration, by what is written there."""
    k = _changed_outputs(versions)
    assert k >= 4
    return {
        "pending-manifest": 1,
        "first-file": 2,
        "middle-file": 2 + k // 2,
        "last-file": 1 + k,
        "scaffold": 2 + k,
        "final-manifest": 3 + k,
    }


@pytest.mark.parametrize(
    "point",
    ["pending-manifest", "first-file", "middle-file", "last-file", "scaffold", "final-manifest"],
)
def test_a_kill_mid_write_leaves_whole_files_and_the_next_run_repairs(
    versions, writes, tmp_path: Path, point: str
) -> None:
    project = versions.copy(tmp_path / "project")
    add_method(project)
    paused = start_paused(project, writes[point], tmp_path / "flag")
    paused.proc.send_signal(signal.SIGKILL)
    paused.proc.wait(timeout=60)

    all_new = _assert_each_file_old_or_new(project, versions)
    assert all_new == (point in ("scaffold", "final-manifest"))
    assert temporaries(project / "generated", project / "impl"), "the kill left its temporary"
    check = specloom("check", "specs", cwd=project)
    assert check.returncode == (0 if all_new else 1), check.stderr
    assert "Traceback" not in check.stderr
    if not all_new:
        assert "out of date" in check.stderr
    _assert_repaired(project, versions)


def test_ctrl_c_mid_write_exits_cleanly_and_leaves_no_temporary(
    versions, writes, tmp_path: Path
) -> None:
    project = versions.copy(tmp_path / "project")
    add_method(project)
    paused = start_paused(project, writes["middle-file"], tmp_path / "flag")
    paused.proc.send_signal(signal.SIGINT)
    _, err = paused.proc.communicate(timeout=60)
    assert paused.proc.returncode == 130
    assert err.strip().splitlines()[-1] == "interrupted"
    assert "Traceback" not in err
    assert not _assert_each_file_old_or_new(project, versions)
    assert temporaries(project / "generated", project / "impl") == []
    assert specloom("check", "specs", cwd=project).returncode == 1
    _assert_repaired(project, versions)


def test_a_first_generation_killed_then_changed_specs_need_no_force(
    versions, tmp_path: Path
) -> None:
    """Files the killed run wrote are in no manifest yet: the pending hashes still mark them
    as specloom's, so a later generation from changed specs replaces them."""
    project = notes_project(tmp_path / "project")
    paused = start_paused(project, 6, tmp_path / "flag")
    paused.proc.send_signal(signal.SIGKILL)
    paused.proc.wait(timeout=60)
    assert (project / "generated").is_dir()
    add_method(project)
    _assert_repaired(project, versions)


def test_a_resumed_generation_completes(versions, writes, tmp_path: Path) -> None:
    """The pause hook itself changes nothing: a paused run that goes on ends as a normal one."""
    project = versions.copy(tmp_path / "project")
    add_method(project)
    code, out, err = start_paused(project, writes["middle-file"], tmp_path / "flag").resume()
    assert code == 0, err
    assert "generated:" in out
    assert _state(project) == versions.new
    assert temporaries(project / "generated", project / "impl") == []
