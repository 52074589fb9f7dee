"""Implementation of module testing (Testing Suite): test runs through the contracts on the bus.

What it does:

- run_suite checks the module names (the system's modules, else UnknownModule), starts the run
  as a background task and returns its id at once. get_report shows the run with status running
  and the counts so far, then passed or failed; a run that breaks (an unexpected exception, the
  bus closing) or exceeds ``run_timeout_s`` ends with status error, the reason listed among the
  failures as test ``<suite>/run`` (it is not counted as a failed test).
- Every check calls modules only through the contracts this module consumes. Checks use names
  unique to the run and undo what they create where the contract allows it (records, resources),
  so they can run against a live system. A check belongs to one or more modules and runs when
  any of them is selected (``[]`` = all).

  - smoke: one harmless call per module (health, status, state...).
  - contract: each module's behaviour through its contract: round trips and declared errors.
  - integration, e2e: scenarios across modules (an agent runs a task through the engine, an
    ``llm.generate`` task reaches the LLM, health reports reach monitoring; end to end, a
    signed-in user's task goes API -> engine -> API and shows on the frontend's tasks page).
  - unit: each selected module's generated contract tests against its implementation (every
    example of every contract it provides, the module in a process of its own with its
    dependencies as the system serves them): ``pytest -k test_implementation`` on
    ``tests/contract/test_<contract>.py`` in ``tests_dir``, in a subprocess; the JUnit XML it
    writes gives the counts and failures (a pending example is a skipped test). Without the
    generated tests or pytest (an image has neither), each module counts as one skipped test.

  For the other suites, selected modules that no consumed contract reaches (documentation,
  deployment, testing itself) count as one skipped test each.
- Reports are written to ``reports_dir`` (``<run id>.json``, relative paths inside the data
  dir) when a run starts and ends, and get_report reads them back after a restart.

Limits: coverage is not measured (null). Against a module served by its mock, checks that
expect state fail, as they should.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import secrets
import sys
import tempfile
import xml.etree.ElementTree as ElementTree
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from orchestra.contracts.agent_v1 import TaskRejected, UnknownAgent
from orchestra.contracts.core_engine_v1 import UnknownTaskKind
from orchestra.contracts.database_v1 import DuplicateId
from orchestra.contracts.frontend_v1 import UnknownView
from orchestra.contracts.infrastructure_v1 import InvalidSpec
from orchestra.contracts.monitoring_v1 import InvalidEvent, LogEventParamsEvent
from orchestra.contracts.security_v1 import DecryptionFailed
from orchestra.contracts.testing_v1 import UnknownModule
from orchestra.modules.testing import TestingBase, TestingDeps
from orchestra.system import MODULES
from orchestra.types import ChatMessage, Payload, Task, TestFailure, TestReport
from specloom_runtime import SpecloomError

Suite = Literal["unit", "contract", "integration", "e2e", "smoke"]
RUN_ID = re.compile(r"run-[0-9a-f]{12}")


def data_dir() -> Path:
    """The system's data dir: ``$SPECLOOM_DATA_DIR``, else ``.orchestra/`` in the project root."""
    configured = os.environ.get("SPECLOOM_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / ".orchestra"


PAGES = ("dashboard", "tasks", "agents", "monitoring", "docs")


@dataclass(frozen=True)
class Check:
    modules: tuple[str, ...]
    name: str
    run: Callable[[], Awaitable[None]]


@dataclass
class Run:
    run_id: str
    suite: Suite
    modules: list[str]
    total: int
    skipped: int
    status: Literal["running", "passed", "failed", "error"] = "running"
    passed: int = 0
    failed: int = 0
    failures: list[TestFailure] = field(default_factory=list)

    def report(self) -> TestReport:
        return TestReport.model_validate(
            {
                "run_id": self.run_id,
                "suite": self.suite,
                "modules": self.modules,
                "status": self.status,
                "total": self.total,
                "passed": self.passed,
                "failed": self.failed,
                "skipped": self.skipped,
                "coverage": None,
                "failures": self.failures,
            }
        )


class TestingImpl(TestingBase):
    """Testing Suite: asynchronous runs of checks over the consumed contracts."""

    _runs: dict[str, Run]
    _tasks: set[asyncio.Task[None]]

    async def on_start(self) -> None:
        self._runs, self._tasks = {}, set()
        reports = Path(self.config.reports_dir)
        self._reports = reports if reports.is_absolute() else data_dir() / reports
        tests = self.config.tests_dir
        package = Path(sys.modules[MODULES[0].deps_cls.__module__.split(".")[0]].__file__ or ".")
        self._tests = Path(tests) if tests else package.resolve().parent.parent / "tests"

    async def on_stop(self) -> None:
        """Cancel the runs still going (a unit run's pytest process is killed); wait for them."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def run_suite(self, suite: Suite, modules: list[str] = []) -> str:
        """Start a test run of a suite"""
        system = [d.name for d in MODULES]
        unknown = sorted(set(modules) - set(system))
        if unknown:
            raise UnknownModule(
                f"not modules of the system: {', '.join(unknown)}", {"modules": unknown}
            )
        selected = set(modules or system)
        run_id = f"run-{secrets.token_hex(6)}"
        probes = Probes(self.deps, run_id)
        checks = [c for c in probes.suite(suite) if selected.intersection(c.modules)]
        reachable = {module for c in probes.contract() for module in c.modules}
        skipped = 0 if suite == "unit" else len(selected - reachable)
        run = Run(run_id, suite, list(modules), len(checks) + skipped, skipped)
        self._runs[run_id] = run
        self._save(run)
        if suite == "unit":
            units = [d for d in MODULES if d.name in selected]
            task = asyncio.create_task(self._execute_unit(run, units))
        else:
            task = asyncio.create_task(self._execute(run, checks))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return run_id

    async def get_report(self, run_id: str) -> TestReport | None:
        """Report of a test run"""
        run = self._runs.get(run_id)
        if run is not None:
            return run.report()
        path = self._reports / f"{run_id}.json"
        if RUN_ID.fullmatch(run_id) is None or not path.is_file():
            return None
        return TestReport.model_validate_json(path.read_text("utf-8"))

    def _save(self, run: Run) -> None:
        self._reports.mkdir(parents=True, exist_ok=True)
        path = self._reports / f"{run.run_id}.json"
        temp = path.with_suffix(".tmp")
        temp.write_text(run.report().model_dump_json(exclude_unset=False), "utf-8")
        os.replace(temp, path)

    async def _execute(self, run: Run, checks: list[Check]) -> None:
        try:
            await self._execute_checks(run, checks)
        except asyncio.CancelledError:
            _stopped(run)
            raise
        finally:
            self._save(run)

    async def _execute_unit(self, run: Run, units: list[Any]) -> None:
        """Run the generated contract tests of each module's implementation (pytest, JUnit)."""
        try:
            async with asyncio.timeout(self.config.run_timeout_s):
                for d in units:
                    await self._unit(run, d)
            run.status = "failed" if run.failed else "passed"
        except asyncio.CancelledError:
            _stopped(run)
            raise
        except Exception as exc:
            run.status = "error"
            message = f"the run broke: {type(exc).__name__}: {exc}"
            if isinstance(exc, TimeoutError):
                message = f"the run took longer than {self.config.run_timeout_s} s"
            run.failures.append(TestFailure(test=f"{run.suite}/run", message=message))
        finally:
            self._save(run)

    async def _unit(self, run: Run, d: Any) -> None:
        slugs = [mock.__module__.rsplit(".", 1)[-1] for mock in d.mocks]
        files = [self._tests / "contract" / f"test_{slug}.py" for slug in slugs]
        if importlib.util.find_spec("pytest") is None or not all(f.is_file() for f in files):
            run.total += 1
            run.skipped += 1
            return
        with tempfile.TemporaryDirectory(prefix="specloom-unit-") as scratch:
            junit = Path(scratch) / "junit.xml"
            args = ["-m", "pytest", "-q", "-p", "no:cacheprovider", "-k", "test_implementation"]
            args += [f"--junitxml={junit}", "--rootdir", str(self._tests), *map(str, files)]
            env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
            env["SPECLOOM_DATA_DIR"] = str(Path(scratch) / "data")
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                *args,
                cwd=str(self._tests),
                env=env,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT,
            )
            try:
                output, _ = await process.communicate()
            finally:
                if process.returncode is None:  # cancelled or timed out: never leave it running
                    process.kill()
                    await process.wait()
            if not junit.is_file():
                run.total += 1
                run.failed += 1
                tail = output.decode(errors="replace")[-500:]
                message = f"pytest exited {process.returncode} without a report: {tail}"
                run.failures.append(TestFailure(test=f"unit/{d.name}/pytest", message=message))
                return
            for case in ElementTree.parse(junit).getroot().iter("testcase"):
                run.total += 1
                test = f"unit/{d.name}/{case.get('name', '?')}"
                problem = case.find("failure")
                if problem is None:
                    problem = case.find("error")
                if problem is not None:
                    run.failed += 1
                    message = (problem.get("message") or problem.text or "failed")[:1000]
                    run.failures.append(TestFailure(test=test, message=message))
                elif case.find("skipped") is not None:
                    run.skipped += 1
                else:
                    run.passed += 1

    async def _execute_checks(self, run: Run, checks: list[Check]) -> None:
        try:
            async with asyncio.timeout(self.config.run_timeout_s):
                for check in checks:
                    test = f"{run.suite}/{'+'.join(check.modules)}/{check.name}"
                    try:
                        await check.run()
                        run.passed += 1
                    except (AssertionError, SpecloomError) as exc:
                        run.failed += 1
                        message = str(exc) or type(exc).__name__
                        run.failures.append(TestFailure(test=test, message=message))
        except Exception as exc:
            run.status = "error"
            message = f"the run broke: {type(exc).__name__}: {exc}"
            if isinstance(exc, TimeoutError):
                message = f"the run took longer than {self.config.run_timeout_s} s"
            run.failures.append(TestFailure(test=f"{run.suite}/run", message=message))
            return
        run.status = "failed" if run.failed else "passed"


