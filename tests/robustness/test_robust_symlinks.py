"""Generation never follows a symbolic link out of its folders: not at an implementation file,
not at the lock, not at a dangling link, not at a temporary name planted before the write.
(Links at generated files and folders are covered by tests/generate/test_gen_incremental.py.)"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from robustkit import add_method, specloom, tree

from generator.errors import SpecloomError
from generator.write.safe_io import atomic_write


def _one_error(proc) -> str:
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    return proc.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(
    "link",
    ["impl/store.py", "generated/.specloom/lock", "generated/notes/system.py"],
    ids=["implementation-file", "lock", "generated-file-dangling"],
)
def test_a_link_is_refused_and_nothing_outside_is_touched(
    versions, tmp_path: Path, link: str
) -> None:
    project = versions.copy(tmp_path / "project")
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "target"
    if link != "generated/notes/system.py":
        target.write_bytes((project / link).read_bytes())  # a plausible copy, outside
    (project / link).unlink()
    os.symlink(target, project / link)
    add_method(project)  # generation now has something to write, everywhere
    before = tree(project, skip_state=False)
    before_outside = tree(outside)

    message = _one_error(specloom("generate", "specs", cwd=project))

    assert "symbolic link" in message
    assert tree(outside) == before_outside  # not written, not created
    assert tree(project, skip_state=False) == before  # refused before any write


def test_a_link_planted_at_the_temporary_name_is_replaced_not_followed(tmp_path: Path) -> None:
    root, outside = tmp_path / "out", tmp_path / "secret"
    root.mkdir()
    outside.write_text("keep")
    os.symlink(outside, root / f".system.py.{os.getpid()}.tmp")
    atomic_write(root, "system.py", b"new\n")
    assert outside.read_text() == "keep"
    assert (root / "system.py").read_bytes() == b"new\n"
    assert not (root / "system.py").is_symlink()
    assert sorted(p.name for p in root.iterdir()) == ["system.py"]


@pytest.mark.parametrize("rel", ["../escape.py", "/etc/escape.py", "a/../../escape.py"])
def test_paths_out_of_the_folder_are_refused(tmp_path: Path, rel: str) -> None:
    (tmp_path / "out").mkdir()
    with pytest.raises(SpecloomError, match="outside the output folder"):
        atomic_write(tmp_path / "out", rel, b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
