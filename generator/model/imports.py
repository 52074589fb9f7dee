"""Import blocks of generated modules, computed: only the names a file uses, in the order and
layout ruff's isort gives them (``ruff check`` on the raw render has nothing to fix).

An import is ``(module, name, alias)``: ``name`` None is ``import module [as alias]`` (a
``from`` import has no alias). Sections,
one blank line apart: ``__future__``, the standard library, third party (everything else,
``specloom_runtime`` included), first party (the generated package and the implementations),
relative. In a section ``import x`` lines come first, then ``from x import ...``, by module;
members are ordered constants, classes, then other names (ruff's ``order-by-type``), each
group case-insensitively in natural order; a line longer than the line length is wrapped one
member per line. ``__all__`` lists are sorted as ruff's RUF022 sorts them.
"""

from __future__ import annotations

import ast
import functools
import re
import sys
from collections.abc import Collection, Iterable

__all__ = ["Import", "all_sorted", "import_block", "names_in"]

Import = tuple[str, str | None, str | None]

LINE_LENGTH = 100
_DIGITS = re.compile(r"(\d+)")


@functools.cache
def _natural(text: str) -> tuple[tuple[int, int | str], ...]:
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in _DIGITS.split(text) if part
    )


@functools.cache
def _member_key(name: str) -> tuple[int, tuple[tuple[int, int | str], ...], str]:
    if len(name) > 1 and name.isupper():
        kind = 0  # CONSTANT
    elif name[:1].isupper():
        kind = 1  # Class
    else:
        kind = 2  # variable
    return kind, _natural(name.lower()), name


def all_sorted(names: Iterable[str]) -> tuple[str, ...]:
    """``__all__`` entries in ruff's RUF022 order: by kind as members are, but case-sensitive
    in a group (``DocumentNotFound`` before ``DocumentationV1``)."""
    return tuple(sorted(set(names), key=lambda n: (_member_key(n)[0], _natural(n))))


def _section(module: str, first_party: Collection[str]) -> int:
    top = module.split(".")[0]
    if module.startswith("."):
        return 4
    if top == "__future__":
        return 0
    if top in first_party:
        return 3
    if top in sys.stdlib_module_names:
        return 1
    return 2


@functools.cache
def _module_key(module: str) -> tuple[int, tuple[tuple[int, int | str], ...], str]:
    dots = len(module) - len(module.lstrip("."))
    return -dots, _natural(module.lstrip(".").lower()), module


def import_block(imports: Iterable[Import], first_party: Collection[str] = ()) -> str:
    """The import statements of ``imports`` (duplicates merged), ending in a newline; "" for
    none."""
    straight: dict[int, set[tuple[str, str | None]]] = {}
    members: dict[int, dict[str, set[str]]] = {}
    for module, name, alias in imports:
        section = _section(module, first_party)
        if name is None:
            straight.setdefault(section, set()).add((module, alias))
        elif alias is not None:
            raise ValueError(f"from {module} import {name} as {alias}: not supported")
        else:
            members.setdefault(section, {}).setdefault(module, set()).add(name)
    blocks = []
    for section in sorted(set(straight) | set(members)):
        lines = [
            f"import {module}" + (f" as {alias}" if alias else "")
            for module, alias in sorted(
                straight.get(section, ()), key=lambda s: (_module_key(s[0]), s[1] or "")
            )
        ]
        froms: list[tuple[str, list[str]]] = [
            (module, sorted(names, key=_member_key))
            for module, names in members.get(section, {}).items()
        ]
        for module, names in sorted(froms, key=lambda f: (_module_key(f[0]), f[1])):
            line = f"from {module} import {', '.join(names)}"
            if len(line) > LINE_LENGTH:
                line = f"from {module} import (\n" + "".join(f"    {n},\n" for n in names) + ")"
            lines.append(line)
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n" if blocks else ""


@functools.lru_cache(maxsize=8192)
def names_in(source: str) -> frozenset[str]:
    """Every name an expression (a hint, a default) looks up: ``types_`` for ``types_.Task``."""
    tree = ast.parse(source, mode="eval")
    return frozenset(node.id for node in ast.walk(tree) if isinstance(node, ast.Name))
