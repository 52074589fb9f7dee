"""``specloom init`` refuses bad input with one clean line and leaves nothing half-made."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from initkit import specloom

from generator.cli import main


def one_line_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.mark.parametrize(
    ("answer", "says"),
    [
        ("package_name=My-Shop", "not a Python identifier"),
        ("package_name=json", "is taken"),
        ("package_name=class", "is taken"),
        ("package_name=impl", "is taken"),
        ("starter=huge", "Invalid choice for 'starter'"),
        ("specloom_source=my path", "must not contain spaces"),
        ("ollama_model=two words", "the model is a name like"),
    ],
)
def test_copier_validators_reject_bad_answers(tmp_path: Path, answer: str, says: str) -> None:
    target = tmp_path / "proj"
    done = CliRunner().invoke(main, ["init", str(target), "--defaults", "-d", answer])
    assert done.exit_code == 2, done.output
    line = one_line_error(done.stderr)
    assert says in line and answer.split("=")[0] in line
    assert not target.exists()  # copier cleaned up the folder it created


def test_a_folder_name_that_is_no_package_name_needs_data(tmp_path: Path) -> None:
    done = specloom("init", tmp_path / "json", "--defaults", check=False)
    assert done.returncode == 2 and "--data" in one_line_error(done.stderr)
    specloom("init", tmp_path / "json", "--defaults", "-d", "package_name=json_tool")
    answers = yaml.safe_load((tmp_path / "json" / ".copier-answers.yml").read_text("utf-8"))
    assert answers["project_name"] == "json" and answers["package_name"] == "json_tool"


def test_non_empty_target_needs_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n", "utf-8")
    done = specloom("init", target, "--defaults", check=False)
    assert done.returncode == 2
    assert "is not empty" in one_line_error(done.stderr) and "--overwrite" in done.stderr
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    specloom("init", target, "--defaults", "--overwrite")
    assert (target / "notes.txt").read_text("utf-8") == "mine\n"
    assert (target / "generated").is_dir() and (target / "Makefile").is_file()


def test_unknown_data_and_bad_pairs_are_usage_errors(tmp_path: Path) -> None:
    done = specloom("init", tmp_path / "a", "--defaults", "-d", "pakage_name=x", check=False)
    assert done.returncode == 2
    assert "pakage_name" in one_line_error(done.stderr) and "package_name" in done.stderr
    done = specloom("init", tmp_path / "b", "--defaults", "-d", "no-equals", check=False)
    assert done.returncode == 2 and "NAME=VALUE" in one_line_error(done.stderr)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_questions_need_a_terminal_or_defaults(tmp_path: Path) -> None:
    done = specloom("init", tmp_path / "p", check=False)  # stdin is not a terminal here
    assert done.returncode == 2 and "--defaults" in one_line_error(done.stderr)
    assert not (tmp_path / "p").exists()


def test_help_shows_examples() -> None:
    out = specloom("init", "--help").stdout
    assert "specloom init my-system --defaults" in out and "--overwrite" in out
