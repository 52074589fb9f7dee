"""The generator's import layering (docs/ARCHITECTURE.md, "Layers") holds, and nothing imports in
a cycle. Imports are read with ``ast`` from every file of ``generator/``, including imports inside
functions and under ``TYPE_CHECKING``: a lazy import is still a dependency."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[1] / "generator"

# Lowest first. A module belongs to the layer of the longest prefix naming it (``generator``
# alone is the package's own ``__init__``); it may import modules of its own layer and of the
# layers below, never above.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("base", ("generator", "generator.errors", "generator.names", "generator.patterns",
              "generator.dists", "generator.cache", "generator.packs",
              "generator.parallel", "generator.bundled")),
    ("load", ("generator.load",)),
    ("model", ("generator.model",)),
    ("diff", ("generator.diff",)),
    ("validate", ("generator.validate", "generator.reference")),
    ("interop", ("generator.interop",)),
    ("render", ("generator.render",)),
    ("write", ("generator.write",)),
    ("tools", ("generator.pipeline", "generator.fill", "generator.diff.folders",
               "generator.watch", "generator.interop", "generator.fmt", "generator.lint")),
    ("commands", ("generator.cli", "generator.init", "generator.console", "generator.start")),
]  # fmt: skip


def module_name(path: Path) -> str:
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(GENERATOR.rglob("*.py"))}


def imports(name: str, path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """``(imported generator module, line)`` for every import in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "generator":
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "generator":
                continue
            for alias in node.names:  # ``from . import schema``: the submodule
                sub = f"{target}.{alias.name}"
                yield (sub if sub in known else target), node.lineno


def layer_of(name: str) -> int:
    best, rank = -1, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            nested = prefix != "generator" and name.startswith(prefix + ".")
            if (name == prefix or nested) and len(prefix) > best:
                best, rank = len(prefix), i
    assert rank >= 0, f"{name} is in no layer: add it to LAYERS and docs/ARCHITECTURE.md"
    return rank


def graph() -> dict[str, dict[str, int]]:
    mods = modules()
    known = set(mods)
    out: dict[str, dict[str, int]] = {}
    for name, path in mods.items():
        edges = out.setdefault(name, {})
        for target, line in imports(name, path, known):
            if target != name and target in known:
                edges.setdefault(target, line)
    return out


def test_every_module_is_in_a_layer() -> None:
    for name in modules():
        layer_of(name)


def test_no_import_goes_up_a_layer() -> None:
    bad = []
    for name, targets in graph().items():
        for target, line in targets.items():
            if layer_of(target) > layer_of(name):
                here, there = LAYERS[layer_of(name)][0], LAYERS[layer_of(target)][0]
                bad.append(f"{name}:{line} ({here}) imports {target} ({there})")
    assert not bad, "imports against the layering:\n" + "\n".join(sorted(bad))


def test_no_import_cycle() -> None:
    g = graph()
    # Package __init__ files re-export their submodules: an edge from a package to its own
    # submodule is not a dependency on anything outside it.
    deps = {
        n: {t for t in ts if not t.startswith(n + ".") and not n.startswith(t + ".")}
        for n, ts in g.items()
    }
    cycles = _cycles(deps)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def _cycles(deps: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(deps.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(deps):
        if v not in index:
            visit(v)
    return found


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The test can fail: a model module importing render is reported."""
    path = tmp_path / "view.py"
    path.write_text("from ..render.literals import pyrepr\n", "utf-8")
    known = {"generator.render.literals", "generator.model.view"}
    found = list(imports("generator.model.view", path, known))
    assert found == [("generator.render.literals", 1)]
    assert layer_of("generator.render.literals") > layer_of("generator.model.view")
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
