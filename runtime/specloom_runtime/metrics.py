"""The seed plan's success metrics, measured on the running system where they can be measured.

Per module: interface implemented (an implementation with no ``@stub`` left), mock provided (and
every example passes against it), contract examples passing against the implementation,
integration points passing, documentation present. System-wide: all modules completed, all
interfaces validated, integration passing. Metrics no program can judge (code review, security
audit, production deployment, coverage) are listed as manual.

:func:`measure` starts the system in this process (every check on a fresh in-process system);
:func:`measure_remote` measures a running distributed system over NATS instead (``metrics
--nats URL``): what each serving process reports (``$SRV.INFO``/``$SRV.STATS``) and every
contract example replayed over NATS against whatever serves it now, live state included.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import tempfile
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .mock import Mock
from .replay import replay
from .service import Client
from .system import ModuleDef, System
from .testing import check_edge, check_example
from .transport.base import Transport

__all__ = ["MANUAL", "ModuleMetrics", "RemoteModuleMetrics", "measure", "measure_remote"]

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


@dataclass
class RemoteModuleMetrics:
    """One module of a running distributed system, as :func:`measure_remote` found it."""

    module: str
    processes: int  # processes answering $SRV.INFO for its agent
    mode: str  # "impl", "mock", both ("impl,mock") or "-" when nobody serves it
    implemented: str  # "yes", "down", "mock", "N stub(s) pending"
    examples: tuple[int, int]  # passed, total: replayed over NATS against the live module
    edges: tuple[int, int]  # consumed contracts whose provider has a serving process
    docs: bool
    requests: int  # requests its processes served before this measurement ($SRV.STATS)
    failures: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return (
            self.implemented == "yes"
            and self.examples[0] == self.examples[1]
            and self.edges[0] == self.edges[1]
            and self.docs
        )


async def services(transport: Transport, verb: str, seconds: float = 0.5) -> list[dict[str, Any]]:
    """Every answer to ``$SRV.<verb>`` (``INFO``, ``STATS``, ``PING``) within ``seconds``: one
    per serving process and agent (NATS transport only)."""
    return await gather(transport, f"$SRV.{verb}", seconds)


async def gather(
    transport: Transport, subject: str, seconds: float, enough: int | None = None
) -> list[Any]:
    """Every JSON answer to one request on ``subject`` within ``seconds`` (sooner once
    ``enough`` answers arrived; NATS transport only)."""
    nc = transport._client()  # type: ignore[attr-defined]
    inbox = nc.new_inbox()
    answers: list[Any] = []
    full = asyncio.Event()

    async def collect(msg: Any) -> None:
        with contextlib.suppress(ValueError):
            answers.append(json.loads(msg.data))
        if enough is not None and len(answers) >= enough:
            full.set()

    sub = await nc.subscribe(inbox, cb=collect)
    await nc.publish(subject, b"", reply=inbox)
    await nc.flush()
    if enough != 0:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(full.wait(), seconds)
    await sub.unsubscribe()
    return answers


def _by_agent(answers: list[dict[str, Any]], system: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for answer in answers:
        meta = answer.get("metadata") or {}
        if meta.get("system") == system:
            out.setdefault(str(meta.get("agent")), []).append(answer)
    return out


def _implemented(procs: list[dict[str, Any]]) -> tuple[str, str]:
    metas = [p.get("metadata") or {} for p in procs]
    if not metas:
        return "-", "down"
    modes = sorted({str(m.get("mode", "")) for m in metas})
    if modes != ["impl"]:
        return ",".join(modes), "mock" if "impl" not in modes else "mixed: " + ",".join(modes)
    pending = max(int(m.get("pending_stubs") or 0) for m in metas)
    return "impl", "yes" if pending == 0 else f"{pending} stub(s) pending"


async def measure_remote(
    modules: Sequence[ModuleDef],
    clients: Mapping[str, type[Client]],
    docs_root: Path,
    transport: Transport,
    system: str,
    *,
    timeout_ms: int = 5000,
) -> list[RemoteModuleMetrics]:
    """Measure the system ``system`` running on ``transport`` (a started NATS transport).

    Per module: its serving processes and their mode (``$SRV.INFO``), the requests they served
    so far (``$SRV.STATS``, read before the replays), every example of the contracts it provides
    replayed over NATS against the live module (each example from a caller agent of its own,
    so a mock's scenarios start afresh; an implementation keeps its state, so an example that
    assumes a fresh provider can fail on a system that already holds data), whether each
    consumed contract has a serving process, and its docs. Nothing is printed.
    """
    infos = _by_agent(await services(transport, "INFO"), system)
    stats = _by_agent(await services(transport, "STATS"), system)
    run = uuid.uuid4().hex[:8]
    out = []
    for d in modules:
        procs = infos.get(d.agent, [])
        mode, implemented = _implemented(procs)
        requests = sum(
            int(e.get("num_requests") or 0)
            for s in stats.get(d.agent, [])
            for e in s.get("endpoints") or []
        )
        passed, total, failures = 0, 0, []
        for spec, factory in zip(d.provides, d.mocks, strict=True):
            mock = factory()
            assert isinstance(mock, Mock)
            for ex in mock.EXAMPLES:
                total += 1
                caller = f"metrics-{run}-{total}-{d.agent}"
                client = clients[spec.key](transport, caller, d.agent, timeout_ms=timeout_ms)
                try:
                    await replay(client, ex)
                    passed += 1
                except AssertionError as exc:
                    failures.append(f"{spec.key} {ex['name']!r}: {exc}")
        served = sum(1 for dep in d.consumes if infos.get(dep.provider_agent))
        folder = docs_root / "modules" / f"{d.number:02d}-{d.name.replace('_', '-')}"
        out.append(
            RemoteModuleMetrics(
                module=d.name,
                processes=len(procs),
                mode=mode,
                implemented=implemented,
                examples=(passed, total),
                edges=(served, len(d.consumes)),
                docs=(folder / "AGENT-BRIEF.md").is_file() and (folder / "INTERFACES.md").is_file(),
                requests=requests,
                failures=failures,
            )
        )
    return out
