"""Implementation scaffolds: written once, then only extended (the generation gap pattern).

A missing ``impl/<module>.py`` is written from the scaffold template. An existing one is never
rewritten: stubs for methods that the contracts gained are appended to the implementation class
(with imports of the names they use and the file lacks, placed in isort order), and methods that
the contracts no longer have are reported, not removed.
"""

from __future__ import annotations

import ast
import sys
import textwrap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .safe_io import atomic_write, read_bytes

# Hooks of the generated module base an implementation may override (never "removed").
KEEP = frozenset({"on_start", "on_event", "__init__"})


@dataclass
class ScaffoldReport:
    created: list[str] = field(default_factory=list)
    appended: dict[str, list[str]] = field(default_factory=dict)  # file -> new stub names
    removed: dict[str, list[str]] = field(default_factory=dict)  # file -> methods not in contract
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"created {p}" for p in self.created]
        out += [f"{p}: appended stubs for {', '.join(ms)}" for p, ms in self.appended.items()]
        out += [
            f"{p}: {', '.join(ms)} no longer in the contract (left in place; delete when done)"
            for p, ms in self.removed.items()
        ]
        return out + self.problems


@dataclass(frozen=True)
class ScaffoldSpec:
    """What one implementation file must contain."""

    rel: str
    content: str  # the fresh scaffold
    class_name: str
    methods: tuple[str, ...]
    stub_source: Callable[[str], str]  # method name -> indented stub source


def _bound_names(tree: ast.Module) -> set[str]:
    """Names a module binds at top level (imports, classes, functions, assignments)."""
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for tgt in targets for n in ast.walk(tgt) if isinstance(n, ast.Name))
    return names


def _from_imports(tree: ast.Module) -> dict[str, str]:
    """Name -> module of the ``from module import name`` statements of a module."""
    return {
        a.asname or a.name: node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module and not node.level
        for a in node.names
    }


def _sort_key(module: str, first_party: str) -> tuple[int, str]:
    """Where ruff's isort puts ``from module import ...``: section, then module name."""
    top = module.split(".")[0]
    if top == "__future__":
        return 0, module
    if top in sys.stdlib_module_names:
        return 1, module
    return (3 if top == first_party else 2), module


def _first_party(modules: Iterable[str]) -> str:
    """The generated package among a fresh scaffold's imports (the runtime library and pydantic
    are third-party)."""
    for module in modules:
        top = module.split(".")[0]
        if top not in sys.stdlib_module_names and top not in _THIRD_PARTY and top != "__future__":
            return top
    return ""


_THIRD_PARTY = frozenset({"specloom_runtime", "pydantic", "pydantic_core"})


def _add_imports(lines: list[str], tree: ast.Module, new: dict[str, list[str]], first: str) -> None:
    """Insert ``from module import names`` lines in isort order among the existing imports."""
    existing = [
        (node, _sort_key(node.module, first))
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module and not node.level
    ]
    last = max(
        (n.end_lineno or 0 for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)),
        default=0,
    )
    for module in sorted(new, key=lambda mod: _sort_key(mod, first), reverse=True):
        key = _sort_key(module, first)
        after = next((node for node, k in existing if k > key), None)
        at = after.lineno - 1 if after is not None else last
        line = f"from {module} import {', '.join(sorted(new[module]))}\n"
        if not any(k[0] == key[0] for _, k in existing):  # a new section: blank lines around
            line = line + "\n" if after is not None else "\n" + line
            existing.append((ast.ImportFrom(module, [], 0, lineno=at + 1), key))
        lines.insert(at, line)


def _extend(spec: ScaffoldSpec, text: str, report: ScaffoldReport) -> str | None:
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        report.problems.append(
            f"{spec.rel}: not updated, it does not parse ({exc.msg}, line {exc.lineno})"
        )
        return None
    cls = next(
        (n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == spec.class_name), None
    )
    if cls is None:
        report.problems.append(f"{spec.rel}: not updated, class {spec.class_name} not found")
        return None
    defined = [n.name for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    missing = [m for m in spec.methods if m not in defined]
    gone = [m for m in defined if m not in spec.methods and m not in KEEP and not m.startswith("_")]
    if gone:
        report.removed[spec.rel] = gone
    if not missing:
        return None
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    end = cls.end_lineno or len(lines)
    addition = "".join("\n" + spec.stub_source(m).rstrip("\n") + "\n" for m in missing)
    lines.insert(end, addition)
    # Import what the new stubs use and the file lacks, from where the fresh scaffold does.
    fresh = _from_imports(ast.parse(spec.content))
    used = {n.id for n in ast.walk(ast.parse(textwrap.dedent(addition))) if isinstance(n, ast.Name)}
    new: dict[str, list[str]] = {}
    for name in sorted(used - _bound_names(tree)):
        if name in fresh:
            new.setdefault(fresh[name], []).append(name)
    if new:
        _add_imports(lines, tree, new, _first_party(fresh.values()))
    report.appended[spec.rel] = missing
    return "".join(lines)


def update_scaffolds(
    root: Path, specs: Mapping[str, ScaffoldSpec], *, write: bool = True
) -> ScaffoldReport:
    """Create missing implementation files and extend existing ones; never rewrite user code."""
    report = ScaffoldReport()
    for rel, spec in sorted(specs.items()):
        old = read_bytes(root, rel)
        if old is None:
            report.created.append(rel)
            if write:
                atomic_write(root, rel, spec.content.encode("utf-8"))
            continue
        if not spec.class_name:
            continue
        new = _extend(spec, old.decode("utf-8", "replace"), report)
        if new is not None and write:
            atomic_write(root, rel, new.encode("utf-8"))
    return report
