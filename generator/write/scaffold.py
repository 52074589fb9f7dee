"""Implementation scaffolds: written once, then only extended (the generation gap pattern).

A missing ``impl/<module>.py`` is written from the scaffold template. An existing one is never
rewritten: stubs for methods that the contracts gained are appended to the implementation class
(with any import lines the fresh scaffold has and the file lacks), and methods that the contracts
no longer have are reported, not removed.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .safe_io import atomic_write, read_bytes

KEEP = frozenset({"on_start", "__init__"})


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


def _imports(source: str) -> list[str]:
    tree = ast.parse(source)
    lines = source.splitlines()
    return [
        "\n".join(lines[n.lineno - 1 : n.end_lineno])
        for n in tree.body
        if isinstance(n, ast.Import | ast.ImportFrom)
    ]


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
    have = set(_imports(text))
    new_imports = [imp for imp in _imports(spec.content) if imp not in have]
    if new_imports:
        last = max(
            (n.end_lineno or 0 for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)),
            default=0,
        )
        lines.insert(last, "".join(imp + "\n" for imp in new_imports))
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
