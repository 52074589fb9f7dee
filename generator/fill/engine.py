"""Fill the ``@stub`` methods of one implementation file, keeping only code that passes tests.

For each stub, in file order, up to ``attempts`` times: build the prompt (with the previous
failure as feedback), ask Ollama (or replay the cache), validate and splice the answer into a copy
of the file in a fresh temporary directory, and let the caller's ``run_tests(copy, method)`` judge
it. A passing candidate becomes the base of the next stubs; a failed stub keeps its bytes. The
file is written once, atomically, at the end, and only if something passed (``dry_run``: the
unified diff goes to ``on_diff`` instead). Progress goes to the ``progress`` callback, never stdout.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from generator.fill import AnswerRejected, FillError, LlmError
from generator.fill.cache import AnswerCache, atomic_write, cache_key
from generator.fill.llm import DEFAULT_OPTIONS, LlmAnswer, ask
from generator.fill.prompt import ANSWER_SCHEMA, StubContext, build_prompt, trim
from generator.fill.splice import extract_method, splice
from generator.fill.stubs import Stub, find_stubs

Outcome = Literal["filled", "failed", "skipped"]
Progress = Callable[[str], None]
PROGRESS_INTERVAL = 0.5  # seconds between two "... N chunks" messages


@dataclass(frozen=True)
class TestOutcome:
    """What the caller's contract-test run says about one candidate file."""

    __test__ = False  # not a pytest test class

    passed: bool
    output: str
    seconds: float
    reason: str = ""  # one line saying why it failed (else the output's most telling line)


@dataclass(frozen=True)
class FillResult:
    """The fate of one stub."""

    module: str
    method: str
    attempts: int
    outcome: Outcome
    reason: str
    seconds: float


@dataclass
class _Run:
    """Settings shared by every stub of one ``fill_file`` call."""

    path: Path
    module: str
    model: str
    host: str | None
    attempts: int
    timeout: float
    options: Mapping[str, Any]
    cache: AnswerCache | None
    use_cache: bool
    workdir: Path
    say: Progress
    run_tests: Callable[[Path, str], TestOutcome]
    before_ask: Callable[[], None] | None = None
    copies: int = 0


def fill_file(
    impl_path: Path,
    contexts: Callable[[Stub], StubContext],
    run_tests: Callable[[Path, str], TestOutcome],
    *,
    model: str,
    host: str | None,
    attempts: int = 3,
    timeout: float = 300.0,
    cache_dir: Path | None = None,
    use_cache: bool = True,
    dry_run: bool = False,
    only_methods: Collection[str] | None = None,
    module: str | None = None,
    options: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    on_diff: Callable[[str], None] | None = None,
    before_ask: Callable[[], None] | None = None,
) -> list[FillResult]:
    """Fill the stubs of ``impl_path``; see the module docstring. Fatal ``LlmError``s propagate
    (nothing is written then). ``only_methods`` holds ``name``, ``Class.name`` or ``module.name``
    entries; ``use_cache=False`` skips reading the cache (answers are still stored);
    ``before_ask`` runs before every call that the cache cannot answer (e.g. a server check)."""
    if attempts < 1:
        raise FillError(f"attempts must be at least 1, got {attempts}")
    path = Path(impl_path)
    original_bytes = _read(path)
    try:
        original = original_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FillError(f"{path} is not UTF-8 (byte {exc.start})") from None
    try:
        stubs = find_stubs(original)
    except FillError as exc:
        raise FillError(f"{path}: {exc}") from None
    run = _Run(
        path=path,
        module=module or path.stem,
        model=model,
        host=host,
        attempts=attempts,
        timeout=timeout,
        options=DEFAULT_OPTIONS if options is None else options,
        cache=AnswerCache(cache_dir) if cache_dir is not None else None,
        use_cache=use_cache,
        workdir=Path(tempfile.mkdtemp(prefix="specloom-fill-")),
        say=progress or (lambda _message: None),
        run_tests=run_tests,
        before_ask=before_ask,
    )
    current = original
    results: list[FillResult] = []
    try:
        for stub in stubs:
            if only_methods is not None and not _selected(stub, run.module, only_methods):
                results.append(FillResult(run.module, stub.name, 0, "skipped", "not selected", 0))
                continue
            located = _locate(current, stub)
            result, current = _fill_stub(run, located, contexts(located), current)
            results.append(result)
    finally:
        shutil.rmtree(run.workdir, ignore_errors=True)
    if current != original:
        if dry_run:
            (on_diff or run.say)(unified_diff(path, original, current))
        else:
            _write(path, original_bytes, current)
    return results


