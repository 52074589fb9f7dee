"""``copier update`` brings a new template version into a project and keeps the user's work.

The template is served from a git repository with two tagged versions, as a published template
would be; the project starts from the first with ``specloom init --template ... --vcs-ref``.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import yaml
from initkit import run, specloom

from generator.init import template_dir

USER_DESCRIPTION = "description: Notes of the shop, kept by the shop's staff."
TEMPLATE_DESCRIPTION = "description: Create, read, search and forget notes."
USER_SECTION = "## Our conventions\n\nEvery note is tagged with a team.\n"
NEW_TARGET = "\nlint: setup\n\t$(BIN)/python -m pip --version\n"
NEW_README_LINE = "Template v2: see the Makefile for every target."


def git(*args: str, cwd: Path) -> str:
    return run("git", *args, cwd=cwd).stdout


def commit_all(repo: Path, message: str) -> None:
    git("add", "-A", cwd=repo)
    git("commit", "-q", "-m", message, cwd=repo)


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["template-folder", "specloom-repository"])
def updated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Path]:
    """A project made from template 1.0.0, edited by its user, then updated to 2.0.0.

    The template repository is either templates/project alone, or laid out like specloom's own
    repository (its root copier.yml pointing into templates/project)."""
    root = tmp_path_factory.mktemp("update")
    template = root / "template"
    ignore = shutil.ignore_patterns("__pycache__")
    if request.param == "template-folder":
        shutil.copytree(template_dir(), template, ignore=ignore)
        files = template / "template"
    else:
        shutil.copytree(template_dir(), template / "templates" / "project", ignore=ignore)
        shutil.copy(REPO / "copier.yml", template / "copier.yml")
        files = template / "templates" / "project" / "template"
    git("init", "-q", cwd=template)
    commit_all(template, "template 1")
    git("tag", "1.0.0", cwd=template)

    project = root / "shop"
    specloom(
        "init", project, "--defaults", "--template", template, "--vcs-ref", "1.0.0",
        "-d", "package_name=shop",
    )  # fmt: skip
    commit_all(project, "new project")

    # The user's work: a spec edit (regenerated), and a section of their own in the README.
    notes = project / "specs/contracts/notes.v1.yaml"
    replace_in(notes, "description: Create, read and search notes.", USER_DESCRIPTION)
    specloom("generate", "specs", cwd=project)
    with (project / "README.md").open("a", encoding="utf-8") as fh:
        fh.write("\n" + USER_SECTION)
    commit_all(project, "our notes")

    # Template 2.0.0: a new Makefile target, a README line, and a change to a starter spec.
    with (files / "Makefile.jinja").open("a", encoding="utf-8") as fh:
        fh.write(NEW_TARGET)
    replace_in(
        files / "README.md.jinja", "## Two commands\n", f"{NEW_README_LINE}\n\n## Two commands\n"
    )
    starter_notes = next(files.glob("specs/*/notes.v1.yaml"))
    replace_in(starter_notes, "description: Create, read and search notes.", TEMPLATE_DESCRIPTION)
    commit_all(template, "template 2")
    git("tag", "2.0.0", cwd=template)

    run(sys.executable, "-m", "copier", "update", "--defaults", "--quiet", cwd=project)
    return {"project": project, "template": template}


def test_update_brings_the_template_change(updated: dict[str, Path]) -> None:
    project = updated["project"]
    assert NEW_TARGET.strip() in (project / "Makefile").read_text("utf-8")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text("utf-8"))
    assert answers["_commit"] == "2.0.0"
    assert answers["package_name"] == "shop"


def test_update_merges_a_file_both_sides_changed(updated: dict[str, Path]) -> None:
    readme = (updated["project"] / "README.md").read_text("utf-8")
    assert NEW_README_LINE in readme and USER_SECTION in readme
    assert "<<<<<<<" not in readme
    assert not list(updated["project"].rglob("*.rej"))


def test_update_keeps_the_users_specs(updated: dict[str, Path]) -> None:
    project = updated["project"]
    notes = (project / "specs/contracts/notes.v1.yaml").read_text("utf-8")
    assert USER_DESCRIPTION in notes and TEMPLATE_DESCRIPTION not in notes
    changed = git("status", "--porcelain", cwd=project).split("\n")
    changed_paths = sorted(line[3:] for line in changed if line.strip())
    assert changed_paths == [".copier-answers.yml", "Makefile", "README.md"]


def test_project_still_checks_after_update(updated: dict[str, Path]) -> None:
    project = updated["project"]
    specloom("check", "specs", cwd=project)
    dry = run("make", "-n", "lint", "VENV=.venv-dry", cwd=project).stdout
    assert "pip --version" in dry
