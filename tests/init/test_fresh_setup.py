"""From nothing: ``specloom init DIR --defaults && cd DIR && make test``, the real setup.

The project's Makefile creates its own .venv and pip-installs specloom, non-editable, from the
checkout running these tests (the source ``init`` records), with every dependency from the
package index. That proves the packaging too: the installed specloom renders from the templates
and starts the orchestra starter from the flagship specs that its wheel carries.

Slow (about 40 s with a warm pip cache) and needs the package index; set SPECLOOM_SKIP_SLOW=1 to
skip it when offline.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from initkit import REPO, run, specloom

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(bool(os.environ.get("SPECLOOM_SKIP_SLOW")), reason="SPECLOOM_SKIP_SLOW"),
]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("fresh") / "fresh"
    specloom("init", project, "--defaults")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(str(REPO))
    )
    done = run("make", "test", cwd=project, env=env)
    (project / "make-test.log").write_text(done.stdout + done.stderr, "utf-8")
    return project


def test_make_test_passes_from_nothing(fresh: Path) -> None:
    log = (fresh / "make-test.log").read_text("utf-8")
    assert f'pip install --quiet "{REPO}" --group dev' in log
    assert re.search(r"\d+ passed", log), log


def test_the_project_venv_has_a_real_install_of_specloom(fresh: Path) -> None:
    python = fresh / ".venv" / "bin" / "python"
    where = run(
        python,
        "-c",
        "import generator, generator.init as i; "
        "print(generator.__file__); print(i.template_dir()); print(i.orchestra_specs())",
        cwd=fresh.parent,  # not the checkout: `python -c` imports from the current folder first
    ).stdout.split()
    site = str(fresh / ".venv" / "lib")
    assert all(p.startswith(site) for p in where), where
    assert where[1].endswith("generator/templates/project")
    assert where[2].endswith("generator/starters/orchestra")


def test_installed_specloom_starts_the_orchestra(fresh: Path) -> None:
    installed = fresh / ".venv" / "bin" / "specloom"
    other = fresh.parent / "orchestra"
    run(
        installed,
        "init",
        other,
        "--defaults",
        "-d",
        "starter=orchestra",
        "--no-git",
        cwd=other.parent,
    )
    assert len(list((other / "specs" / "modules").glob("*.yaml"))) == 12
    assert (other / ".github" / "workflows" / "specloom.yml").is_file()  # dotfiles shipped
    run(installed, "check", "specs", cwd=other)
    assert not (other / ".git").exists()


def test_the_ci_workflow_steps_pass_in_the_committed_project(fresh: Path) -> None:
    workflow = yaml.safe_load((fresh / ".github/workflows/specloom.yml").read_text("utf-8"))
    (job,) = workflow["jobs"].values()
    scripts = [s["run"] for s in job["steps"] if "run" in s]
    run("git", "add", "-A", cwd=fresh)
    run("git", "commit", "-q", "-m", "new project", cwd=fresh)
    for script in scripts:  # as the runner does it: bash -e, from the project root
        run("bash", "-e", "-c", script, cwd=fresh)
    specs = fresh / "specs" / "contracts" / "notes.v1.yaml"
    specs.write_text(specs.read_text("utf-8").replace("Read a note by id.", "Read one note."))
    drift = run("bash", "-e", "-c", ".venv/bin/specloom check specs", cwd=fresh, check=False)
    assert drift.returncode == 1 and "out of date" in drift.stderr
