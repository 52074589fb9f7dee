"""``specloom init``: each starter makes a project whose checks and generated tests pass."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from initkit import REPO, git_env, make, run, specloom

from generator.init import (
    MODELINE,
    SCHEMA_FILE,
    orchestra_specs,
    precommit_source,
    specloom_source,
    with_modeline,
)
from generator.names import RESERVED_MODULE_NAMES, SHADOWED_TOP_LEVEL, identifier_problem

STARTERS = {
    "minimal": ("demo", ["-d", "starter=minimal"]),
    "orchestra": ("conductor", ["-d", "starter=orchestra", "-d", "package_name=conductor"]),
}


def made(new_project, starter: str) -> Path:
    name, args = STARTERS[starter]
    return new_project(name, *args)


def spec_yaml(project: Path) -> list[Path]:
    return sorted((project / "specs").rglob("*.yaml"))


@pytest.fixture(scope="module", params=sorted(STARTERS))
def project(request: pytest.FixtureRequest, new_project) -> Path:
    return made(new_project, request.param)


def test_make_test_passes_in_the_new_project(project: Path) -> None:
    done = make(project, "test")
    assert re.search(r"\d+ passed", done.stdout), done.stdout
    assert "specloom check specs" in done.stdout
    health = make(project, "health").stdout
    assert re.search(r"^store\s.*\bmock\b|^database\s.*\bmock\b", health, re.M), health


def test_check_passes_and_notices_an_edit(project: Path, tmp_path: Path) -> None:
    specloom("check", "specs", cwd=project)
    edited = next((project / "generated").rglob("system.py"))
    original = edited.read_text("utf-8")
    try:
        edited.write_text(original + "# edited\n", "utf-8")
        done = specloom("check", "specs", cwd=project, check=False)
        assert done.returncode == 1 and "edited by hand" in done.stderr
    finally:
        edited.write_text(original, "utf-8")


def test_the_system_is_named_after_the_package(project: Path) -> None:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text("utf-8"))
    system = yaml.safe_load((project / "specs" / "system.yaml").read_text("utf-8"))
    assert system["system"]["name"] == answers["package_name"]
    assert system["llm"]["model"] == answers["ollama_model"] == "qwen2.5-coder:7b"
    assert (project / "generated" / answers["package_name"] / "__main__.py").is_file()
    assert (project / "impl" / "__init__.py").is_file()


def test_orchestra_starter_is_the_flagship(new_project) -> None:
    project = made(new_project, "orchestra")
    flagship = orchestra_specs()
    expected = sorted(
        p.relative_to(flagship).as_posix()
        for folder in ("types", "contracts", "modules")
        for p in (flagship / folder).rglob("*.yaml")
    )
    copied = [p.relative_to(project / "specs").as_posix() for p in spec_yaml(project)]
    assert sorted(copied) == sorted([*expected, "system.yaml"])
    assert len([p for p in copied if p.startswith("modules/")]) == 12
    for rel in expected:
        body = (project / "specs" / rel).read_text("utf-8").split("\n", 1)[1]
        assert body == (flagship / rel).read_text("utf-8")


def test_minimal_starter_has_two_modules(new_project) -> None:
    project = made(new_project, "minimal")
    modules = sorted(p.name for p in (project / "specs" / "modules").iterdir())
    assert modules == ["01-store.yaml", "02-notes.yaml"]
    assert sorted(p.name for p in (project / "impl").glob("*.py")) == [
        "__init__.py",
        "notes.py",
        "store.py",
    ]


def test_spec_files_name_the_schema_that_specloom_schema_prints(project: Path) -> None:
    printed = specloom("schema").stdout
    assert (project / SCHEMA_FILE).read_text("utf-8") == printed
    for path in spec_yaml(project):
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith(MODELINE), path
        target = (path.parent / first.removeprefix(MODELINE)).resolve()
        assert target == (project / SCHEMA_FILE).resolve(), path


def test_make_check_fails_on_a_stale_schema(new_project, tmp_path: Path) -> None:
    project = made(new_project, "minimal")
    schema = project / SCHEMA_FILE
    original = schema.read_text("utf-8")
    try:
        schema.write_text("{}\n", "utf-8")
        done = make(project, "check", check=False)
        assert done.returncode != 0 and "out of date" in done.stderr
        make(project, "generate")
        assert schema.read_text("utf-8") == original
    finally:
        schema.write_text(original, "utf-8")


def test_ci_workflow_validates_checks_and_tests(project: Path) -> None:
    workflow = yaml.safe_load((project / ".github/workflows/specloom.yml").read_text("utf-8"))
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"push", "pull_request"}
    (job,) = workflow["jobs"].values()
    steps = job["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "3.11"
    runs = [s["run"] for s in steps if "run" in s]
    assert runs[0] == "make setup"
    assert any(r.startswith(".venv/bin/specloom validate specs") for r in runs)
    assert ".venv/bin/specloom check specs" in runs
    assert any("make generate" in r and "git status --porcelain" in r for r in runs)
    assert runs[-1] == "make test"
    assert job["env"]["SPECLOOM_PIP_SPEC"] == "${{ vars.SPECLOOM_PIP_SPEC }}"


def test_makefile_installs_specloom_from_the_recorded_source(new_project) -> None:
    project = made(new_project, "minimal")
    assert specloom_source() == str(REPO)  # the checkout running these tests
    dry = ("make", "-n", "setup", "VENV=.venv-dry")
    default = run(*dry, cwd=project).stdout
    assert "-m venv .venv-dry" in default
    assert f'pip install --quiet "{REPO}" --group dev' in default
    other = run(*dry, "SPECLOOM_PIP_SPEC=specloom==9.9", cwd=project).stdout
    assert 'pip install --quiet "specloom==9.9" --group dev' in other
    empty = run(*dry, "SPECLOOM_PIP_SPEC=", cwd=project).stdout
    assert f'"{REPO}"' in empty  # an empty value falls back to the default
    ci = run(*dry, cwd=project, env={**git_env(), "SPECLOOM_PIP_SPEC": ""}).stdout
    assert f'"{REPO}"' in ci  # so does an unset repository variable in CI
    pyproject = (project / "pyproject.toml").read_text("utf-8")
    assert 'dev = ["specloom>=0.1", "pytest>=8"]' in pyproject


def test_precommit_config_uses_the_hooks_specloom_ships(new_project) -> None:
    project = made(new_project, "minimal")
    shipped = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    by_id = {h["id"]: h for h in shipped}
    assert set(by_id) == {"specloom-validate", "specloom-check"}
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text("utf-8"))
    (repo,) = config["repos"]
    assert {h["id"] for h in repo["hooks"]} == set(by_id)
    if repo["repo"] != "local":  # this checkout is a git repository: its path and HEAD
        assert Path(repo["repo"]) == REPO and re.fullmatch(r"[0-9a-f]{40}", repo["rev"])
    for hook in shipped:  # what pre-commit would run, run in the project
        command, *rest = hook["entry"].split()
        assert command == "specloom"
        specloom(*rest, *hook["args"], cwd=project)


def test_reserved_package_names_cover_specloom_rules() -> None:
    config = yaml.safe_load((REPO / "templates/project/questions.yml").read_text("utf-8"))
    reserved = set(config["reserved_package_names"]["default"])
    must = {
        n
        for n in SHADOWED_TOP_LEVEL | RESERVED_MODULE_NAMES
        if re.fullmatch(r"[a-z][a-z0-9_]*", n) and identifier_problem(n, "package")
    }
    assert must <= reserved, sorted(must - reserved)
    assert {"if", "match", "json", "impl", "generated"} <= reserved
    assert identifier_problem("shop", "package") is None and "shop" not in reserved


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "git+https://example.org/specloom.git@v1.2.0",
            ("https://example.org/specloom.git", "v1.2.0"),
        ),
        (
            "git+ssh://git@example.org/specloom.git",
            ("ssh://git@example.org/specloom.git", "v0.1.0"),
        ),
        ("specloom==0.1.0", ("", "")),
        ("/nonexistent/specloom", ("", "")),
    ],
)
def test_precommit_source_follows_the_specloom_source(source: str, expected: tuple) -> None:
    assert precommit_source(source) == expected


def test_modeline_is_relative_to_each_spec_file(tmp_path: Path) -> None:
    deep = tmp_path / "specs" / "contracts" / "a.yaml"
    assert with_modeline("contract: A\n", deep, tmp_path) == (
        f"{MODELINE}../../{SCHEMA_FILE}\ncontract: A\n"
    )
    already = f"{MODELINE}elsewhere.json\ncontract: A\n"
    assert with_modeline(already, deep, tmp_path) == already
