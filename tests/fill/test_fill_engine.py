"""fill_file end to end: real ollama client, fake server, real files, real test subprocesses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fake_ollama import FakeOllama

from generator.fill import FillError, LlmError
from generator.fill.engine import FillResult, TestOutcome, fill_file, format_report
from generator.fill.prompt import StubContext
from generator.fill.splice import splice
from generator.fill.stubs import Stub, find_stubs, split_lines


def _context(stub: Stub) -> StubContext:
    return StubContext(
        module="inventory",
        contract="Inventory@1",
        method=stub.name,
        signature=stub.header,
        docstring=stub.docstring or "",
        errors={"ItemNotFound": "no row with this id"},
    )


def _fill(kit: Any, impl: Path, host: str, **kw: Any) -> tuple[list[FillResult], list[str]]:
    messages: list[str] = []
    kw.setdefault("run_tests", kit.run_checker)
    kw.setdefault("timeout", 5.0)
    results = fill_file(
        impl,
        _context,
        model=kit.MODEL,
        host=host,
        cache_dir=impl.parent.parent / ".specloom" / "fill-cache",
        progress=messages.append,
        **kw,
    )
    return results, messages


def _outcomes(results: list[FillResult]) -> list[tuple[str, int, str]]:
    return [(r.method, r.attempts, r.outcome) for r in results]


def test_correct_body_fills_the_stub_and_nothing_else(
    kit: Any, server: FakeOllama, impl_file: Path
) -> None:
    server.push(kit.structured(kit.GOOD_TOTAL))
    results, messages = _fill(kit, impl_file, server.url, only_methods={"total"})
    assert _outcomes(results) == [
        ("create", 0, "skipped"),
        ("total", 1, "filled"),
        ("get", 0, "skipped"),
    ]
    stub = next(s for s in find_stubs(kit.IMPL) if s.name == "total")
    text = impl_file.read_text(encoding="utf-8")
    assert text == splice(kit.IMPL, stub, kit.GOOD_TOTAL, [])
    before, after = split_lines(kit.IMPL), split_lines(text)
    assert after[: stub.lineno - 1] == before[: stub.lineno - 1]
    assert after[stub.lineno - 1 + 3 :] == before[stub.end_lineno :]
    assert "inventory.total: attempt 1/3, waiting on qwen2.5-coder:7b ..." in messages
    assert [p.name for p in impl_file.parent.iterdir()] == ["inventory.py"]


def test_all_stubs_in_order_later_ones_see_earlier_fills(
    kit: Any, server: FakeOllama, impl_file: Path
) -> None:
    server.push(
        kit.structured(kit.GOOD_CREATE, ["import uuid"]),
        f"Here you go:\n```python\n{kit.GOOD_TOTAL}```",
        kit.structured(kit.GOOD_GET),
    )
    copies: list[Path] = []

    def run_tests(copy: Path, method: str) -> TestOutcome:
        copies.append(copy)
        outcome: TestOutcome = kit.run_checker(copy, method)
        return outcome

    results, _ = _fill(kit, impl_file, server.url, run_tests=run_tests)
    assert _outcomes(results) == [
        ("create", 1, "filled"),
        ("total", 1, "filled"),
        ("get", 1, "filled"),
    ]
    text = impl_file.read_text(encoding="utf-8")
    assert "from typing import Any\nimport uuid\n" in text
    assert find_stubs(text) == []
    assert "uuid.uuid4().hex" in server.chats[1].prompt  # the 2nd prompt shows the 1st fill
    assert server.chats[0].body["format"]["required"] == ["imports", "code"]
    assert not any(copy.exists() for copy in copies)  # temporary copies are gone
    for method in ("create", "total", "get"):  # the written file passes every check
        assert kit.run_checker(impl_file, method).passed


def test_wrong_body_then_correct_one_fills_on_attempt_2_with_feedback(
    kit: Any, server: FakeOllama, impl_file: Path
) -> None:
    server.push(kit.structured(kit.WRONG_TOTAL), kit.structured(kit.GOOD_TOTAL))
    results, messages = _fill(kit, impl_file, server.url, only_methods={"Inventory.total"})
    assert _outcomes(results)[1] == ("total", 2, "filled")
    first, second = server.chats
    assert "Your previous attempt failed" not in first.prompt
    assert "Your previous attempt failed" in second.prompt
    assert "AssertionError: total([1], start=10) == 1" in second.prompt
    assert "return sum(values)" in second.prompt  # the failing method is quoted back
    assert str(impl_file.parent / "check_candidate.py") in second.prompt  # not the temp copy
    assert "specloom-fill-" not in second.prompt
    assert any("contract tests failed: AssertionError: total([1], start=10)" in m for m in messages)


def test_rejected_answer_feedback_reaches_the_next_prompt(
    kit: Any, server: FakeOllama, impl_file: Path
) -> None:
    server.push("def total(self, values:\n", kit.structured(kit.GOOD_TOTAL))
    results, _ = _fill(kit, impl_file, server.url, only_methods={"total"})
    assert _outcomes(results)[1] == ("total", 2, "filled")
    assert "Your answer was rejected: syntax error at line 1" in server.chats[1].prompt


def test_hang_then_correct_answer(kit: Any, server: FakeOllama, impl_file: Path) -> None:
    server.push("hang", kit.structured(kit.GOOD_TOTAL))
    results, messages = _fill(kit, impl_file, server.url, only_methods={"total"}, timeout=1)
    assert _outcomes(results)[1] == ("total", 2, "filled")
    assert "inventory.total: attempt 1/3: Ollama did not answer within 1 s" in messages


OTHER_METHODS = (
    "class Inventory:\n"
    "    def read(self, id: str) -> dict[str, Any] | None:\n"
    "        return None\n\n"
    "    def total(self, values: list[int], *, start: int = 0) -> int:\n"
    "        return start + sum(values)\n"
)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("```python\ndef total(self, values\n```", "answer rejected: syntax error at line 1"),
        (
            "def total(self, values: list[int], start: int = 0) -> int:\n    return 0\n",
            "answer rejected: signature differs: expected (self, values: list[int], *, "
            "start: int=0) -> int, got (self, values: list[int], start: int=0) -> int",
        ),
        (OTHER_METHODS, "answer rejected: answer defines other methods: read"),
        ("{}", "answer rejected: structured answer has no 'code' field"),
        ("length", "answer cut off by the length limit (done_reason=length)"),
        ("empty", "Ollama returned an empty answer"),
        ("WRONG", "contract tests failed: AssertionError: total([1], start=10) == 1"),
    ],
)
def test_every_failure_leaves_the_file_byte_identical(
    kit: Any, server: FakeOllama, impl_file: Path, answer: str, reason: str
) -> None:
    server.push(kit.structured(kit.WRONG_TOTAL) if answer == "WRONG" else answer)
    results, _ = _fill(kit, impl_file, server.url, only_methods={"total"}, attempts=1)
    failed = results[1]
    assert (failed.method, failed.attempts, failed.outcome) == ("total", 1, "failed")
    assert failed.reason.startswith(reason), failed.reason
    assert impl_file.read_bytes() == kit.IMPL.encode("utf-8")
    assert [p.name for p in impl_file.parent.iterdir()] == ["inventory.py"]


def test_failed_stub_keeps_its_bytes_while_others_are_filled(
    kit: Any, server: FakeOllama, impl_file: Path
) -> None:
    server.push(kit.structured(kit.WRONG_TOTAL), kit.structured(kit.GOOD_GET))
    results, _ = _fill(kit, impl_file, server.url, only_methods={"total", "get"}, attempts=1)
    assert _outcomes(results)[1:] == [("total", 1, "failed"), ("get", 1, "filled")]
    stub = next(s for s in find_stubs(kit.IMPL) if s.name == "get")
    assert impl_file.read_text(encoding="utf-8") == splice(kit.IMPL, stub, kit.GOOD_GET, [])


def test_unknown_model_and_no_server_stop_the_run(
    kit: Any, server: FakeOllama, impl_file: Path
) -> None:
    with pytest.raises(LlmError) as info:
        fill_file(impl_file, _context, kit.run_checker, model="nope", host=server.url, timeout=5)
    assert (
        str(info.value) == f"model 'nope' is not available on {server.url}: run `ollama pull nope`"
    )
    url = kit.closed_port_url()
    with pytest.raises(LlmError, match=r"^cannot reach Ollama at .*: connection refused; start it"):
        fill_file(impl_file, _context, kit.run_checker, model=kit.MODEL, host=url, timeout=5)
    assert impl_file.read_bytes() == kit.IMPL.encode("utf-8")


def test_cache_replays_offline(kit: Any, impl_file: Path) -> None:
    with FakeOllama(models=[kit.MODEL]) as fake:
        fake.push(
            kit.structured(kit.GOOD_CREATE, ["import uuid"]),
            kit.structured(kit.WRONG_TOTAL),
            kit.structured(kit.GOOD_TOTAL),
            kit.structured(kit.WRONG_TOTAL.replace("total", "get")),
        )
        first, _ = _fill(kit, impl_file, fake.url, only_methods={"create", "total"})
        url = fake.url
    filled = impl_file.read_bytes()
    assert _outcomes(first)[:2] == [("create", 1, "filled"), ("total", 2, "filled")]

    impl_file.write_bytes(kit.IMPL.encode("utf-8"))
    second, messages = _fill(kit, impl_file, url, only_methods={"create", "total"})
    assert _outcomes(second) == _outcomes(first)
    assert impl_file.read_bytes() == filled
    assert sum("cached answer" in m for m in messages) == 3

    impl_file.write_bytes(kit.IMPL.encode("utf-8"))
    with pytest.raises(LlmError, match="cannot reach Ollama"):
        _fill(kit, impl_file, url, only_methods={"create"}, use_cache=False)


def test_dry_run_reports_a_diff_and_writes_nothing(
    kit: Any, server: FakeOllama, impl_file: Path
) -> None:
    server.push(kit.structured(kit.GOOD_TOTAL))
    diffs: list[str] = []
    results, _ = _fill(
        kit, impl_file, server.url, only_methods={"total"}, dry_run=True, on_diff=diffs.append
    )
    assert _outcomes(results)[1] == ("total", 1, "filled")
    assert impl_file.read_bytes() == kit.IMPL.encode("utf-8")
    (diff,) = diffs
    assert diff.startswith(f"--- a/{impl_file}\n+++ b/{impl_file}\n@@ ")
    assert "-    @stub\n" in diff and "+        return start + sum(values)\n" in diff
    applied = subprocess.run(  # the diff is a real, applicable patch
        [sys.executable, "-c", "import sys; print(sys.stdin.read().count('\\n@@'))"],
        input=diff,
        capture_output=True,
        text=True,
        check=True,
    )
    assert applied.stdout.strip() == "1"


def test_concurrent_edit_is_not_overwritten(kit: Any, server: FakeOllama, impl_file: Path) -> None:
    server.push(kit.structured(kit.GOOD_TOTAL))

    def run_tests(copy: Path, method: str) -> TestOutcome:
        impl_file.write_text(kit.IMPL + "# edited meanwhile\n", encoding="utf-8")
        outcome: TestOutcome = kit.run_checker(copy, method)
        return outcome

    with pytest.raises(FillError, match="changed during the fill; not overwritten"):
        _fill(kit, impl_file, server.url, only_methods={"total"}, run_tests=run_tests)
    assert impl_file.read_text(encoding="utf-8").endswith("# edited meanwhile\n")


def test_broken_impl_file_is_a_fill_error(kit: Any, tmp_path: Path) -> None:
    broken = tmp_path / "broken.py"
    broken.write_text("class A:\n    def f(self)\n", encoding="utf-8")
    with pytest.raises(FillError, match=r"broken\.py: source has a syntax error at line 2"):
        fill_file(broken, _context, kit.run_checker, model=kit.MODEL, host=None, timeout=1)


def test_format_report() -> None:
    report = format_report(
        [
            FillResult("inventory", "create", 1, "filled", "", 3.14),
            FillResult("inventory", "total", 3, "failed", "answer rejected: x", 12.0),
            FillResult("inventory", "get", 0, "skipped", "not selected", 0.0),
        ]
    )
    assert report == (
        "module     method  attempts  outcome  seconds\n"
        "inventory  create  1         filled   3.1\n"
        "inventory  total   3         failed   12.0\n"
        "inventory  get     0         skipped  0.0\n"
        "1 filled, 1 failed, 1 skipped\n"
        "inventory.total: answer rejected: x"
    )
