"""Implementation scaffolds (the generation gap): written once, never overwritten; a new contract
method appends a formatted ``@stub`` (and the imports it needs) to the implementation class, a
removed one is reported and left; the generated contract tests report stubs as pending and pass
on a complete implementation."""

from __future__ import annotations

import difflib
import re
import sys
from pathlib import Path

import pytest
from genkit import edit, files, generate_notes, ok, pytest_generated, run, specloom, tool

NOTES_SPEC = "specs/contracts/notes.v1.yaml"
COUNT_METHOD = """  count_notes:
    summary: How many notes carry a tag.
    params:
      tag: {type: string, minLength: 1}
      limit: {type: integer, minimum: 1, default: 100}
    returns: {type: integer, minimum: 0}
errors:
  NoteNotFound"""
COUNT_EXAMPLE = """
  - name: count by tag
    steps:
      - {call: create_note, with: {title: Shopping, tags: [home]}, bind: note}
      - {call: count_notes, with: {tag: home}, returns: 1}
"""
STUB = '''
    @stub
    async def count_notes(self, tag: str, limit: int = 100) -> int:
        """How many notes carry a tag."""
        raise NotImplementedError
'''
IMPLEMENTED = '''
    async def count_notes(self, tag: str, limit: int = 100) -> int:
        """How many notes carry a tag."""
        return min(limit, len(await self.find_by_tag(tag)))
'''


def _add_count_notes(root: Path) -> None:
    edit(root / NOTES_SPEC, "errors:\n  NoteNotFound", COUNT_METHOD)
    spec = root / NOTES_SPEC
    spec.write_text(spec.read_text() + COUNT_EXAMPLE)


def _only_insertions(old: str, new: str) -> list[str]:
    """The lines ``new`` adds to ``old``; fails if it changes or removes any line of ``old``."""
    added = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        assert not line.startswith("- "), f"a line of the user's file changed: {line!r}"
        if line.startswith("+ "):
            added.append(line[2:])
    return added


def test_scaffolds_are_created_once_and_never_overwritten(tmp_path: Path) -> None:
    project = generate_notes(tmp_path / "project", impl=False)
    store = project.impl / "store.py"
    text = store.read_text()
    assert "class StoreImpl(StoreBase):" in text
    assert len(re.findall(r"    @stub\n    async def ", text)) == 4  # put, get, delete, keys
    proc = ok(specloom("generate", "specs", "--force", cwd=project.root))
    assert "created" not in proc.stderr

    mine = text.replace("raise NotImplementedError", "return True  # mine", 1) + "\n# my notes\n"
    store.write_text(mine)
    edit(project.root / NOTES_SPEC, "Read a note by id.", "Read one note.")
    proc = ok(specloom("generate", "specs", cwd=project.root))
    assert proc.stderr == ""
    assert store.read_text() == mine
    assert "Read one note." in (project.out / "notes/contracts/notes_v1.py").read_text()


def test_a_deleted_scaffold_is_restored_by_a_no_op_generate(tmp_path: Path) -> None:
    project = generate_notes(tmp_path / "project", impl=False)
    store = project.impl / "store.py"
    fresh = store.read_text()
    store.unlink()
    proc = ok(specloom("generate", "specs", cwd=project.root))
    assert "created impl/store.py" in proc.stderr
    assert store.read_text() == fresh
    proc = ok(specloom("generate", "specs", cwd=project.root))
    assert "(up to date)" in proc.stdout


@pytest.fixture(scope="module")
def grown(tmp_path_factory: pytest.TempPathFactory):
    """The notes example (complete implementations) after Notes@1 gained ``count_notes``."""
    project = generate_notes(tmp_path_factory.mktemp("grown") / "project")
    before = (project.impl / "notes.py").read_text()
    _add_count_notes(project.root)
    proc = ok(specloom("generate", "specs", cwd=project.root))
    return project, before, proc, (project.impl / "notes.py").read_text()


def test_a_new_method_appends_a_formatted_stub_and_its_imports(grown) -> None:
    project, before, proc, after = grown
    assert proc.stderr.strip() == "impl/notes.py: appended stubs for count_notes"
    assert after.endswith("                return number\n" + STUB)
    added = _only_insertions(before, after)
    assert "from specloom_runtime import stub" in added
    imports = [ln for ln in after.splitlines() if ln.startswith(("from ", "import "))]
    # placed in isort order, after __future__: the runtime library (third-party) first
    assert imports[1] == "from specloom_runtime import stub"
    assert imports[2:] == sorted(imports[2:]) and all(" notes." in ln for ln in imports[2:])
    assert (project.impl / "store.py").read_bytes() == files(project.root)["impl/store.py"]


def test_the_extended_file_imports_lints_and_type_checks(grown, tmp_path: Path) -> None:
    project, *_ = grown
    ok(run([sys.executable, "-c", "import impl.notes"], project.root, PYTHONPATH=str(project.out)))
    config = ["--no-cache", "--config", str(project.out / "ruff.toml")]
    ok(run([tool("ruff"), "check", *config, "impl"], project.root))
    ok(run([tool("ruff"), "format", "--check", *config, "impl"], project.root))
    mypy = [tool("mypy"), "--strict", "--cache-dir", str(tmp_path / "mypy"), "impl"]
    ok(run(mypy, project.root, MYPYPATH=str(project.out)))


def test_contract_tests_report_stubs_as_pending_then_pass_once_implemented(grown) -> None:
    project, *_ = grown
    proc = ok(pytest_generated(project.out))
    skipped = [ln for ln in proc.stdout.splitlines() if ln.startswith("SKIPPED")]
    assert len(skipped) == 1, proc.stdout  # -rs folds the two transports' identical skips
    assert "test_notes_v1.py" in skipped[0]
    assert "pending: 1 stub(s) left in notes: count_notes" in skipped[0]
    assert "failed" not in proc.stdout

    impl = project.impl / "notes.py"
    impl.write_text(impl.read_text().replace(STUB, IMPLEMENTED))
    proc = ok(pytest_generated(project.out))
    assert "skipped" not in proc.stdout and "SKIPPED" not in proc.stdout, proc.stdout
    assert re.search(r"\b2[0-9] passed\b", proc.stdout), proc.stdout  # each test x2 transports


def test_a_removed_method_is_reported_and_left_in_place(grown) -> None:
    project, *_ = grown
    impl = project.impl / "notes.py"
    kept = impl.read_text()
    assert "async def count_notes" in kept
    edit(project.root / NOTES_SPEC, COUNT_METHOD, "errors:\n  NoteNotFound")
    edit(project.root / NOTES_SPEC, COUNT_EXAMPLE, "")
    proc = ok(specloom("generate", "specs", cwd=project.root))
    assert "impl/notes.py: count_notes no longer in the contract" in proc.stderr
    assert impl.read_text() == kept


def test_a_complete_implementation_passes_every_generated_test(notes_project) -> None:
    proc = ok(pytest_generated(notes_project.out))
    assert "skipped" not in proc.stdout and "failed" not in proc.stdout, proc.stdout
    assert re.search(r"\b\d+ passed\b", proc.stdout)
