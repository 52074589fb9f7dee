"""Find the ``@stub`` methods of an implementation file with ``ast``.

A stub is a method (sync or async) defined directly in a class body and decorated with ``@stub``
(a bare name) or ``@<anything>.stub``. Line numbers are 1-based and include the decorators, so
``lines[lineno - 1 : end_lineno]`` is exactly the text a fill replaces.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from generator.fill import FillError

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def split_lines(text: str) -> list[str]:
    """Lines with their endings, split exactly where Python's tokenizer splits them."""
    return _LINE.findall(text)


@dataclass(frozen=True)
class Stub:
    """One ``@stub`` method of a class."""

    class_name: str  # dotted for nested classes: "Outer.Inner"
    name: str
    is_async: bool
    lineno: int  # first line, decorators included
    end_lineno: int  # last line of the body
    def_lineno: int  # line of the ``def`` keyword
    indent: str  # leading whitespace of the first line (the class body's indentation)
    signature: str  # normalised: "(self, table: str, data: dict[str, Any]) -> str"
    docstring: str | None
    decorators: tuple[str, ...]  # the other decorators (``@stub`` excluded), ast-normalised

    @property
    def qualname(self) -> str:
        """``Class.method``."""
        return f"{self.class_name}.{self.name}"

    @property
    def header(self) -> str:
        """``async def create(self, ...) -> str`` (normalised)."""
        prefix = "async def" if self.is_async else "def"
        return f"{prefix} {self.name}{self.signature}"


def is_stub_decorator(node: ast.expr) -> bool:
    """``@stub`` or ``@x.y.stub`` (also when called: ``@stub()``)."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Name):
        return node.id == "stub"
    return isinstance(node, ast.Attribute) and node.attr == "stub"


def signature_text(node: FunctionNode) -> str:
    """The parameters and return annotation after ``ast.unparse`` normalisation."""
    text = f"({ast.unparse(node.args)})"
    if node.returns is not None:
        text += f" -> {ast.unparse(node.returns)}"
    return text


def parse_source(source: str, what: str = "source") -> ast.Module:
    """``ast.parse`` with a one-line ``FillError`` on failure (a leading BOM is ignored)."""
    try:
        return ast.parse(source.removeprefix("\ufeff"))
    except SyntaxError as exc:
        if exc.lineno is None:  # e.g. null bytes
            raise FillError(f"{what} cannot be parsed: {exc.msg}") from None
        raise FillError(f"{what} has a syntax error at line {exc.lineno}: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:  # e.g. null bytes, deep nesting
        raise FillError(f"{what} cannot be parsed: {exc}") from None


def find_stubs(source: str) -> list[Stub]:
    """Every ``@stub`` method of every class (nested classes too), in file order."""
    tree = parse_source(source)
    lines = split_lines(source.removeprefix("\ufeff"))
    found: list[Stub] = []

    def visit(body: list[ast.stmt], prefix: str) -> None:
        for node in body:
            if not isinstance(node, ast.ClassDef):
                continue
            class_name = f"{prefix}{node.name}"
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    if any(is_stub_decorator(d) for d in item.decorator_list):
                        found.append(_make_stub(class_name, item, lines))
            visit(node.body, f"{class_name}.")

    visit(tree.body, "")
    return sorted(found, key=lambda s: s.lineno)


def _make_stub(class_name: str, node: FunctionNode, lines: list[str]) -> Stub:
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    first = lines[start - 1].rstrip("\r\n") if start - 1 < len(lines) else ""
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    return Stub(
        class_name=class_name,
        name=node.name,
        is_async=isinstance(node, ast.AsyncFunctionDef),
        lineno=start,
        end_lineno=node.end_lineno or node.lineno,
        def_lineno=node.lineno,
        indent=indent,
        signature=signature_text(node),
        docstring=ast.get_docstring(node),
        decorators=tuple(ast.unparse(d) for d in node.decorator_list if not is_stub_decorator(d)),
    )
