"""The seed plan's success metrics, measured on the running system where they can be measured.

Per module: interface implemented (an implementation with no ``@stub`` left), mock provided (and
every example passes against it), contract examples passing against the implementation,
integration points passing, documentation present. System-wide: all modules completed, all
interfaces validated, integration passing. Metrics no program can judge (code review, security
audit, production deployment, coverage) are listed as manual.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .mock import Mock
from .service import Client
from .system import ModuleDef, System
from .testing import check_edge, check_example

__all__ = ["MANUAL", "ModuleMetrics", "measure"]

MANUAL = (
    "Unit tests passing (>90% coverage)",
    "Code review approved",
    "Performance benchmarks met",
    "Security audit passed",
    "Production deployment successful",
)


@dataclass
class ModuleMetrics:
    module: str
    implemented: str  # "yes", "no implementation", "N stub(s) pending"
    mock_examples: tuple[int, int]  # passed, total
    impl_examples: tuple[int, int]  # passed, total (pending examples count as not passed)
    integration: tuple[int, int]
    docs: bool
    failures: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return (
            self.implemented == "yes"
            and self.mock_examples[0] == self.mock_examples[1]
            and self.impl_examples[0] == self.impl_examples[1]
            and self.integration[0] == self.integration[1]
            and self.docs
        )


DATA_DIR_ENV = "SPECLOOM_DATA_DIR"
"""Where implementations keep their state (databases, keys): each check gets a new, empty one,
as each generated test does, so examples never see the data of the running system."""


async def _count(checks: list[Any]) -> tuple[int, int, list[str]]:
    passed, failures = 0, []
    before = os.environ.get(DATA_DIR_ENV)
    for name, coro in checks:
        with tempfile.TemporaryDirectory(prefix="specloom-metrics-") as scratch:
            os.environ[DATA_DIR_ENV] = scratch
            try:
                if await coro is None:
                    passed += 1
            except AssertionError as exc:
                failures.append(f"{name}: {exc}")
            finally:
                if before is None:
                    os.environ.pop(DATA_DIR_ENV, None)
                else:
                    os.environ[DATA_DIR_ENV] = before
    return passed, len(checks), failures


async def measure(
    modules: Sequence[ModuleDef], clients: Mapping[str, type[Client]], docs_root: Path
) -> list[ModuleMetrics]:
    """Run the checks of every module; nothing is printed."""
    async with System(modules, clients=clients) as system:
        modes = {name: (m.mode, m.reason) for name, m in system.modules.items()}
    out = []
    for d in modules:
        mode, reason = modes[d.name]
        implemented = "yes" if mode == "impl" else reason
        mock_checks, impl_checks = [], []
        for spec, factory in zip(d.provides, d.mocks, strict=True):
            mock = factory()
            assert isinstance(mock, Mock)
            for ex in mock.EXAMPLES:
                label = f"{spec.key} {ex['name']!r}"
                mock_checks.append(
                    (label, check_example(modules, clients, spec.key, ex, implementation=False))
                )
                impl_checks.append(
                    (label, check_example(modules, clients, spec.key, ex, implementation=True))
                )
        m_ok, m_all, m_fail = await _count(mock_checks)
        i_ok, i_all, i_fail = await _count(impl_checks)
        edges = [
            (
                f"edge {d.name} -> {dep.contract.key}",
                check_edge(modules, clients, d.name, dep.contract.key),
            )
            for dep in d.consumes
        ]
        e_ok, e_all, e_fail = await _count(edges)
        folder = docs_root / "modules" / f"{d.number:02d}-{d.name.replace('_', '-')}"
        out.append(
            ModuleMetrics(
                module=d.name,
                implemented=implemented,
                mock_examples=(m_ok, m_all),
                impl_examples=(i_ok, i_all),
                integration=(e_ok, e_all),
                docs=(folder / "AGENT-BRIEF.md").is_file() and (folder / "INTERFACES.md").is_file(),
                failures=m_fail + i_fail + e_fail,
            )
        )
    return out
