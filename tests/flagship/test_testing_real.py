"""Module 09 for real: the unit suite runs a module's generated contract tests with pytest in a
subprocess and reports their JUnit results; reports survive a restart of the module."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest

from .flagkit import ROOT

sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

from orchestra.mocks.database_v1 import DatabaseV1Mock  # noqa: E402
from orchestra.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime import System  # noqa: E402

MOCKED = [d.name for d in MODULES if d.name != "testing"]


def _run(body: Any) -> Any:
    async def main() -> Any:
        async with System(MODULES, clients=CLIENTS, force_mock=MOCKED) as system:
            return await body(system.client("Testing@1", source_agent="test"))

    return asyncio.run(main())


async def _finished(testing: Any, run_id: str) -> Any:
    while True:
        report = await testing.get_report(run_id=run_id)
        if report.status != "running":
            return report
        await asyncio.sleep(0.2)


def test_unit_suite_runs_the_generated_contract_tests(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))

    async def body(testing: Any) -> Any:
        run_id = await testing.run_suite(suite="unit", modules=["database", "security"])
        return run_id, await asyncio.wait_for(_finished(testing, run_id), 280)

    run_id, report = _run(body)
    examples = len(DatabaseV1Mock.EXAMPLES)
    assert report.status == "passed", report.failures
    assert report.failed == 0 and report.total == report.passed + report.skipped
    assert report.total >= examples + 1
    saved = tmp_path / "data" / "test-reports" / f"{run_id}.json"
    assert saved.is_file()
    # a new start of the module reads the report back
    again = _run(lambda testing: testing.get_report(run_id=run_id))
    assert again == report
    assert _run(lambda testing: testing.get_report(run_id="run-../../etc")) is None


def test_a_broken_implementation_fails_the_unit_suite(tmp_path: Path, monkeypatch: Any) -> None:
    impl = tmp_path / "root" / "impl"
    impl.mkdir(parents=True)
    (impl / "__init__.py").write_text("")
    source = (ROOT / "impl" / "database.py").read_text()
    broken = source.replace("return None if row is None else dict(row)", "return {'id': 'x'}")
    assert broken != source
    (impl / "database.py").write_text(broken)
    monkeypatch.setenv("SPECLOOM_IMPL_ROOT", str(tmp_path / "root"))
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))

    async def body(testing: Any) -> Any:
        run_id = await testing.run_suite(suite="unit", modules=["database"])
        return await asyncio.wait_for(_finished(testing, run_id), 280)

    report = _run(body)
    assert report.status == "failed" and report.failed >= 1
    assert all(f.test.startswith("unit/database/test_implementation") for f in report.failures)


@pytest.mark.parametrize("missing", ["tests"])
def test_without_generated_tests_each_module_is_skipped(
    tmp_path: Path, monkeypatch: Any, missing: str
) -> None:
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ORCHESTRA_TESTING_TESTS_DIR", str(tmp_path / missing))

    async def body(testing: Any) -> Any:
        run_id = await testing.run_suite(suite="unit", modules=["database", "llm"])
        return await asyncio.wait_for(_finished(testing, run_id), 60)

    report = _run(body)
    assert (report.status, report.total, report.skipped) == ("passed", 2, 2)
