"""`specloom diff --against GIT_REF`: the specs at a revision (git archive) against the folder now.

A temporary repository holds a copy of the flagship specs; the flagship change of the issue
(removing a parameter without a version bump) must fail naming the rule and the location.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SPECLOOM = str(Path(sys.executable).with_name("specloom"))
CHAT_OPTIONS = "      options: {type: object, default: {}}\n"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _diff(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run `specloom diff` in ``cwd``; git never looks above the test's temporary folder."""
    top = next(p for p in (cwd, *cwd.parents) if p.name.startswith("test_"))
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(top.parent)}
    return subprocess.run(
        [SPECLOOM, "diff", *args], cwd=cwd, capture_output=True, text=True, env=env, check=False
    )


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A git repository whose one commit holds the flagship specs under specs/."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "specs", root / "specs")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "specs")
    _git(root, "commit", "-q", "-m", "specs")
    return root


def test_flagship_param_removed_without_bump_fails_naming_rule_and_location(repo: Path) -> None:
    llm = repo / "specs" / "contracts" / "llm.v1.yaml"
    text = llm.read_text("utf-8")
    assert text.count(CHAT_OPTIONS) == 1
    text = text.replace(CHAT_OPTIONS, "")
    llm.write_text(text, "utf-8")
    chat = text.index("  chat:")
    line = text[: text.index("    params:", chat)].count("\n") + 1
    where = f"specs/contracts/llm.v1.yaml:{line}:5"

    proc = _diff(repo, "--against", "HEAD", "specs")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{where}: error[PARAM_NO_DELETE]: Llm@1.chat: parameter 'options' removed" in (
        proc.stdout
    )
    assert proc.stderr.strip().endswith(f"first: PARAM_NO_DELETE in Llm@1.chat at {where}")
    assert "HEAD:specs -> specs: 1 breaking" in proc.stdout


def test_the_same_change_accepted_inline_passes(repo: Path) -> None:
    llm = repo / "specs" / "contracts" / "llm.v1.yaml"
    text = llm.read_text("utf-8").replace(CHAT_OPTIONS, "")
    text = text.replace(
        "    errors: [ModelNotFound, LlmUnavailable]\n  list_models:",
        "    errors: [ModelNotFound, LlmUnavailable]\n    breaking:\n"
        "      - {rule: PARAM_NO_DELETE, reason: options come from the module config}\n"
        "  list_models:",
    )
    llm.write_text(text, "utf-8")
    proc = _diff(repo, "--against", "HEAD", "specs", "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert '"status": "accepted"' in proc.stdout
    assert "options come from the module config" in proc.stdout


def test_unchanged_specs_report_nothing(repo: Path) -> None:
    proc = _diff(repo, "--against", "HEAD", "specs")
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [
        "no changes",
        "HEAD:specs -> specs: 0 breaking, 0 warning, 0 accepted, 0 bumped, 0 compatible",
    ]


def test_old_paths_name_the_revision(tmp_path: Path) -> None:
    case = ROOT / "tests" / "diff" / "cases" / "CONTRACT_NO_DELETE"
    root = tmp_path / "repo"
    shutil.copytree(case / "old", root / "specs" / "shop")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "specs")
    _git(root, "commit", "-q", "-m", "specs")
    shutil.rmtree(root / "specs" / "shop")
    shutil.copytree(case / "new", root / "specs" / "shop")
    proc = _diff(root / "specs", "--against", "main", "shop")
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[0].startswith(
        "main:specs/shop/contracts/audit.v1.yaml:2:10: error[CONTRACT_NO_DELETE]: Audit@1: "
    ), proc.stdout
    assert proc.stdout.splitlines()[-1].startswith("main:specs/shop -> shop: 1 breaking")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--against", "no-such-branch", "specs"), "unknown git revision 'no-such-branch'"),
        (("--against", "--help-me", "specs"), "invalid git revision '--help-me'"),
        (("--against", "HEAD", "later"), "later does not exist at HEAD"),
    ],
)
def test_git_errors_are_one_line(repo: Path, args: tuple[str, ...], message: str) -> None:
    shutil.copytree(repo / "specs", repo / "later")
    proc = _diff(repo, *args)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: {message}"


def test_not_a_git_repository(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "specs", tmp_path / "specs")
    proc = _diff(tmp_path, "--against", "HEAD", "specs")
    assert proc.returncode == 2
    assert proc.stderr.strip() == "error: specs is not inside a git repository; --against needs one"


def test_against_head_in_the_project_repository() -> None:
    proc = subprocess.run(
        [SPECLOOM, "diff", "--against", "HEAD", "specs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    # uncommitted work may change specs/, so any report is acceptable: but it must be one
    assert proc.returncode in (0, 1), proc.stderr
    assert proc.stdout.splitlines()[-1].startswith("HEAD:specs -> specs: ")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("/etc/passwd", "a symbolic link to an absolute path (/etc/passwd)"),
        ("../../../outside.yaml", "a link pointing out of the repository"),
    ],
    ids=["absolute", "escaping"],
)
def test_a_committed_symlink_out_of_the_specs_is_a_clean_located_error(
    repo: Path, target: str, reason: str
) -> None:
    link = repo / "specs" / "types" / "linked.yaml"
    os.symlink(target, link)
    _git(repo, "add", "specs")
    _git(repo, "commit", "-q", "-m", "a link")
    done = _diff(repo, "--against", "HEAD")
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines()[-1].startswith(
        f"error: HEAD:specs/types/linked.yaml: {reason}"
    ), done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