def _fill_stub(run: _Run, stub: Stub, ctx: StubContext, current: str) -> tuple[FillResult, str]:
    label = f"{run.module}.{stub.name}"
    started = time.monotonic()
    feedback: str | None = None
    reason = ""
    for attempt in range(1, run.attempts + 1):
        prefix = f"{label}: attempt {attempt}/{run.attempts}"
        messages = build_prompt(dataclasses.replace(ctx, impl_source=current), feedback)
        try:
            answer = _answer(run, messages, prefix)
        except LlmError as exc:
            if exc.fatal:
                raise
            reason = str(exc)
            feedback = f"The model call failed: {reason}. Answer with the method only, concisely."
            run.say(f"{prefix}: {reason}")
            continue
        try:
            method = extract_method(answer.text, stub)
            candidate = splice(current, stub, method.code, method.imports)
        except AnswerRejected as exc:
            reason = f"answer rejected: {exc.reason}"
            feedback = (
                f"Your answer was rejected: {exc.reason}\n"
                f"Your answer was:\n{trim(answer.text, 2500)}"
            )
            run.say(f"{prefix}: {reason}")
            continue
        run.copies += 1
        copy = run.workdir / f"{run.copies:03d}" / run.path.name
        copy.parent.mkdir()
        copy.write_bytes(candidate.encode("utf-8"))
        run.say(f"{prefix}: running the contract tests")
        outcome = run.run_tests(copy, stub.name)
        if outcome.passed:
            run.say(f"{prefix}: passed ({outcome.seconds:.1f} s of tests)")
            seconds = time.monotonic() - started
            return FillResult(run.module, stub.name, attempt, "filled", "", seconds), candidate
        output = stable_output(outcome.output, copy, run.path)
        why = _short_line(stable_output(outcome.reason, copy, run.path)) if outcome.reason else ""
        reason = f"contract tests failed: {why or _failure_line(output)}"
        feedback = (
            f"Your method:\n```python\n{trim(method.code, 2500)}\n```\n"
            f"failed the contract tests. Test output:\n{trim(output, 3000)}"
        )
        run.say(f"{prefix}: {reason}")
    seconds = time.monotonic() - started
    return FillResult(run.module, stub.name, run.attempts, "failed", reason, seconds), current


def _answer(run: _Run, messages: list[dict[str, str]], prefix: str) -> LlmAnswer:
    key = cache_key(run.model, messages, ANSWER_SCHEMA, run.options)
    if run.cache is not None and run.use_cache:
        cached = run.cache.get(key)
        if cached is not None:
            run.say(f"{prefix}: cached answer")
            return cached
    if run.before_ask is not None:
        run.before_ask()
    waiting = f"{prefix}, waiting on {run.model} ..."
    run.say(waiting)
    last = time.monotonic()

    def on_chunk(chunks: int) -> None:
        nonlocal last
        if time.monotonic() - last >= PROGRESS_INTERVAL:
            last = time.monotonic()
            run.say(f"{waiting} {chunks} chunks")

    answer = ask(
        messages,
        run.model,
        host=run.host,
        timeout=run.timeout,
        format_schema=ANSWER_SCHEMA,
        options=run.options,
        on_chunk=on_chunk,
    )
    run.say(f"{waiting} {answer.chunks} chunks, done in {answer.seconds:.1f} s")
    if run.cache is not None:
        run.cache.put(key, answer)
    return answer


_DURATION = re.compile(r"\bin \d+(?:\.\d+)?s\b")


def stable_output(output: str, copy: Path, real: Path) -> str:
    """Test output without what changes between runs (the copy's temporary path, pytest
    durations), so the next prompt - hence its cache key - is the same on replay."""
    output = output.replace(str(copy), str(real)).replace(str(copy.parent), str(real.parent))
    output = output.replace(str(copy.parent.parent), str(real.parent))
    return _DURATION.sub("in <time>", output)


def _selected(stub: Stub, module: str, only: Collection[str]) -> bool:
    return bool({stub.name, stub.qualname, f"{module}.{stub.name}"} & set(only))


def _locate(source: str, stub: Stub) -> Stub:
    """``stub`` in ``source`` (line numbers move once earlier stubs are filled)."""
    for candidate in find_stubs(source):
        if candidate.qualname == stub.qualname:
            return candidate
    raise FillError(f"stub {stub.qualname} disappeared while filling")  # pragma: no cover


_POINTER = re.compile(r"^E\s+\S|Error\b|assert", re.IGNORECASE)


def _failure_line(output: str) -> str:
    """The most telling line of a test output (pytest ``E`` line, an error, else the last)."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    if not lines:
        return "(no output)"
    line = next((s for s in lines if s.startswith("E ")), None)
    line = line or next((s for s in reversed(lines) if _POINTER.search(s)), lines[-1])
    return _short_line(line)


def _short_line(line: str) -> str:
    line = " ".join(line.split())
    return line if len(line) <= 200 else line[:197] + "..."


def unified_diff(path: Path, before: str, after: str) -> str:
    """The unified diff of the file (``a/<path>`` -> ``b/<path>``)."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise FillError(f"cannot read {path}: {exc.strerror}") from None


def _write(path: Path, original: bytes, text: str) -> None:
    if _read(path) != original:
        raise FillError(
            f"{path} changed during the fill; not overwritten (run again: answers are cached)"
        )
    try:
        atomic_write(path, text.encode("utf-8"), mode=os.stat(path).st_mode & 0o7777)
    except OSError as exc:
        raise FillError(f"cannot write {path}: {exc.strerror}") from None


def format_report(results: list[FillResult]) -> str:
    """A plain-text table (module, method, attempts, outcome, seconds) + failure reasons."""
    header = ("module", "method", "attempts", "outcome", "seconds")
    rows = [header] + [
        (r.module, r.method, str(r.attempts), r.outcome, f"{r.seconds:.1f}") for r in results
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    counts = {o: sum(r.outcome == o for r in results) for o in ("filled", "failed", "skipped")}
    lines.append(", ".join(f"{n} {o}" for o, n in counts.items()))
    lines += [f"{r.module}.{r.method}: {r.reason}" for r in results if r.outcome == "failed"]
    return "\n".join(lines)
