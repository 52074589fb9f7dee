"""Incremental, safe writing: only changed files are written, stale ones removed, hand edits and
foreign files refused (unless --force), symlinks never followed, nothing written on any error;
``specloom check`` reports drift as a unified diff and writes nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from genkit import changed, copy_notes, edit, files, ok, specloom, stamps

KV = "specs/contracts/key_value.v1.yaml"
PUT_SUMMARY = "Store a value under a key; return true when the key was new."
PUT_EDITED = "Store a value under a key; true when the key is new (edited)."


def _summary(proc) -> str:
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1, proc.stdout
    return lines[0]


def _one_error_line(proc) -> str:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert len(lines) == 1, proc.stderr
    return lines[0]


def test_a_second_generate_writes_nothing(notes) -> None:
    before = stamps(notes.root)
    proc = ok(specloom("generate", "specs", cwd=notes.root))
    assert "generated: 0 written, " in _summary(proc)
    assert proc.stderr == ""  # no scaffold lines: impl/ is left alone
    assert stamps(notes.root) == before


def test_a_spec_change_that_changes_no_output_rewrites_only_the_manifest(notes) -> None:
    before = stamps(notes.root)
    kv = notes.root / KV
    kv.write_text("# a comment changes the inputs' fingerprint, not the output\n" + kv.read_text())
    proc = ok(specloom("generate", "specs", cwd=notes.root))
    assert "generated: 0 written, " in _summary(proc)
    assert changed(before, stamps(notes.root)) == {KV, "generated/.specloom/manifest.json"}


# A method summary is the interface's docstring (the mock and the client carry none of their own).
@pytest.mark.parametrize(
    ("spec", "old", "new", "expected"),
    [
        (
            KV,
            PUT_SUMMARY,
            PUT_EDITED,
            {
                "notes/contracts/key_value_v1.py",
                "notes/openapi.json",
                "docs/MODULE-INTERFACES.md",
                "docs/modules/01-store/INTERFACES.md",
            },
        ),
        (
            "specs/contracts/notes.v1.yaml",
            "Read a note by id.",
            "Read one note by its id.",
            {
                "notes/contracts/notes_v1.py",
                "notes/openapi.json",
                "docs/MODULE-INTERFACES.md",
                "docs/modules/02-notes/INTERFACES.md",
            },
        ),
    ],
    ids=["KeyValue", "Notes"],
)
def test_editing_one_contract_rewrites_only_the_files_that_depend_on_it(
    notes, spec: str, old: str, new: str, expected: set[str]
) -> None:
    before = stamps(notes.root)
    edit(notes.root / spec, old, new)
    proc = ok(specloom("generate", "specs", cwd=notes.root))
    assert f"generated: {len(expected)} written, " in _summary(proc)
    rewritten = changed(before, stamps(notes.root)) - {spec}
    assert rewritten == {f"generated/{p}" for p in expected} | {"generated/.specloom/manifest.json"}
    contract_module = next(p for p in expected if "/contracts/" in p)
    assert new in (notes.out / contract_module).read_text()


def test_removing_a_contract_removes_its_files_and_empty_folders(notes) -> None:
    (notes.root / "specs/modules/02-notes.yaml").unlink()
    (notes.root / "specs/contracts/notes.v1.yaml").unlink()
    (notes.root / "specs/types/note.yaml").unlink()
    before = files(notes.out)
    proc = ok(specloom("generate", "specs", cwd=notes.root))
    gone = sorted(set(before) - set(files(notes.out)))
    assert gone == [
        "deploy/kubernetes/modules/agent-02-notes.yaml",
        "docs/modules/02-notes/AGENT-BRIEF.md",
        "docs/modules/02-notes/IMPLEMENTATION-GUIDE.md",
        "docs/modules/02-notes/INTERFACES.md",
        "docs/modules/02-notes/TESTING-CRITERIA.md",
        "notes/contracts/notes_v1.py",
        "notes/mocks/notes_v1.py",
        "notes/modules/notes.py",
        "tests/contract/test_notes_v1.py",
        "tests/integration/test_notes__store.py",
    ]
    assert f", {len(gone)} removed in " in _summary(proc)
    assert not (notes.out / "docs/modules/02-notes").exists()
    assert not (notes.out / "tests/integration").exists()
    manifest = (notes.out / ".specloom/manifest.json").read_text()
    assert "notes_v1" not in manifest
    assert (notes.impl / "notes.py").read_bytes() == files(notes.root)["impl/notes.py"]  # user code


HAND_EDIT = "\n# a hand edit\n"


def test_a_hand_edited_file_is_refused_with_nothing_written_then_forced(notes) -> None:
    system = notes.out / "notes/system.py"
    fresh = system.read_text()
    system.write_text(fresh + HAND_EDIT)
    edit(notes.root / KV, PUT_SUMMARY, PUT_EDITED)  # so that there is something to write
    before = stamps(notes.root)
    proc = specloom("generate", "specs", cwd=notes.root)
    assert proc.returncode == 1
    line = _one_error_line(proc)
    assert "edited by hand" in line and "notes/system.py" in line and "--force" in line
    assert stamps(notes.root) == before  # not even the files that did change

    proc = ok(specloom("generate", "specs", "--force", cwd=notes.root))
    assert system.read_text() == fresh
    assert PUT_EDITED in (notes.out / "notes/contracts/key_value_v1.py").read_text()
    ok(specloom("check", "specs", cwd=notes.root))


def test_a_hand_edited_file_that_would_be_removed_is_refused(notes) -> None:
    brief = notes.out / "docs/modules/02-notes/AGENT-BRIEF.md"
    brief.write_text(brief.read_text() + HAND_EDIT)
    (notes.root / "specs/modules/02-notes.yaml").unlink()
    (notes.root / "specs/contracts/notes.v1.yaml").unlink()
    before = stamps(notes.root)
    proc = specloom("generate", "specs", cwd=notes.root)
    assert proc.returncode == 1
    assert "docs/modules/02-notes/AGENT-BRIEF.md" in _one_error_line(proc)
    assert stamps(notes.root) == before


def test_a_foreign_file_at_a_generated_path_is_refused(tmp_path: Path) -> None:
    project = copy_notes(tmp_path / "project")
    mine = project / "generated/docs/README.md"
    mine.parent.mkdir(parents=True)
    mine.write_text("# my own notes, never generated\n")
    proc = specloom("generate", "specs", cwd=project)
    assert proc.returncode == 1
    assert "docs/README.md" in _one_error_line(proc)
    # Nothing written but the output lock (taken before comparing); impl/ not scaffolded either.
    assert set(files(project / "generated")) <= {"docs/README.md", ".specloom/lock"}
    assert mine.read_text() == "# my own notes, never generated\n"
    assert sorted(files(project / "impl")) == ["__init__.py", "notes.py", "store.py"]


def test_check_passes_on_fresh_output_and_writes_nothing(notes) -> None:
    before = stamps(notes.root)
    proc = ok(specloom("check", "specs", cwd=notes.root))
    assert proc.stdout == "" and proc.stderr == ""
    assert stamps(notes.root) == before


def test_check_reports_stale_output_as_a_unified_diff_and_writes_nothing(notes) -> None:
    edit(notes.root / KV, PUT_SUMMARY, PUT_EDITED)
    before = stamps(notes.root)
    proc = specloom("check", "specs", cwd=notes.root)
    assert proc.returncode == 1
    assert "--- a/generated/notes/contracts/key_value_v1.py\n" in proc.stdout
    assert "+++ b/generated/notes/contracts/key_value_v1.py\n" in proc.stdout
    assert f'-        """{PUT_SUMMARY}"""\n' in proc.stdout
    assert f'+        """{PUT_EDITED}"""\n' in proc.stdout
    assert "@@ " in proc.stdout
    assert "out of date" in proc.stderr and "4 file(s) stale" in proc.stderr
    assert stamps(notes.root) == before  # neither generated/ nor impl/ nor the specs


def test_check_reports_a_hand_edit_and_writes_nothing(notes) -> None:
    readme = notes.out / "docs/README.md"
    readme.write_text(readme.read_text().replace("## Modules", "## My modules"))
    before = stamps(notes.root)
    proc = specloom("check", "specs", cwd=notes.root)
    assert proc.returncode == 1
    assert "--- a/generated/docs/README.md\n+++ b/generated/docs/README.md\n" in proc.stdout
    assert "-## My modules\n+## Modules\n" in proc.stdout
    assert "edited by hand (docs/README.md)" in proc.stderr
    assert stamps(notes.root) == before


@pytest.mark.parametrize(
    ("link", "force"),
    [("docs", False), ("notes/system.py", False), (".specloom", False), ("docs", True)],
    ids=["folder", "file", "manifest-folder", "folder-forced"],
)
def test_a_symlink_out_of_the_output_folder_is_never_followed(
    notes, tmp_path: Path, link: str, force: bool
) -> None:
    outside = tmp_path / "outside"
    target = notes.out / link
    shutil.move(target, outside)  # the link points at the real content, now outside
    os.symlink(outside, target)
    edit(notes.root / KV, PUT_SUMMARY, PUT_EDITED)  # docs and code would change
    before_out, before_outside = stamps(notes.root), stamps(tmp_path / "outside")
    if outside.is_file():
        before_outside = {"": outside.stat().st_mtime_ns, "data": outside.read_bytes()}
    proc = specloom("generate", "specs", *(["--force"] if force else []), cwd=notes.root)
    assert proc.returncode == 1
    assert "symbolic link" in _one_error_line(proc)
    assert stamps(notes.root) == before_out
    if outside.is_file():
        assert {"": outside.stat().st_mtime_ns, "data": outside.read_bytes()} == before_outside
    else:
        assert stamps(outside) == before_outside


def test_a_spec_error_writes_nothing(notes, tmp_path: Path) -> None:
    edit(notes.root / KV, "returns: {type: boolean}\n  get:", "returns: {type: bool}\n  get:")
    before = stamps(notes.root)
    proc = specloom("generate", "specs", cwd=notes.root)
    assert proc.returncode == 1
    assert f"{KV}:" in proc.stderr and "error[" in proc.stderr
    assert "nothing was written" in _one_error_line(proc)
    assert stamps(notes.root) == before

    fresh = specloom("generate", notes.root / "specs", "-o", tmp_path / "new", cwd=tmp_path)
    assert fresh.returncode == 1
    assert not (tmp_path / "new").exists()


def test_a_symlinked_scaffold_folder_is_never_followed(tmp_path: Path) -> None:
    project = copy_notes(tmp_path / "project", impl=False)
    outside = tmp_path / "outside"
    outside.mkdir()
    (project / "impl").symlink_to(outside)
    proc = specloom("generate", "specs", cwd=project)
    assert proc.returncode == 1
    assert "symbolic link" in _one_error_line(proc)
    assert list(outside.iterdir()) == []
    assert set(files(project / "generated")) <= {".specloom/lock"}
