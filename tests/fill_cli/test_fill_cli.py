"""``specloom fill`` end to end: scaffold project, fake Ollama, real subprocesses and tests."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from fake_ollama import FakeOllama
from fill_bodies import (
    GET,
    KEY_MISSING,
    NOTE_NOT_FOUND,
    NOTES_ANSWERS,
    PUT,
    STORE_ANSWERS,
    WRONG_PUT,
    answer,
)
from fill_cli_kit import MODEL, run, specloom_fill

from generator.fill.prompt import ANSWER_SCHEMA
from generator.fill.stubs import find_stubs

STORE_METHODS = ["put", "get", "delete", "keys"]
NOTES_METHODS = ["create_note", "get_note", "find_by_tag"]


def read(project: Path, module: str) -> str:
    return (project / "impl" / f"{module}.py").read_text(encoding="utf-8")


def outside(source: str, methods: list[str]) -> list[str]:
    """The lines of ``source`` outside the named methods (decorators count as inside)."""
    inside: set[int] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in methods:
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            inside.update(range(start - 1, node.end_lineno or node.lineno))
    return [line for i, line in enumerate(source.splitlines()) if i not in inside]


def assert_changed_only_inside(before: str, after: str, methods: list[str], imports: list[str]):
    """``after`` is ``before`` with only these methods replaced and these import lines added."""
    rest = outside(after, methods)
    for line in imports:
        assert line in rest, f"import {line!r} was not added"
        rest.remove(line)
    assert rest == outside(before, methods)


def report_rows(stdout: str) -> list[tuple[str, str, str, str]]:
    """(module, method, attempts, outcome) of each row of the report table."""
    rows = []
    for line in stdout.splitlines():
        cells = line.split()
        if len(cells) == 5 and cells[3] in ("filled", "failed", "skipped"):
            rows.append((cells[0], cells[1], cells[2], cells[3]))
    return rows


def test_fill_turns_every_stub_into_code_that_passes_the_contract_tests(
    project: Path, fake: FakeOllama
) -> None:
    before = {m: read(project, m) for m in ("store", "notes")}
    fake.push(*STORE_ANSWERS, *NOTES_ANSWERS)
    done = specloom_fill(project, host=fake.url)  # host from OLLAMA_HOST, model from system.yaml
    assert done.returncode == 0, done.stdout + done.stderr
    assert report_rows(done.stdout) == [
        *(("store", m, "1", "filled") for m in STORE_METHODS),
        *(("notes", m, "1", "filled") for m in NOTES_METHODS),
    ]
    assert "7 filled, 0 failed, 0 skipped" in done.stdout
    assert "store.put: attempt 1/3, waiting on qwen2.5-coder:7b ..." in done.stderr
    assert "store.put: attempt 1/3: passed" in done.stderr

    after = {m: read(project, m) for m in ("store", "notes")}
    assert find_stubs(after["store"]) == [] and find_stubs(after["notes"]) == []
    assert_changed_only_inside(before["store"], after["store"], STORE_METHODS, [KEY_MISSING])
    assert_changed_only_inside(
        before["notes"], after["notes"], NOTES_METHODS, [KEY_MISSING, NOTE_NOT_FOUND]
    )

    env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    tests = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rs", "-q",
                 "generated/tests"], project, env)  # fmt: skip
    assert tests.returncode == 0, tests.stdout
    assert "skipped" not in tests.stdout and " passed" in tests.stdout
    health = run([sys.executable, "-m", "notes", "health"], project / "generated")
    assert health.returncode == 0, health.stderr
    modes = {line.split()[0]: line.split()[3] for line in health.stdout.splitlines()[1:]}
    assert modes == {"store": "impl", "notes": "impl"}

    chats = fake.chats
    assert len(chats) == 7
    assert chats[0].body["model"] == MODEL and chats[0].body["format"] == ANSWER_SCHEMA
    first = chats[0].prompt
    for expected in (
        "Module: store (contract KeyValue@1)",
        "async def put(self, key: str, value: dict[str, Any]) -> bool",
        '"pattern": "^[a-z0-9:_-]+$"',
        '"name": "put then get returns the value"',
        "Keep values by key.",
        "@stub\n    async def put(",
    ):
        assert expected in first, expected
    assert (
        "KeyMissing: No value is stored under the key. (import: " + KEY_MISSING in chats[1].prompt
    )
    assert "new = key not in values" in chats[1].prompt  # the file as filled so far
    notes_prompt = chats[4].prompt
    assert "await self.deps.key_value.keys(prefix: str = '') -> list[str]" in notes_prompt
    assert "self.config.id_prefix: str = 'n'" in notes_prompt
    assert '"title": "Note"' in notes_prompt  # the shared type, inlined into the return schema


def test_wrong_body_then_correct_one_retries_with_the_test_output(
    project: Path, fake: FakeOllama
) -> None:
    before = read(project, "store")
    fake.push(answer(WRONG_PUT), answer(PUT))
    done = specloom_fill(project, "store", "--method", "put", host=fake.url)
    assert done.returncode == 0, done.stdout + done.stderr
    assert report_rows(done.stdout) == [
        ("store", "put", "2", "filled"),
        *(("store", m, "0", "skipped") for m in STORE_METHODS[1:]),
    ]
    first, second = (chat.prompt for chat in fake.chats)
    assert "Your previous attempt failed" not in first
    assert "Your previous attempt failed" in second
    assert "    return True\n```\nfailed the contract tests" in second  # the failing method
    assert (
        "example 'put then get returns the value', step 2 (put({'key': 'note:1', 'value': "
        "{'title': 'Hello'}})): expected result to be False, got True" in second
    )
    assert "specloom-tests-" not in second and "specloom-fill-" not in second  # no temp paths
    assert "store.put: attempt 1/3: contract tests failed: " in done.stderr
    after = read(project, "store")
    assert [s.name for s in find_stubs(after)] == STORE_METHODS[1:]
    assert_changed_only_inside(before, after, ["put"], [])


def test_a_method_that_no_example_can_reach_yet_is_not_written(
    project: Path, fake: FakeOllama
) -> None:
    # Both examples calling get call put (still a stub) first: nothing can check get yet.
    before = read(project, "store")
    fake.push(answer(GET, KEY_MISSING))
    done = specloom_fill(project, "store", "--method", "get", "--attempts", "1", host=fake.url)
    assert done.returncode == 1
    assert ("store", "get", "1", "failed") in report_rows(done.stdout)
    assert (
        "store.get: contract tests failed: no contract example can check get yet: each one "
        "calls delete, put before it, still a stub; fill those first" in done.stdout
    )
    assert read(project, "store") == before


def test_dry_run_prints_the_diff_and_writes_nothing(project: Path, fake: FakeOllama) -> None:
    before = (project / "impl" / "store.py").read_bytes()
    fake.push(answer(PUT))
    done = specloom_fill(project, "store", "--method", "put", "--dry-run", host=fake.url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("--- a/impl/store.py\n+++ b/impl/store.py\n@@ ")
    assert "-    @stub\n     async def put(" in done.stdout
    assert "+        new = key not in values\n" in done.stdout
    assert ("store", "put", "1", "filled") in report_rows(done.stdout)
    assert (project / "impl" / "store.py").read_bytes() == before
    diff = done.stdout[: done.stdout.index("module  ")]
    patch = subprocess.run(  # the diff is a real patch: git applies it (outside any repository)
        ["git", "apply", "-"], cwd=project, input=diff, capture_output=True, text=True, check=False
    )
    assert patch.returncode == 0, patch.stderr
    assert [s.name for s in find_stubs(read(project, "store"))] == STORE_METHODS[1:]


def test_replay_from_the_cache_works_with_the_server_gone(project: Path) -> None:
    scaffold = (project / "impl" / "store.py").read_bytes()
    with FakeOllama([answer(WRONG_PUT), answer(PUT)], models=[MODEL]) as fake:
        first = specloom_fill(project, "store", "--method", "put", host=fake.url)
        url = fake.url
    assert first.returncode == 0, first.stderr
    filled = (project / "impl" / "store.py").read_bytes()
    assert list((project / ".specloom" / "fill-cache").rglob("*.json"))

    (project / "impl" / "store.py").write_bytes(scaffold)
    replay = specloom_fill(project, "store", "--method", "put", host=url)  # nobody listens
    assert replay.returncode == 0, replay.stderr
    assert report_rows(replay.stdout) == report_rows(first.stdout)
    assert (project / "impl" / "store.py").read_bytes() == filled
    assert replay.stderr.count("cached answer") == 2  # the retry prompt had the same feedback
    assert "checking Ollama" not in replay.stderr

    (project / "impl" / "store.py").write_bytes(scaffold)
    fresh = specloom_fill(project, "store", "--method", "put", "--no-cache", host=url)
    assert fresh.returncode == 1
    assert fresh.stderr.splitlines()[-1] == (
        f"error: cannot reach Ollama at {url}: connection refused; start it with "
        "`ollama serve` or pass --host"
    )
    assert "Traceback" not in fresh.stderr
    assert (project / "impl" / "store.py").read_bytes() == scaffold


def test_nothing_to_fill_needs_no_server(project: Path) -> None:
    for module in ("store", "notes"):
        shutil.copy(Path(__file__).parents[2] / "examples/notes/impl" / f"{module}.py",
                    project / "impl" / f"{module}.py")  # fmt: skip
    done = specloom_fill(project, host="http://127.0.0.1:9")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "nothing to fill: no selected @stub method left\n"
    assert not re.search(r"checking Ollama|waiting on", done.stderr)
