"""The build plan: topological waves, the independence matrix, the critical path, a Mermaid graph.

The seed plan's matrix is hand-written and contradicts itself; here every column is computed from
the dependency graph (A depends on B when A consumes a contract B provides).
"""

from __future__ import annotations

from dataclasses import dataclass

from .graph import critical_path, dependencies, edges, waves
from .spec import SpecSet


@dataclass(frozen=True)
class ModulePlan:
    name: str
    number: int
    title: str
    wave: int
    phase: int | None
    depends_on: tuple[str, ...]
    start: str  # "YES" (no dependencies) or "PARTIAL" (starts against mocks)
    parallel_safe: bool
    dependents: tuple[str, ...]
    reach: int = 0  # how many modules it depends on, directly or not


@dataclass(frozen=True)
class PhasePlan:
    """A scheduled phase (from the modules' ``phase``) and who develops against mocks in it."""

    number: int
    modules: tuple[str, ...]
    against_mocks: tuple[tuple[str, tuple[str, ...]], ...]  # module -> same-phase dependencies


@dataclass(frozen=True)
class Plan:
    modules: tuple[ModulePlan, ...]
    phases: tuple[PhasePlan, ...]
    unscheduled: tuple[str, ...]
    waves: tuple[tuple[str, ...], ...]
    critical_path: tuple[str, ...]
    mermaid: str


def build_plan(spec: SpecSet) -> Plan:
    deps = dependencies(spec)
    ws = waves(deps)
    wave_of = {n: i + 1 for i, w in enumerate(ws) for n in w}
    rdeps: dict[str, list[str]] = {m.name: [] for m in spec.modules}
    for consumer, ds in deps.items():
        for d in ds:
            rdeps[d].append(consumer)
    reach = _reach(deps, ws)
    mods = []
    for m in spec.modules:
        # Parallel safe: talks to others only through contracts (always, by construction) and
        # shares no provided contract with another module (validation guarantees it).
        mods.append(
            ModulePlan(
                name=m.name,
                number=m.number,
                title=m.title,
                wave=wave_of.get(m.name, 0),
                phase=m.phase,
                depends_on=tuple(deps[m.name]),
                start="YES" if not deps[m.name] else "PARTIAL",
                parallel_safe=True,
                dependents=tuple(rdeps[m.name]),
                reach=reach.get(m.name, 0).bit_count(),
            )
        )
    lines = ["graph TD"]
    for m in spec.modules:
        lines.append(f'    {m.name}["{m.number:02d} {_mermaid_text(m.title)}"]')
    for e in edges(spec):
        lines.append(f"    {e.consumer} -->|{e.contract.key}| {e.provider}")
    phase_of = {m.name: m.phase for m in spec.modules}
    phases = []
    for number in sorted({p for p in phase_of.values() if p is not None}):
        names = tuple(n for n, p in phase_of.items() if p == number)
        same = tuple(
            (n, tuple(d for d in deps[n] if phase_of.get(d) == number))
            for n in names
            if any(phase_of.get(d) == number for d in deps[n])
        )
        phases.append(PhasePlan(number, names, same))
    return Plan(
        modules=tuple(mods),
        phases=tuple(phases),
        unscheduled=tuple(n for n, p in phase_of.items() if p is None),
        waves=tuple(tuple(w) for w in ws),
        critical_path=tuple(critical_path(deps)),
        mermaid="\n".join(lines),
    )


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("\n", " ")


def _reach(deps: dict[str, list[str]], ws: list[list[str]]) -> dict[str, int]:
    """Each module's transitive dependencies as a bit set (one bit per module), computed wave by
    wave (providers first), so the whole graph costs one pass instead of one walk per module."""
    bit = {name: 1 << i for i, name in enumerate(deps)}
    reach: dict[str, int] = {}
    for wave in ws:
        for name in wave:
            acc = 0
            for d in deps.get(name, []):
                acc |= bit.get(d, 0) | reach.get(d, 0)
            reach[name] = acc
    return reach