def _stopped(run: Run) -> None:
    run.status = "error"
    message = "the run was stopped (the testing module stopped)"
    run.failures.append(TestFailure(test=f"{run.suite}/run", message=message))


class Probes:
    """The checks of each suite, over the clients in ``deps``; names are unique per ``tag``."""

    def __init__(self, deps: TestingDeps, tag: str) -> None:
        self.deps = deps
        self.tag = tag
        self.agent_id = next(d.agent for d in MODULES if d.name == "agent_framework")

    def suite(self, suite: Suite) -> list[Check]:
        if suite == "smoke":
            return self.smoke()
        if suite == "contract":
            return self.contract()
        if suite == "integration":
            return self.integration()
        if suite == "e2e":
            return self.e2e()
        return []

    def task(self, kind: str, number: int, data: dict[str, Any]) -> Task:
        return Task(id=f"{self.tag}-{number}", kind=kind, input=data)

    # -- smoke --------------------------------------------------------------------------

    def smoke(self) -> list[Check]:
        d = self.deps

        async def token() -> None:
            claims = await d.security.verify_token(await d.security.issue_token("probe", []))
            _expect(claims.subject == "probe", f"token claims {claims}")

        async def response() -> None:
            body = await d.api.format_response({"ping": self.tag})
            _expect(body.success and body.data == {"ping": self.tag}, f"response {body}")

        return [
            Check(("infrastructure",), "health answers", _returns(d.infrastructure.get_health)),
            Check(("database",), "query answers", _returns(lambda: d.database.query("probe", {}))),
            Check(("core_engine",), "status answers", _returns(d.core_engine.get_status)),
            Check(("api",), "responses are wrapped", response),
            Check(("frontend",), "state answers", _returns(d.frontend.get_state)),
            Check(("agent_framework",), "self validation answers", _returns(d.agent.self_validate)),
            Check(("llm",), "models are listed", _returns(d.llm.list_models)),
            Check(("monitoring",), "health answers", _returns(d.monitoring.get_health)),
            Check(("security",), "tokens verify", token),
        ]

    # -- contract -----------------------------------------------------------------------

    def contract(self) -> list[Check]:
        return [
            *self.infrastructure(),
            *self.database(),
            *self.core_engine(),
            *self.api(),
            *self.frontend(),
            *self.agent(),
            *self.llm(),
            *self.monitoring(),
            *self.security(),
        ]

    def infrastructure(self) -> list[Check]:
        infra, name = self.deps.infrastructure, f"testing-{self.tag}"

        async def lifecycle() -> None:
            made = await infra.provision("network", name, {})
            _expect(made.name == name and made.kind == "network", f"provisioned {made}")
            _expect(await infra.get_resource(name) is not None, "resource not found")
            _expect(await infra.release(name), "release returned false")
            _expect(await infra.get_resource(name) is None, "released resource still there")

        async def invalid() -> None:
            await _raises(infra.provision("service", name, {}), InvalidSpec)
            _expect(await infra.get_resource(name) is None, "refused resource exists")

        return [
            Check(("infrastructure",), "network lifecycle", lifecycle),
            Check(("infrastructure",), "a service without image is refused", invalid),
        ]

    def database(self) -> list[Check]:
        db, table, rid = self.deps.database, "testing_probe", self.tag

        async def lifecycle() -> None:
            _expect(
                await db.create(table, {"id": rid, "n": 1}) == rid, "create returned another id"
            )
            _expect(await db.read(table, rid) == {"id": rid, "n": 1}, "read differs")
            _expect(await db.update(table, rid, {"n": 2}), "update returned false")
            found = await db.query(table, {"id": rid})
            _expect(found == [{"id": rid, "n": 2}], f"query found {found}")
            _expect(await db.delete(table, rid), "delete returned false")
            _expect(await db.read(table, rid) is None, "deleted record still there")

        async def duplicate() -> None:
            await db.create(table, {"id": rid})
            try:
                await _raises(db.create(table, {"id": rid}), DuplicateId)
            finally:
                await db.delete(table, rid)

        return [
            Check(("database",), "record lifecycle", lifecycle),
            Check(("database",), "duplicate ids are refused", duplicate),
        ]

    def core_engine(self) -> list[Check]:
        engine = self.deps.core_engine

        async def echo() -> None:
            result = await engine.process_task(self.task("echo", 1, {"text": "hello"}))
            _expect(
                result.status == "completed" and result.output == {"text": "hello"}, f"{result}"
            )

        async def fail() -> None:
            result = await engine.process_task(self.task("fail", 2, {"message": "boom"}))
            _expect(result.status == "failed" and result.error == "boom", f"{result}")

        async def unknown() -> None:
            await _raises(engine.process_task(self.task("no_such_kind", 3, {})), UnknownTaskKind)

        return [
            Check(("core_engine",), "echo task completes", echo),
            Check(("core_engine",), "fail task is a failed result", fail),
            Check(("core_engine",), "unknown kind is refused", unknown),
        ]

    def api(self) -> list[Check]:
        api = self.deps.api

        async def endpoint() -> None:
            await api.register_endpoint("/tasks", "CoreEngine@1.process_task", ["POST"])
            request = {"method": "POST", "path": "/tasks", "body": {}}
            _expect(await api.validate_request(request), "POST /tasks is not valid")
            _expect(not await api.validate_request({**request, "method": "DELETE"}), "DELETE ok")

        async def malformed() -> None:
            for request in (None, "GET /tasks", {"path": "/tasks"}):
                _expect(not await api.validate_request(request), f"{request!r} is valid")

        return [
            Check(("api",), "registered endpoints validate requests", endpoint),
            Check(("api",), "malformed requests are invalid", malformed),
        ]

    def frontend(self) -> list[Check]:
        ui = self.deps.frontend

        async def pages() -> None:
            for view in PAGES:
                page = await ui.render_view(view, {})
                _expect(page.view == view and page.html != "", f"page {view}: {page}")

        async def unknown() -> None:
            await _raises(ui.render_view("no_such_page", {}), UnknownView)

        return [
            Check(("frontend",), "every page renders", pages),
            Check(("frontend",), "unknown pages are refused", unknown),
        ]

    def agent(self) -> list[Check]:
        agent = self.deps.agent
        echo = Payload(action="custom", data={"probe": self.tag}, metadata={"method": "echo"})

        async def lifecycle() -> None:
            _expect(await agent.initialize(), "initialize returned false")
            _expect(await agent.self_validate(), "self_validate returned false")

        async def round_trip() -> None:
            await agent.initialize()
            reply = await agent.communicate(echo, self.agent_id)
            _expect(reply == echo, f"echo came back as {reply}")
            await _raises(agent.communicate(echo, "agent-99-nobody"), UnknownAgent)

        return [
            Check(("agent_framework",), "initialize then self-validate", lifecycle),
            Check(("agent_framework",), "echo round trip", round_trip),
        ]

    def llm(self) -> list[Check]:
        llm = self.deps.llm

        async def generate() -> None:
            answer = await llm.generate("Say hello.", None, {})
            _expect(answer.done and answer.model != "", f"answer {answer}")

        async def chat() -> None:
            answer = await llm.chat([ChatMessage(role="user", content="Say hello.")], None, {})
            _expect(answer.done and answer.message.role == "assistant", f"answer {answer}")

        return [
            Check(("llm",), "generate answers with the default model", generate),
            Check(("llm",), "chat answers with the default model", chat),
        ]

    def monitoring(self) -> list[Check]:
        mon = self.deps.monitoring

        async def record() -> None:
            _expect(await mon.log_metric("testing.probe", 1, {"run": self.tag}), "metric refused")
            event = LogEventParamsEvent(name="testing.probe", source=TestingBase.AGENT)
            _expect(await mon.log_event(event), "event refused")

        async def malformed() -> None:
            bad = LogEventParamsEvent(
                name="component_health", source=TestingBase.AGENT, data={"status": "on_fire"}
            )
            await _raises(mon.log_event(bad), InvalidEvent)

        return [
            Check(("monitoring",), "metrics and events are recorded", record),
            Check(("monitoring",), "malformed health reports are refused", malformed),
        ]

    def security(self) -> list[Check]:
        sec = self.deps.security

        async def no_roles() -> None:
            token = await sec.issue_token("probe", [])
            _expect(not await sec.authorize(token, "read", "database/probe"), "no role allowed")

        async def encryption() -> None:
            secret = await sec.encrypt(self.tag)
            _expect(secret != self.tag, "ciphertext is the plaintext")
            _expect(await sec.decrypt(secret) == self.tag, "decrypt differs")
            await _raises(sec.decrypt("not-a-ciphertext"), DecryptionFailed)

        return [
            Check(("security",), "a token without roles is denied", no_roles),
            Check(("security",), "encryption round trip", encryption),
        ]

    # -- across modules -----------------------------------------------------------------

    def integration(self) -> list[Check]:
        d = self.deps

        async def agent_task() -> None:
            await d.agent.initialize()
            result = await d.agent.execute_task(self.task("echo", 4, {"text": "via agent"}))
            _expect(result.output == {"text": "via agent"}, f"result {result}")
            await _raises(d.agent.execute_task(self.task("no_such_kind", 5, {})), TaskRejected)

        async def llm_task() -> None:
            task = self.task("llm.generate", 6, {"prompt": "Say hello."})
            result = await d.core_engine.process_task(task)
            _expect(result.status == "completed" and "response" in result.output, f"{result}")

        async def health() -> None:
            event = LogEventParamsEvent(
                name="component_health", source=TestingBase.AGENT, data={"status": "healthy"}
            )
            await d.monitoring.log_event(event)
            report = await d.monitoring.get_health()
            seen = report.components.get(TestingBase.AGENT)
            _expect(seen is not None and seen.root == "healthy", f"health {report}")

        return [
            Check(
                ("agent_framework", "core_engine"),
                "agent runs tasks through the engine",
                agent_task,
            ),
            Check(("core_engine", "llm"), "llm.generate tasks reach the LLM", llm_task),
            Check(("monitoring",), "health reports are aggregated", health),
        ]

    def e2e(self) -> list[Check]:
        d = self.deps

        async def submit() -> None:
            claims = await d.security.verify_token(await d.security.issue_token("e2e-user", []))
            _expect(claims.subject == "e2e-user", f"claims {claims}")
            task = self.task("echo", 7, {"text": "end to end"})
            request = {"method": "POST", "path": "/tasks", "body": {"task": task.model_dump()}}
            await d.api.register_endpoint("/tasks", "CoreEngine@1.process_task", ["POST"])
            _expect(await d.api.validate_request(request), "the API refused the request")
            result = await d.core_engine.process_task(task)
            body = await d.api.format_response(result.model_dump(mode="json"))
            _expect(body.success and body.data["output"] == {"text": "end to end"}, f"{body}")
            page = await d.frontend.render_view("tasks", {"task_id": task.id})
            _expect(task.id in page.html, "the tasks page does not show the task")

        return [
            Check(
                ("security", "api", "core_engine", "frontend"),
                "a signed-in user's task goes through the API and shows on the tasks page",
                submit,
            )
        ]


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


async def _raises(call: Awaitable[Any], error: type[SpecloomError]) -> None:
    try:
        value = await call
    except error:
        return
    raise AssertionError(f"expected {error.code}, got {value!r}")


def _returns(call: Callable[[], Awaitable[Any]]) -> Callable[[], Awaitable[None]]:
    """A check that passes when ``call`` answers (the client validates the answer's shape)."""

    async def check() -> None:
        await call()

    return check
