"""Judge a candidate implementation file against the module's contract examples, sandboxed.

``ContractRunner(project, module)`` is the ``run_tests(copy, method)`` callable of ``fill_file``.
It makes a throwaway scratch folder holding a copy of the generated package and of the
implementation package with the candidate in place of the module's file, starts the harness
(:mod:`generator.fill.harness`) there inside the sandbox (:mod:`generator.fill.sandbox`), and
replays every example of every contract the module provides through it
(:mod:`generator.fill.judge`).
The candidate runs only in the harness process; the comparison of its results with the examples
and the return schemas happens here, so a candidate cannot judge itself. A harness that dies,
exits, hangs past the timeout or answers nonsense fails the candidate.

A candidate passes when no example failed, no example was skipped for any reason but pending
stubs, and at least one example calling the method really exercised it. An example that also
calls methods still marked ``@stub`` is replayed up to the first such call, then counted as
pending; it exercised the method when a replayed step called it. An example calling another stub
before the method cannot check it; if no example can, the candidate is rejected with that reason
(fill the methods called earlier first: file order usually does). A method that no example calls
cannot be checked beyond "the module still imports and its examples pass"; it passes on that,
and the CLI says so under its report.

Its output is made reproducible (temporary paths, addresses, uuids), so the feedback in the next
prompt, hence its cache key, is the same when a fill is replayed.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..model.view import ModuleView
from .context import FillProject
from .engine import TestOutcome
from .judge import (
    ContractExamples,
    ExampleRun,
    Harness,
    HarnessFailed,
    HarnessTimeout,
    ImportFailed,
    ResultChecker,
    replay_examples,
    report,
)
from .sandbox import Sandbox, limits, minimal_env
from .stubs import find_stubs

DEFAULT_TEST_TIMEOUT = 120.0
HARNESS = Path(__file__).with_name("harness.py")
_REPLAYED = re.compile(r"\(replayed (\d+) of \d+ steps\)")
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")


@dataclass(frozen=True)
class Case:
    """The result of one example against the implementation."""

    status: str  # "passed", "failed", "skipped"
    message: str


@dataclass
class ContractRunner:
    """``run_tests(copy, method)`` for the implementation file of one module."""

    project: FillProject
    module: ModuleView
    timeout: float = DEFAULT_TEST_TIMEOUT
    python: str = sys.executable
    sandbox: Sandbox = field(default_factory=lambda: Sandbox("none"))

    def __call__(self, copy: Path, method: str) -> TestOutcome:
        started = time.monotonic()
        base = Path(tempfile.mkdtemp(prefix="specloom-tests-"))
        try:
            passed, output, reason = self._run(base, copy, method)
        finally:
            shutil.rmtree(base, ignore_errors=True)
        output, reason = self._stable(output, base), self._stable(reason, base)
        return TestOutcome(passed, output, time.monotonic() - started, reason)

    # --- steps -------------------------------------------------------------------------------

    def _run(self, base: Path, copy: Path, method: str) -> tuple[bool, str, str]:
        """``(passed, output, reason)``: the reason of a failure is computed here, from what
        the harness said, never taken from the candidate's own output."""
        view = self.project.view
        box = base / "box"  # the only folder the candidate may write to
        for sub in ("home", "tmp", "generated", "impl-root"):
            (box / sub).mkdir(parents=True)
        skip = shutil.ignore_patterns("__pycache__", "*.pyc")
        shutil.copytree(self.project.out / view.package, box / "generated" / view.package,
                        ignore=skip)  # fmt: skip
        package = box / "impl-root" / view.impl_package
        shutil.copytree(self.project.impl_dir, package, ignore=skip)
        candidate = copy.read_bytes()
        (package / f"{self.module.name}.py").write_bytes(candidate)
        roots = [str(box / "generated"), str(box / "impl-root")]
        argv = [self.python, "-I", "-B", str(HARNESS), *roots]
        argv += [view.impl_package, view.package, self.module.name]
        pending = [s.name for s in find_stubs(candidate.decode("utf-8")) if s.name != method]
        harness = Harness(
            command=self.sandbox.command(box, argv),
            env=minimal_env(box),
            cwd=box,
            timeout=self.timeout,
            log=base / "harness.log",
            preexec=limits(self.timeout),
        )
        contracts = [
            ContractExamples(
                key=c.key,
                stem=f"test_{c.slug}",
                examples=c.examples,
                returns={m.name: m.returns_schema for m in c.methods},
            )
            for c in self.module.provides
        ]
        try:
            with harness:
                runs = replay_examples(
                    harness, contracts, self.module.name, pending,
                    ResultChecker(self.project.types),
                )  # fmt: skip
        except ImportFailed as exc:
            why = "the candidate file does not import (see above)"
            return False, f"{exc}\n{why}", f"{_last_line(str(exc))}: {why}"
        except HarnessTimeout:
            why = (
                f"the contract tests did not finish within {self.timeout:g} s and were stopped "
                f"(an endless loop or a blocking call in {method}?)"
            )
            return False, f"{harness.stderr().rstrip()}\n{why}".lstrip(), why
        except HarnessFailed as exc:
            return False, f"{harness.stderr().rstrip()}\n{exc}".lstrip(), str(exc)
        output = report(runs)
        noise = harness.stderr().strip()
        if noise:
            output += f"\ncaptured stderr:\n{noise}"
        examples = [
            (f"test_{contract.slug}", example)
            for contract, example in self.project.examples_calling(self.module, method)
        ]
        verdict = judge(cases_of(runs), examples, method, pending)
        if verdict is None:
            return True, output, ""
        detail = next((r.message for r in runs if r.status == "failed"), "")
        return False, f"{output}\n{verdict}", detail or verdict

    def _stable(self, output: str, base: Path) -> str:
        box = base / "box"
        output = output.replace(str(box / "impl-root"), str(self.project.impl_root.resolve()))
        output = output.replace(str(box / "generated"), str(self.project.out.resolve()))
        output = output.replace(str(base), "<scratch>")
        output = output.replace(f"{self.project.root.resolve()}{os.sep}", "")  # project-relative
        output = _ADDRESS.sub("0x…", output)
        return _UUID.sub("<uuid>", output)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"


