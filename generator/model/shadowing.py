"""Names a spec can shadow in generated code, and annotations rewritten not to depend on them.

A spec's parameter, setting and method names become names in a class body (model fields,
methods). A field named ``str`` shadows the builtin ``str`` for the rest of the class body: pydantic
then resolves a later ``Annotated[str, ...]`` to the field's default and the package fails to
import, and mypy rejects a hint ``list[str]`` that follows a method named ``list``. So an annotation
used in a class body where a builtin it names is shadowed spells that builtin ``_builtins.<name>``
(generated modules ``import builtins as _builtins``; spec identifiers never start with ``_``, so
no spec name can shadow the alias). Other annotations stay as they are.
"""

from __future__ import annotations

import ast
import builtins
from collections.abc import Iterable

__all__ = ["BUILTINS_ALIAS", "qualify"]

BUILTINS_ALIAS = "_builtins"
_BUILTINS = frozenset(dir(builtins))


class _Qualify(ast.NodeTransformer):
    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id not in self.names:
            return node
        alias = ast.Name(BUILTINS_ALIAS, ast.Load())
        return ast.copy_location(ast.Attribute(alias, node.id, ast.Load()), node)


def qualify(source: str, shadowed: Iterable[str]) -> str:
    """``source`` (an expression: a hint or a default) with each builtin in ``shadowed`` that it
    names written ``_builtins.<name>``; unchanged (same text) when nothing it names is shadowed."""
    names = frozenset(shadowed) & _BUILTINS
    if not names:
        return source
    tree = ast.parse(source, mode="eval")
    if not any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(tree)):
        return source
    return ast.unparse(_Qualify(names).visit(tree))
