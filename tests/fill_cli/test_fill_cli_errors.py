"""``specloom fill`` failures: bad answers leave the file byte-identical with one report line;
server, model and usage problems are one error line with the right exit code, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fake_ollama import HANG, FakeOllama
from fill_bodies import BAD_SIGNATURE_PUT, GET, PUT, SLEEPY_PUT, SYNTAX_ERROR_PUT, answer
from fill_cli_kit import specloom_fill


@pytest.mark.parametrize(
    ("reply", "options", "reason"),
    [
        pytest.param(
            answer(SYNTAX_ERROR_PUT),
            [],
            "answer rejected: syntax error at line 1: expected ':'",
            id="syntax-error",
        ),
        pytest.param(
            answer(BAD_SIGNATURE_PUT),
            [],
            "answer rejected: signature differs: expected (self, key: str, value: dict[str, Any]) "
            "-> bool, got (self, key: str, value: dict) -> bool",
            id="wrong-signature",
        ),
        pytest.param(
            answer(PUT + "\n" + GET),
            [],
            "answer rejected: answer defines other methods: get",
            id="touches-another-method",
        ),
        pytest.param(HANG, ["--timeout", "1"], "Ollama did not answer within 1 s", id="llm-hangs"),
        pytest.param(
            answer(SLEEPY_PUT, "import time"),
            ["--test-timeout", "3"],
            "contract tests failed: the contract tests did not finish within 3 s and were "
            "stopped (an endless loop or a blocking call in put?)",
            id="candidate-hangs",
        ),
    ],
)
def test_a_bad_answer_leaves_the_file_byte_identical(
    project: Path, fake: FakeOllama, reply: str, options: list[str], reason: str
) -> None:
    before = (project / "impl" / "store.py").read_bytes()
    fake.push(reply)
    done = specloom_fill(
        project, "store", "--method", "put", "--attempts", "1", *options, host=fake.url
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert (project / "impl" / "store.py").read_bytes() == before
    assert sorted(p.name for p in (project / "impl").iterdir()) == [
        "__init__.py",
        "notes.py",
        "store.py",
    ]
    lines = done.stdout.splitlines()
    assert "store   put     1         failed" in lines[1]
    assert lines[-3] == "0 filled, 1 failed, 3 skipped"
    assert lines[-2] == f"store.put: {reason}"
    assert lines[-1].startswith("sandbox: bubblewrap: read-only file system")
    assert f"store.put: attempt 1/1: {reason}" in done.stderr
    assert "Traceback" not in done.stderr


def test_unknown_model_names_ollama_pull(project: Path, fake: FakeOllama) -> None:
    before = (project / "impl" / "store.py").read_bytes()
    done = specloom_fill(project, "--model", "nope:1b", host=fake.url)
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"error: model 'nope:1b' is not available on {fake.url}: run `ollama pull nope:1b`"
    )
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert fake.chats == []  # the server check stopped the run before any prompt
    assert (project / "impl" / "store.py").read_bytes() == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["stor"], 2, "error: unknown module 'stor'; did you mean 'store'?"),
        (["--method", "gett"], 2, "error: unknown method 'gett'; did you mean 'get'?"),
        (["notes", "--method", "put"], 2, "error: unknown method 'put' (known: "),
        (["--attempts", "0"], 2, "Invalid value for '--attempts'"),
        (["--specs", "nowhere"], 2, "error: spec folder nowhere does not exist"),
    ],
)
def test_usage_errors(project: Path, args: list[str], code: int, message: str) -> None:
    done = specloom_fill(project, *args, host="http://127.0.0.1:9")
    assert done.returncode == code
    assert message in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


def test_fill_needs_a_current_generate(project: Path) -> None:
    contract_test = project / "generated" / "tests" / "contract" / "test_key_value_v1.py"
    contract_test.write_text(contract_test.read_text() + "# edited\n", encoding="utf-8")
    stale = specloom_fill(project, host="http://127.0.0.1:9")
    assert stale.returncode == 1
    assert stale.stderr.splitlines()[-1] == (
        "error: generated is out of date or edited (1 file(s)); run `specloom generate specs` first"
    )
    shutil.rmtree(project / "generated")
    missing = specloom_fill(project, host="http://127.0.0.1:9")
    assert missing.returncode == 1
    assert missing.stderr.splitlines()[-1] == (
        "error: nothing is generated in generated yet; run `specloom generate specs` first"
    )
