"""Judge a candidate implementation file with the module's generated contract tests.

``ContractRunner(project, module)`` is the ``run_tests(copy, method)`` callable of ``fill_file``.
It copies the project's implementation package to a temporary root with the candidate in place
of the module's file, runs ``python -m pytest`` on the contract tests of every contract the
module provides (the generated conftest imports implementations from ``SPECLOOM_IMPL_ROOT``) in
a subprocess with a timeout, and reads the verdict from a JUnit XML report.

A candidate passes when no test failed or errored, no example calling the method was skipped for
any reason but pending stubs (a candidate that does not import makes the tests skip), and at least
one example calling the method really exercised it. The generated tests replay an example that
also calls methods still marked ``@stub`` up to the first such call, then skip it as pending
(``check_example`` in the generated runtime says how many steps it replayed); the example
exercised the method when a replayed step called it. An example calling another stub before the
method cannot check it; if no example can, the candidate is rejected with that reason (fill the
methods called earlier first: file order usually does). A method that no example calls cannot be
checked beyond "the module still imports and its examples pass"; it passes on that, and the CLI
says so under its report.

The run is hermetic: its own ini file (the project's pytest settings and ``PYTEST_ADDOPTS`` do not
apply) and no plugin autoloading (the generated tests need none). Its output is made
reproducible (temporary paths, addresses, uuids), so the feedback in the next prompt, hence its
cache key, is the same when a fill is replayed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model.view import ModuleView
from .context import FillProject
from .engine import TestOutcome
from .stubs import find_stubs

DEFAULT_TEST_TIMEOUT = 120.0
_REPLAYED = re.compile(r"\(replayed (\d+) of \d+ steps\)")
_TRANSPORT = re.compile(r"^(in-process|nats)-")
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
IMPORT_FAILED = 17
# pytest in-process, then (tests green) the candidate module is imported once more by name: a
# module whose contracts have no example is still shown to import.
_PROBE = f"""\
import importlib, sys, traceback
import pytest
code = int(pytest.main(sys.argv[2:]))
if code == 0:
    try:
        importlib.import_module(sys.argv[1])  # the conftest put the candidate's root on sys.path
    except BaseException:
        traceback.print_exc(limit=-3)
        sys.exit({IMPORT_FAILED})
sys.exit(code)
"""
_INI = "[pytest]\ndisable_test_id_escaping_and_forfeit_all_rights_to_community_support = true\n"


@dataclass(frozen=True)
class Case:
    """One ``test_implementation[<example>]`` result from the JUnit report."""

    status: str  # "passed", "failed", "skipped"
    message: str


@dataclass
class ContractRunner:
    """``run_tests(copy, method)`` for the implementation file of one module."""

    project: FillProject
    module: ModuleView
    timeout: float = DEFAULT_TEST_TIMEOUT
    python: str = sys.executable

    def __call__(self, copy: Path, method: str) -> TestOutcome:
        started = time.monotonic()
        root = Path(tempfile.mkdtemp(prefix="specloom-tests-"))
        try:
            passed, output = self._run(root, copy, method)
        finally:
            shutil.rmtree(root, ignore_errors=True)
        output = self._stable(output, root)
        return TestOutcome(passed, output, time.monotonic() - started)

    # --- steps -------------------------------------------------------------------------------

    def _run(self, root: Path, copy: Path, method: str) -> tuple[bool, str]:
        package = root / self.project.view.impl_package
        shutil.copytree(
            self.project.impl_dir, package, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
        candidate = copy.read_bytes()
        (package / f"{self.module.name}.py").write_bytes(candidate)
        report = root / "report.xml"
        ini = root / "pytest.ini"
        ini.write_text(_INI, encoding="utf-8")
        out = self.project.out.resolve()
        command = [
            self.python,
            "-c",
            _PROBE,
            f"{self.project.view.impl_package}.{self.module.name}",
            "-q",
            "-p",
            "no:cacheprovider",
            "--tb=line",
            "-c",
            str(ini),
            "--rootdir",
            str(out),
            "--confcutdir",
            str(out),
            f"--junitxml={report}",
            *(str(p.resolve()) for p in self.project.contract_tests(self.module)),
        ]
        env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_ADDOPTS", "PYTHONPATH")}
        env.update(
            SPECLOOM_IMPL_ROOT=str(root),
            PYTHONDONTWRITEBYTECODE="1",
            PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",  # hermetic and fast: the tests need no plugin
        )
        code, output = _run_with_timeout(command, env, out, self.timeout)
        if code is None:
            return False, (
                f"{output.rstrip()}\nthe contract tests did not finish within {self.timeout:g} s "
                f"and were stopped (an endless loop or a blocking call in {method}?)"
            )
        if code == IMPORT_FAILED:
            return False, f"{output.rstrip()}\nthe candidate file does not import (see above)"
        cases = read_report(report)
        if code not in (0, 1) or cases is None:
            return (
                False,
                f"{output.rstrip()}\npytest could not run the contract tests (exit {code})",
            )
        if code == 1:
            return False, output
        pending = [s.name for s in find_stubs(candidate.decode("utf-8")) if s.name != method]
        examples = [
            (f"test_{contract.slug}", example)
            for contract, example in self.project.examples_calling(self.module, method)
        ]
        verdict = judge(cases, examples, method, pending)
        return verdict is None, output if verdict is None else f"{output.rstrip()}\n{verdict}"

    def _stable(self, output: str, root: Path) -> str:
        output = output.replace(str(root), str(self.project.impl_root.resolve()))
        output = output.replace(f"{self.project.root.resolve()}{os.sep}", "")  # project-relative
        output = _ADDRESS.sub("0x…", output)
        return _UUID.sub("<uuid>", output)


def _run_with_timeout(
    command: Sequence[str], env: Mapping[str, str], cwd: Path, timeout: float
) -> tuple[int | None, str]:
    """``(exit code, output)``; ``(None, output so far)`` when it was killed on timeout."""
    with subprocess.Popen(
        list(command),
        cwd=cwd,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,  # its own process group: the kill reaches any child too
    ) as process:
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(process)
            output, _ = process.communicate()
            return None, output or ""
        except BaseException:  # Ctrl-C: the tests run in their own session, stop them too
            _kill(process)
            raise
    return process.returncode, output or ""


def _kill(process: subprocess.Popen[str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:  # already gone
        pass


def read_report(path: Path) -> dict[tuple[str, str], Case] | None:
    """``(test file stem, test name) -> Case`` from a JUnit XML report (None if unreadable)."""
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError):
        return None
    cases: dict[tuple[str, str], Case] = {}
    for case in tree.iter("testcase"):
        stem = case.get("classname", "").rsplit(".", 1)[-1]
        status, message = "passed", ""
        for child in case:
            if child.tag in ("failure", "error"):
                status, message = "failed", child.get("message", "")
                break
            if child.tag == "skipped":
                status, message = "skipped", child.get("message", "")
        cases[(stem, case.get("name", ""))] = Case(status, message)
    return cases


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
    by_name: dict[tuple[str, str], Case] = {}
    for (stem, name), result in cases.items():
        if name.startswith("test_implementation[") and name.endswith("]"):
            # each example runs once per transport: test_implementation[<transport>-<example>]
            key = (stem, _TRANSPORT.sub("", name[len("test_implementation[") : -1]))
            if key not in by_name or result.status != "passed":
                by_name[key] = result
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
