"""``--templates DIR`` layers user templates over the built-in ones: overriding one template
changes only its output; a broken template is one clean error naming it, and nothing is written."""

from __future__ import annotations

from pathlib import Path

import pytest
from genkit import changed, copy_notes, files, ok, specloom, stamps, write_tree

README = """# {{ view.title | md_line }}, our way
{% for m in view.modules %}
- {{ m.name }}: {{ m.provides | map(attribute="key") | join(", ") }}
{% endfor %}
"""


def test_overriding_one_template_changes_only_its_output(notes, tmp_path: Path) -> None:
    templates = write_tree(tmp_path / "templates", {"docs/README.md.jinja": README})
    custom = notes.root / "custom"  # next to generated/: the same relative impl/ path
    args = ["-o", custom, "--templates", templates]
    ok(specloom("generate", "specs", *args, cwd=notes.root))
    builtin, mine = files(notes.out), files(custom)
    assert changed(builtin, mine) == {"docs/README.md", ".specloom/manifest.json"}
    assert (
        mine["docs/README.md"]
        == b"# Notes service, our way\n- store: KeyValue@1\n- notes: Notes@1\n"
    )


def test_user_templates_can_use_the_built_in_macros(notes, tmp_path: Path) -> None:
    interfaces = (
        '{% import "docs/_macros.jinja" as mac %}\n'
        "# {{ m.name }}\n\n{% for c in m.provides %}{{ mac.contract_section(c) }}{% endfor %}"
    )
    templates = write_tree(tmp_path / "templates", {"docs/module/INTERFACES.md.jinja": interfaces})
    custom = notes.root / "custom"
    ok(specloom("generate", "specs", "-o", custom, "--templates", templates, cwd=notes.root))
    text = (custom / "docs/modules/01-store/INTERFACES.md").read_text()
    assert text.startswith("# store\n\n### KeyValue@1\n")
    assert "| `put` |" in text


@pytest.mark.parametrize(
    ("template", "text", "message"),
    [
        ("docs/README.md.jinja", "# {{ view.no_such_field }}\n", "no_such_field"),
        ("docs/README.md.jinja", "# {% if %}\n", "Expected an expression"),
        ("docs/README.md.jinja", "{{ 1 / 0 }}\n", "ZeroDivisionError"),
        ("docs/PLAN.md.jinja", '{% include "docs/nope.jinja" %}\n', "docs/nope.jinja not found"),
        ("code/package/__init__.py.jinja", "def broken(:\n", "notes/__init__.py is not valid"),
    ],
    ids=["undefined", "syntax", "exception", "missing-include", "invalid-python"],
)
def test_a_broken_template_is_one_clean_error_and_nothing_is_written(
    tmp_path: Path, template: str, text: str, message: str
) -> None:
    project = copy_notes(tmp_path / "project")
    templates = write_tree(tmp_path / "templates", {template: text})
    before = stamps(project)
    proc = specloom("generate", "specs", "--templates", templates, cwd=project)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    if not template.startswith("code/"):
        assert template.rsplit("/", 1)[-1] in lines[0]  # names the template
    assert stamps(project) == before
    assert not (project / "generated").exists()