def cases_of(runs: Sequence[ExampleRun]) -> dict[tuple[str, str], Case]:
    """The example runs as ``(test file stem, test name) -> Case``, as :func:`judge` reads them."""
    status = {"passed": "passed", "failed": "failed", "pending": "skipped", "skipped": "skipped"}
    return {
        (run.stem, f"test_implementation[{run.name}]"): Case(status[run.status], run.message)
        for run in runs
    }


def judge(
    cases: Mapping[tuple[str, str], Case],
    examples: Sequence[tuple[str, Mapping[str, Any]]],
    method: str,
    pending: Sequence[str],
) -> str | None:
    """Why a test run that had no failures still does not show ``method`` works (None: it does).

    ``examples`` are ``(test file stem, example)`` for those calling ``method``; ``pending`` the
    other stubs left in the candidate.
    """
    by_name = {
        (stem, name[len("test_implementation[") : -1]): case
        for (stem, name), case in cases.items()
        if name.startswith("test_implementation[") and name.endswith("]")
    }
    if any(c.status == "failed" for c in cases.values()):
        return "some contract tests failed"
    for (_, name), ran in by_name.items():
        if ran.status == "skipped" and not ran.message.startswith("pending:"):
            return f"example {name!r} could not run: {ran.message}"
    exercised = 0
    blockers: set[str] = set()
    for stem, example in examples:
        name = example["name"]
        case = by_name.get((stem, name))
        if case is None:
            return f"the contract test of example {name!r} did not run"
        if case.status == "passed":
            exercised += 1
            continue
        found = _REPLAYED.search(case.message)
        steps = example["steps"][: int(found.group(1)) if found else 0]
        if any(step["call"] == method for step in steps):
            exercised += 1
            continue
        first = next(i for i, step in enumerate(example["steps"]) if step["call"] == method)
        blockers.update(s["call"] for s in example["steps"][:first] if s["call"] in pending)
    if examples and not exercised:
        waiting = ", ".join(sorted(blockers)) or "other stubs"
        return (
            f"no contract example can check {method} yet: each one calls {waiting} before it, "
            "still a stub; fill those first"
        )
    return None
