"""``specloom validate`` as a user runs it: real subprocesses, output formats and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from clikit import Run
from spectree import CASES, copy_notes, edit

from generator.errors import Diagnostic, Severity

MISSPELT = (
    "specs/modules/02-notes.yaml:8:12: error[E_UNKNOWN_CONTRACT]: module notes refers to "
    "unknown contract 'KeyValu@1' (hint: did you mean 'KeyValue@1'?)"
)
GITHUB = re.compile(
    r"^::(error|warning) file=[^,:]+(,line=[1-9]\d*,col=[1-9]\d*)?,title=[EW]_[A-Z_]+::.+$"
)


@pytest.fixture
def misspelt(tmp_path: Path) -> Path:
    copy_notes(tmp_path)
    edit(tmp_path, "specs/modules/02-notes.yaml", "[KeyValue@1]", "[KeyValu@1]")
    return tmp_path


@pytest.mark.parametrize("folder", ["specs", "examples/notes/specs"])
def test_shipped_specs_validate_silently(specloom: Run, folder: str) -> None:
    r = specloom("validate", folder)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_misspelt_contract_is_one_line_naming_file_and_suggestion(
    specloom: Run, misspelt: Path
) -> None:
    r = specloom("validate", "specs", cwd=misspelt)
    assert r.returncode == 1
    assert r.stdout == ""
    assert r.stderr.splitlines() == [MISSPELT]


def test_default_folder_is_specs(specloom: Run, misspelt: Path) -> None:
    r = specloom("validate", cwd=misspelt)
    assert (r.returncode, r.stderr.splitlines()) == (1, [MISSPELT])


def test_json_format(specloom: Run, misspelt: Path) -> None:
    r = specloom("validate", "specs", "--format", "json", cwd=misspelt)
    assert (r.returncode, r.stderr) == (1, "")
    assert json.loads(r.stdout) == [
        {
            "path": "specs/modules/02-notes.yaml",
            "line": 8,
            "col": 12,
            "code": "E_UNKNOWN_CONTRACT",
            "message": "module notes refers to unknown contract 'KeyValu@1'",
            "hint": "did you mean 'KeyValue@1'?",
            "severity": "error",
        }
    ]


def test_json_format_of_clean_specs_is_an_empty_list(specloom: Run) -> None:
    r = specloom("validate", "examples/notes/specs", "--format", "json")
    assert (r.returncode, json.loads(r.stdout), r.stderr) == (0, [], "")


def test_json_and_text_formats_agree(specloom: Run) -> None:
    case = CASES / "many_errors_collected"
    as_json = json.loads(specloom("validate", "specs", "--format", "json", cwd=case).stdout)
    as_text = specloom("validate", "specs", cwd=case).stderr.splitlines()
    rebuilt = [Diagnostic(**{**d, "severity": Severity(d["severity"])}) for d in as_json]
    assert [d.format_text() for d in rebuilt] == as_text
    assert len(as_text) == 3


def test_github_format(specloom: Run, misspelt: Path) -> None:
    r = specloom("validate", "specs", "--format", "github", cwd=misspelt)
    assert (r.returncode, r.stderr) == (1, "")
    assert r.stdout.splitlines() == [
        "::error file=specs/modules/02-notes.yaml,line=8,col=12,title=E_UNKNOWN_CONTRACT::module "
        "notes refers to unknown contract 'KeyValu@1' (hint: did you mean 'KeyValue@1'?)"
    ]


@pytest.mark.parametrize("case", ["many_errors_collected", "no_system", "warning_unused_contract"])
def test_github_format_lines_are_annotations(specloom: Run, case: str) -> None:
    r = specloom("validate", "specs", "--format", "github", cwd=CASES / case)
    out = r.stdout.splitlines()
    assert out and all(GITHUB.match(line) for line in out), out


def test_github_format_of_a_whole_folder_problem_has_no_line(specloom: Run) -> None:
    r = specloom("validate", "specs", "--format", "github", cwd=CASES / "no_system")
    assert r.stdout.startswith("::error file=specs,title=E_NO_SYSTEM::no system.yaml")


def test_github_format_escapes_properties(specloom: Run, tmp_path: Path) -> None:
    odd = tmp_path / "a:b,c"
    odd.mkdir()
    copy_notes(odd)
    edit(odd, "specs/modules/02-notes.yaml", "[KeyValue@1]", "[KeyValu@1]")
    r = specloom("validate", "a:b,c/specs", "--format", "github", cwd=tmp_path)
    assert r.stdout.startswith("::error file=a%3Ab%2Cc/specs/modules/02-notes.yaml,line=8,")


def test_github_escapes_message_data() -> None:
    d = Diagnostic("f.yaml", 1, 2, "E_SCHEMA", "100% bad\nsecond line")
    assert (
        d.format_github()
        == "::error file=f.yaml,line=1,col=2,title=E_SCHEMA::100%25 bad%0Asecond line"
    )


def test_warnings_alone_exit_zero(specloom: Run) -> None:
    r = specloom("validate", "specs", cwd=CASES / "warning_unused_contract")
    assert r.returncode == 0
    assert r.stderr.splitlines() == (
        (CASES / "warning_unused_contract" / "expected.txt").read_text().splitlines()
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "no-such-folder"], "error: spec folder no-such-folder does not exist"),
        (["validate"], "error: spec folder specs does not exist"),  # the default
        (["validate", "README.md"], "Directory 'README.md' is a file"),
        (["validate", "specs", "--bogus"], "No such option '--bogus'"),
        (["validate", "specs", "--format", "xml"], "Invalid value for '--format'"),
        (["validate", "specs", "extra"], "Got unexpected extra argument (extra)"),
        (["plan", "no-such-folder"], "error: spec folder no-such-folder does not exist"),
        (["schema", "nonsense"], "'nonsense' is not one of 'system'"),
    ],
)
def test_usage_errors_exit_two(
    specloom: Run, tmp_path: Path, args: list[str], message: str
) -> None:
    cwd = tmp_path if args == ["validate"] else Path(__file__).resolve().parents[2]
    r = specloom(*args, cwd=cwd)
    assert r.returncode == 2
    assert message in r.stderr
    assert "Traceback" not in r.stderr


def test_help_has_examples(specloom: Run) -> None:
    r = specloom("validate", "--help")
    assert r.returncode == 0
    assert "specloom validate specs --format github" in r.stdout
