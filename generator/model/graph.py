"""The module dependency graph: A depends on B when A consumes a contract version B provides."""

from __future__ import annotations

from dataclasses import dataclass

from .spec import ContractRef, Module, SpecSet


@dataclass(frozen=True)
class Edge:
    consumer: str
    provider: str
    contract: ContractRef


def edges(spec: SpecSet) -> list[Edge]:
    """Every dependency edge, in module order (one per consumed contract with a provider)."""
    out = []
    for m in spec.modules:
        for ref in m.consumes:
            for p in spec.providers(ref.key):
                if p.name != m.name:
                    out.append(Edge(m.name, p.name, ref))
    return out


def dependencies(spec: SpecSet) -> dict[str, list[str]]:
    deps: dict[str, list[str]] = {m.name: [] for m in spec.modules}
    for e in edges(spec):
        if e.provider not in deps[e.consumer]:
            deps[e.consumer].append(e.provider)
    return deps


def find_cycle(deps: dict[str, list[str]]) -> list[str] | None:
    """One dependency cycle as a path ``[a, b, ..., a]``, or None (iterative DFS, stable)."""
    state: dict[str, int] = {}
    for start in deps:
        if state.get(start):
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        path: list[str] = []
        while stack:
            node, i = stack.pop()
            if i == 0:
                state[node] = 1
                path.append(node)
            succ = deps.get(node, [])
            if i < len(succ):
                stack.append((node, i + 1))
                nxt = succ[i]
                if state.get(nxt) == 1:
                    return path[path.index(nxt) :] + [nxt]
                if not state.get(nxt):
                    stack.append((nxt, 0))
            else:
                state[node] = 2
                path.pop()
    return None


def waves(deps: dict[str, list[str]]) -> list[list[str]]:
    """Topological waves: wave 1 has no dependencies; wave n depends only on earlier waves.

    Modules caught in a cycle are left out (validation reports the cycle).
    """
    # Kahn's algorithm, linear in modules + edges (rescanning the remaining modules once per
    # wave was quadratic on long chains). A module waiting on a module that never gets a level
    # (a cycle, itself, an unknown name) gets none either.
    users: dict[str, list[str]] = {}
    waiting: dict[str, int] = {}
    for n, ds in deps.items():
        waiting[n] = len(set(ds))
        for d in set(ds):
            users.setdefault(d, []).append(n)
    level: dict[str, int] = {}
    ready = [n for n, count in waiting.items() if count == 0]
    while ready:
        n = ready.pop()
        level[n] = 1 + max((level[d] for d in deps[n]), default=0)
        for user in users.get(n, ()):
            waiting[user] -= 1
            if waiting[user] == 0:
                ready.append(user)
    out: list[list[str]] = [[] for _ in range(max(level.values(), default=0))]
    for n in deps:
        if n in level:
            out[level[n] - 1].append(n)
    return out


def critical_path(deps: dict[str, list[str]]) -> list[str]:
    """The longest dependency chain, from a foundation module to the last one."""
    best: dict[str, list[str]] = {}
    for wave in waves(deps):
        for n in wave:
            longest = max((best[d] for d in deps[n]), key=len, default=[])
            best[n] = [*longest, n]
    return max(best.values(), key=len, default=[])


def transitive(deps: dict[str, list[str]], name: str) -> set[str]:
    seen: set[str] = set()
    todo = list(deps.get(name, []))
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo.extend(deps.get(n, []))
    return seen


def module_by_name(spec: SpecSet) -> dict[str, Module]:
    return {m.name: m for m in spec.modules}
