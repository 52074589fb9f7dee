"""Generated code meets the quality bars: ruff check and ruff format --check (with the shipped
ruff.toml), mypy --strict, every module imports, and ``python -m <package>`` works, with clean
errors and no traceback."""

from __future__ import annotations

import json
import sys

import pytest
from genkit import ok, run, tool

SYSTEMS = ["notes_project", "flagship_project"]


@pytest.fixture(params=SYSTEMS, ids=["notes", "flagship"])
def project(request: pytest.FixtureRequest):
    return request.getfixturevalue(request.param)


def test_generate_prints_one_summary_line(project) -> None:
    assert project.summary.count("\n") == 0
    assert project.summary.startswith("generated: ")
    assert " written, 0 unchanged, 0 removed in " in project.summary


def test_ruff_check_and_format_pass_with_the_shipped_config(project) -> None:
    config = project.out / "ruff.toml"
    assert config.is_file()
    for target in (project.out, project.impl):  # generated code, and scaffolds or notes impl
        ok(run([tool("ruff"), "check", "--no-cache", "--config", str(config), str(target)], target))
    ok(
        run(
            [tool("ruff"), "format", "--check", "--no-cache", "--config", str(config), "."],
            project.out,
        )
    )
    if project.package == "orchestra":  # fresh scaffolds are formatted too
        ok(
            run(
                [tool("ruff"), "format", "--check", "--no-cache", "--config", str(config), "."],
                project.impl,
            )
        )


def test_mypy_strict_passes_on_the_package_and_the_implementations(project, tmp_path) -> None:
    mypy = [tool("mypy"), "--strict", "--cache-dir", str(tmp_path / "mypy")]
    proc = run(
        [*mypy, "-p", project.package, "-p", "impl"], project.root, MYPYPATH=str(project.out)
    )
    assert ok(proc).stdout.startswith("Success: no issues found")


IMPORT_ALL = """
import importlib, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_every_module_of_the_package_imports(project) -> None:
    proc = ok(run([sys.executable, "-c", IMPORT_ALL, project.package], project.out))
    assert int(proc.stdout) >= 10  # contracts, mocks, modules, system, types (runtime: a library)


def _cli(project, *args: str):
    return run([sys.executable, "-m", project.package, *args], project.out)


def _no_traceback(proc) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr


def test_list_and_health_show_every_module(project) -> None:
    modules = sorted(p.stem for p in (project.out / project.package / "modules").glob("[!_]*.py"))
    for command in ("list", "health"):
        proc = ok(_cli(project, command))
        _no_traceback(proc)
        rows = proc.stdout.strip().splitlines()
        assert rows[0].split()[:2] == ["MODULE", "AGENT"]
        assert sorted(row.split()[0] for row in rows[1:]) == modules
        # The notes implementations are complete; the flagship's fresh scaffolds are all stubs.
        mode = "impl" if project.package == "notes" else "mock"
        assert all(row.split()[3] == mode for row in rows[1:]), proc.stdout


CALLS = {
    "notes": ("Notes@1.create_note", {"title": "Shopping", "tags": ["home"]}),
    "orchestra": ("Database@1.create", {"table": "users", "data": {"name": "Ada"}}),
}
BAD_CALLS = {
    "notes": ("Notes@1.create_note", {"title": ""}, "title"),
    "orchestra": ("Database@1.create", {"table": "Not A Table!", "data": {}}, "table"),
}


def test_call_prints_the_result_as_json(project) -> None:
    target, params = CALLS[project.package]
    proc = ok(_cli(project, "call", target, json.dumps(params)))
    _no_traceback(proc)
    result = json.loads(proc.stdout)
    if project.package == "notes":  # the real implementation answered
        assert result == {"id": "n1", "title": "Shopping", "body": "", "tags": ["home"]}
    else:  # the mock: a schema-valid record id
        assert isinstance(result, str) and result


def test_call_with_invalid_params_fails_with_the_invalid_params_line(project) -> None:
    target, params, field = BAD_CALLS[project.package]
    proc = _cli(project, "call", target, json.dumps(params))
    _no_traceback(proc)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0].startswith(f"error[invalid_params]: invalid parameters for {target}"), lines
    assert any(line.strip().startswith(f"{field}:") for line in lines[1:]), lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["call", "Nope@1.x"], "no module provides Nope@1"),
        (["call", "{contract}.no_such_method"], "has no method 'no_such_method'"),
        (["call", "{contract}.{method}", "{not json"], "params are not JSON"),
        (["call", "{contract}.{method}", "[1, 2]"], "params must be a JSON object"),
        (["call", "{contract}.{method}", '{"no_such_param": 1}'], "no_such_param"),
        (["no-such-command"], "invalid choice"),
    ],
    ids=["unknown-contract", "unknown-method", "bad-json", "not-object", "bad-kwarg", "usage"],
)
def test_cli_usage_errors_are_one_clean_line(notes_project, args: list[str], message: str) -> None:
    contract, _, method = CALLS["notes"][0].partition(".")
    args = [a.replace("{contract}", contract).replace("{method}", method) for a in args]
    proc = _cli(notes_project, *args)
    _no_traceback(proc)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert message in proc.stderr


ENV_ROUND_TRIP = """
import json, sys
from {package}.system import MODULES
env = dict(line[2:].split("=", 1) for line in sys.stdin.read().splitlines()
           if line.startswith("# ") and "=" in line and line[2:].split("=", 1)[0].isupper())
checked = 0
for module in MODULES:
    from_env = module.config_cls.from_env(env)
    assert from_env == module.config_cls(), (module.name, from_env)
    checked += sum(var in env for var in module.config_cls.ENV.values())
print(checked)
"""


def test_env_example_defaults_read_back_as_the_defaults(flagship_project) -> None:
    """Uncommenting every line of config/env.example changes no setting: its values are written
    as the generated ``from_env`` reads them (strings as text, the rest as JSON)."""
    example = (flagship_project.out / "config/env.example").read_text()
    script = ENV_ROUND_TRIP.format(package=flagship_project.package)
    proc = ok(run([sys.executable, "-c", script], flagship_project.out, stdin=example))
    assert int(proc.stdout) >= 10
    assert not any(
        line.startswith("# ORCHESTRA_") and "='" in line for line in example.splitlines()
    ), "Python reprs in env.example"
