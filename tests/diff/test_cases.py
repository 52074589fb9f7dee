"""`specloom diff` classifies every case of tests/diff/cases as its expected.yaml says.

Each case folder holds an OLD and a NEW spec set (the base spec with one change) and the findings
the change must produce: rule, status and subject, the exit code, and for the first finding the
file:line in NEW. Cases are built by build_cases.py; one folder per rule.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import kit
import pytest
import yaml

from generator.diff import RULES, diff_specs
from generator.diff.folders import load as load_specs

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
CASES = sorted(p for p in (HERE / "cases").iterdir() if p.is_dir())
SPECLOOM = str(Path(sys.executable).with_name("specloom"))

sys.path.insert(0, str(HERE))
import build_cases  # noqa: E402


def _expected(case: Path) -> dict:
    return yaml.safe_load((case / "expected.yaml").read_text("utf-8"))


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_case_folders_are_current(tmp_path: Path) -> None:
    build_cases.build_all(tmp_path / "cases")
    fresh, committed = _tree(tmp_path / "cases"), _tree(HERE / "cases")
    stale = sorted(k for k in fresh.keys() | committed.keys() if fresh.get(k) != committed.get(k))
    assert not stale, f"stale case files {stale[:5]}: run `python tests/diff/build_cases.py`"


def test_every_rule_has_a_case_folder() -> None:
    named = {p.name for p in CASES if p.name.isupper()}
    assert named == set(RULES), (set(RULES) - named, named - set(RULES))
    for case in CASES:
        assert _expected(case)["case"] == case.name


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case_is_classified_as_expected(case: Path) -> None:
    expected = _expected(case)
    old, new = load_specs(case / "old", "OLD"), load_specs(case / "new", "NEW")
    report = diff_specs(old, new)
    got = sorted((f.rule, f.status, f.subject) for f in report.findings)
    want = sorted((f["rule"], f["status"], f["subject"]) for f in expected["findings"])
    assert got == want, report.format_text()
    assert report.exit_code() == expected["exit"]
    first = expected["findings"][0]
    if "at" in first:
        match = next(
            f for f in report.findings if (f.rule, f.status) == (first["rule"], first["status"])
        )
        assert match.in_new
        assert Path(match.path).resolve() == (case / "new" / first["at"].split(":")[0]).resolve()
        assert match.line == int(first["at"].split(":")[1]), match.format_text()
    # the property every spec set has: compared with itself, nothing changed
    for side in (old, new):
        assert diff_specs(side, side).findings == []


def test_every_rule_is_exercised_with_its_level() -> None:
    """Across the cases, each rule produces at least one finding, with the status its level says."""
    seen: dict[str, set[str]] = {}
    for case in CASES:
        for f in _expected(case)["findings"]:
            seen.setdefault(f["rule"], set()).add(f["status"])
    assert set(seen) == set(RULES)
    for rule_id, statuses in seen.items():
        normal = {"error": "breaking", "warning": "warning", "note": "compatible"}
        level = RULES[rule_id].level.value
        assert statuses & {normal[level], "accepted", "bumped"}, (rule_id, statuses)


def _run(*args: str, cwd: Path = HERE / "cases") -> subprocess.CompletedProcess[str]:
    return kit.run([SPECLOOM, "diff", *args], cwd, environ=os.environ)


def test_cli_breaking_change_exits_1_naming_rule_subject_and_location() -> None:
    proc = _run("PARAM_NO_DELETE/old", "PARAM_NO_DELETE/new")
    assert proc.returncode == 1
    where = "PARAM_NO_DELETE/new/contracts/catalog.v1.yaml:7:5"
    assert (
        f"{where}: error[PARAM_NO_DELETE]: Catalog@1.find: parameter 'query' removed" in proc.stdout
    )
    last = proc.stderr.strip().splitlines()[-1]
    assert last == (
        "error: 1 breaking change(s) without a new major version; first: PARAM_NO_DELETE "
        f"in Catalog@1.find at {where}"
    )
    assert "Traceback" not in proc.stderr


def test_cli_compatible_change_and_version_bump_exit_0() -> None:
    for case in ("PARAM_ADDED", "bump_keeps_old", "accepted_inline"):
        proc = _run(f"{case}/old", f"{case}/new")
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert proc.stderr == ""


def test_cli_json_report() -> None:
    proc = _run("CONSTRAINT_NO_TIGHTEN/old", "CONSTRAINT_NO_TIGHTEN/new", "--format", "json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["exit_code"] == 1
    assert data["summary"]["breaking"] == 1
    (finding,) = data["findings"]
    assert finding["rule"] == "CONSTRAINT_NO_TIGHTEN"
    assert finding["level"] == "error" and finding["breaking"] is True
    assert (finding["contract"], finding["method"]) == ("Catalog@1", "find")
    assert finding["path"].endswith("new/contracts/catalog.v1.yaml") and finding["line"] == 9
    assert "maximum 100 -> 50" in finding["message"]


def test_cli_accepted_change_is_listed_with_its_reason() -> None:
    proc = _run("accepted_config/old", "accepted_config/new")
    assert proc.returncode == 0
    assert "(accepted: callers catch every error; accepted_config/new/system.yaml:6)" in (
        proc.stdout
    )


def test_cli_ignore_and_fail_on() -> None:
    proc = _run("ERROR_NO_ADD/old", "ERROR_NO_ADD/new", "--ignore", "ERROR_NO_ADD")
    assert proc.returncode == 0 and "accepted: ignored on the command line" in proc.stdout
    proc = _run("ERROR_NO_ADD/old", "ERROR_NO_ADD/new", "--ignore", "ERROR_NO_ADDED")
    assert proc.returncode == 2 and "unknown rule(s) for --ignore: ERROR_NO_ADDED" in proc.stderr
    args = ("MODULE_PROVIDER_CHANGED/old", "MODULE_PROVIDER_CHANGED/new")
    assert _run(*args).returncode == 0
    strict = _run(*args, "--fail-on", "warning")
    assert strict.returncode == 1 and "MODULE_PROVIDER_CHANGED" in strict.stderr


def test_cli_lists_rules() -> None:
    proc = _run("--rules")
    assert proc.returncode == 0
    listed = [line.split()[0] for line in proc.stdout.splitlines()]
    assert listed == list(RULES)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give two spec folders"),
        (("PARAM_ADDED/old",), "give two spec folders"),
        (("PARAM_ADDED/old", "nowhere"), "spec folder nowhere does not exist"),
        (("--against", "HEAD", "PARAM_ADDED/old", "PARAM_ADDED/new"), "one spec folder, not two"),
    ],
)
def test_cli_usage_errors_exit_2(args: tuple[str, ...], message: str) -> None:
    proc = _run(*args)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr


def test_cli_refuses_specs_with_errors(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    build_cases.shutil.copytree(HERE / "base", broken)
    (broken / "modules" / "02-front.yaml").write_text("module: front\n", "utf-8")
    proc = _run(str(HERE / "base"), str(broken))
    assert proc.returncode == 1
    assert "the NEW specs" in proc.stderr and "have errors" in proc.stderr
    assert "02-front.yaml" in proc.stderr
