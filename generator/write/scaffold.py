"""Implementation scaffolds: written once, then only extended (the generation gap pattern).

A missing ``impl/<module>.py`` is written from the scaffold template. An existing one is never
rewritten: stubs for methods that the contracts gained are appended to the implementation class
(with imports of the names they use and the file lacks, placed in isort order), and methods that
the contracts no longer have are reported, not removed.
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..render.outputs import ScaffoldSpec
from .safe_io import atomic_write, read_bytes

# Hooks of the generated module base an implementation may override (never "removed").
KEEP = frozenset({"on_start", "on_stop", "on_event", "health_detail", "__init__"})
# The accessor of an older contract version a module serves itself (generator.model.versions).
_ACCESSOR = re.compile(r"serve_[a-z0-9_]+_v[0-9]+")


@dataclass
class ScaffoldReport:
    created: list[str] = field(default_factory=list)
    appended: dict[str, list[str]] = field(default_factory=dict)  # file -> new stub names
    removed: dict[str, list[str]] = field(default_factory=dict)  # file -> methods not in contract
    retired: dict[str, list[str]] = field(default_factory=dict)  # file -> unused serve_*_vN
    orphans: list[str] = field(default_factory=list)  # files of modules no longer in the specs
    drift: dict[str, list[str]] = field(default_factory=dict)  # file -> signature mismatches
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"created {p}" for p in self.created]
        out += [f"{p}: appended stubs for {', '.join(ms)}" for p, ms in self.appended.items()]
        return out + self.impl_lines()

    def impl_lines(self) -> list[str]:
        """What is wrong or stale in the implementations (all but created and appended)."""
        out = [
            f"{p}: {', '.join(ms)} no longer in the contract (left in place; delete when done)"
            for p, ms in self.removed.items()
        ]
        out += [
            f"{p}: {', '.join(f'{m}()' for m in ms)} no longer used: the module does not serve "
            "that older contract version itself any more (it left the module's provides, or a "
            "generated adapter serves it); left in place, delete when done"
            for p, ms in self.retired.items()
        ]
        out += [
            f"warning: {p}: its module is no longer in the specs; the file is left in place "
            "(delete it when done)"
            for p in self.orphans
        ]
        out += [f"warning: {p}: {d}" for p, ds in self.drift.items() for d in ds]
        return out + self.problems


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
    functions = [n for n in cls.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    defined = [n.name for n in functions]
    missing = [m for m in spec.methods if m not in defined]
    known = {*spec.methods, *spec.hooks, *KEEP}
    gone = [m for m in defined if m not in known and not m.startswith("_")]
    if retired := [m for m in gone if _ACCESSOR.fullmatch(m)]:
        report.retired[spec.rel] = retired
    if gone := [m for m in gone if m not in retired]:
        report.removed[spec.rel] = gone
    if drift := signature_drift(spec, functions):
        report.drift[spec.rel] = drift
    if not missing:
        return None
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    end = cls.end_lineno or len(lines)
    addition = "".join("\n" + spec.stubs[m].rstrip("\n") + "\n" for m in missing)
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


def _params(fn: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[list[str], set[str], bool]:
    """A method's parameter names (without ``self``), the required ones, and whether it takes
    ``**kwargs`` (then any keyword argument is accepted)."""
    a = fn.args
    positional = [*a.posonlyargs, *a.args][1:]
    n_defaults = len(a.defaults)
    required = {p.arg for p in positional[: len(positional) - n_defaults]}
    required |= {p.arg for p, d in zip(a.kwonlyargs, a.kw_defaults, strict=True) if d is None}
    names = [p.arg for p in (*positional, *a.kwonlyargs)]
    return names, required, a.kwarg is not None


def signature_drift(
    spec: ScaffoldSpec, functions: list[ast.FunctionDef | ast.AsyncFunctionDef]
) -> list[str]:
    """How the implementation's methods' parameters differ from the contract's (the fresh
    scaffold's signatures): a parameter the contract passes that the method does not accept, or
    one the method requires that the contract never passes. Calls arrive by keyword, so order
    and extra optional parameters do not matter."""
    try:
        fresh_tree = ast.parse(spec.content)
    except SyntaxError:
        return []
    fresh = {
        f.name: f
        for node in fresh_tree.body
        if isinstance(node, ast.ClassDef) and node.name == spec.class_name
        for f in node.body
        if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    out = []
    for fn in functions:
        want = fresh.get(fn.name)
        if want is None or fn.name not in spec.methods:
            continue
        names, required, any_kw = _params(fn)
        want_names, want_required, _ = _params(want)
        problems = []
        if lacking := [p for p in want_names if p not in names and not any_kw]:
            problems.append(f"does not accept {', '.join(map(repr, lacking))}")
        if extra := sorted(required - set(want_names)):
            problems.append(f"requires {', '.join(map(repr, extra))}, which the contract lacks")
        if problems:
            where = spec.contracts.get(fn.name, fn.name)
            out.append(
                f"{spec.class_name}.{fn.name} (line {fn.lineno}) drifted from {where}"
                f"({', '.join(want_names)}): it {'; it '.join(problems)}"
            )
    return out


def orphaned(root: Path, specs: Mapping[str, ScaffoldSpec]) -> list[str]:
    """Implementation files of modules no longer in the specs: a ``*.py`` in the implementation
    package, not a current scaffold, defining a ``...Impl`` class (the scaffold's shape;
    helper modules of the package stay unreported)."""
    packages = {rel.rpartition("/")[0] for rel in specs if rel.endswith("/__init__.py")}
    out = []
    for package in sorted(packages):
        folder = root / package
        if not folder.is_dir() or folder.is_symlink():
            continue
        for path in sorted(folder.glob("*.py")):
            rel = f"{package}/{path.name}"
            if rel in specs or path.is_symlink() or not path.is_file():
                continue
            try:
                tree = ast.parse(path.read_bytes())
            except (SyntaxError, ValueError, OSError):
                continue
            if any(isinstance(n, ast.ClassDef) and n.name.endswith("Impl") for n in tree.body):
                out.append(rel)
    return out


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
    report.orphans = orphaned(root, specs)
    return report
