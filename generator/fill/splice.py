"""Validate an LLM answer for one stub and splice it into the implementation file.

``extract_method`` turns a raw answer (structured JSON ``{"imports": [...], "code": "..."}``, or
plain text, possibly in code fences with prose around) into the method's source at column 0 plus
the import statements it needs, or raises ``AnswerRejected`` with a one-line reason.

``splice`` replaces exactly the stub's lines (decorators included) with that method, indented
like the class body; every other byte stays identical, except missing imports, inserted after the
file's leading import block.
"""

from __future__ import annotations

import ast
import io
import json
import re
import textwrap
import tokenize
from typing import NamedTuple

from generator.fill import AnswerRejected, FillError
from generator.fill.stubs import (
    FunctionNode,
    Stub,
    find_stubs,
    is_stub_decorator,
    signature_text,
    split_lines,
)

_FENCE = re.compile(
    r"^[ \t]*```[ \t]*([\w+.-]*)[^\n]*\n(.*?)(?:^[ \t]*```[ \t]*$|\Z)", re.MULTILINE | re.DOTALL
)


class MethodAnswer(NamedTuple):
    """A validated answer: the method (decorators included) at column 0, and its imports."""

    code: str
    imports: list[str]


def extract_method(answer: str, stub: Stub) -> MethodAnswer:
    """Validate ``answer`` as a replacement of ``stub``; raise ``AnswerRejected`` otherwise."""
    code, imports = _answer_parts(answer)
    code = _unfence(code, stub.name).replace("\r\n", "\n").replace("\r", "\n")
    if not code.strip():
        raise AnswerRejected("answer is empty")
    if code.lstrip("\n")[:1] in (" ", "\t"):  # a method copied with its class indentation
        code = textwrap.dedent(code)
    tree = _parse_answer(code)
    for statement in imports:
        imports_tree = _parse_answer(statement, what="import")
        if not imports_tree.body or not all(
            isinstance(node, ast.Import | ast.ImportFrom) for node in imports_tree.body
        ):
            raise AnswerRejected(f"not an import statement: {statement.strip()[:80]!r}")
    imports = [ast.unparse(node) for s in imports for node in ast.parse(s).body]

    functions: list[FunctionNode] = []
    classes = 0
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            imports.append(ast.unparse(node))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            functions.append(node)
        elif isinstance(node, ast.ClassDef):
            classes += 1
            functions.extend(_class_methods(node))
        elif not _is_docstring(node):
            raise AnswerRejected(
                "answer has top-level code besides imports and the method: "
                f"{type(node).__name__} at line {node.lineno}"
            )
    if classes > 1:
        raise AnswerRejected("answer defines more than one class")
    function = _the_function(functions, stub)
    _check_function(function, stub)
    return MethodAnswer(_function_source(code, function), _dedupe(imports))


def splice(source: str, stub: Stub, method_code: str, imports: list[str]) -> str:
    """``source`` with the stub's lines replaced by ``method_code`` and missing imports added."""
    current = {(s.qualname, s.lineno, s.end_lineno) for s in find_stubs(source)}
    if (stub.qualname, stub.lineno, stub.end_lineno) not in current:
        raise FillError(
            f"stub {stub.qualname} is no longer at lines {stub.lineno}-{stub.end_lineno}"
        )
    lines = split_lines(source)
    newline = _newline_of(lines, stub.lineno - 1)
    method_lines = _indent(method_code, stub.indent, newline)
    if not lines[stub.end_lineno - 1].endswith(("\n", "\r")):  # the stub ended the file
        method_lines[-1] = method_lines[-1].rstrip("\r\n")

    tree = ast.parse(source.removeprefix("\ufeff"))
    new_imports = [line + newline for line in _missing_imports(tree, imports)]
    at = _import_insertion_index(tree, len(lines))
    edits = [(stub.lineno - 1, stub.end_lineno, method_lines), (at, at, new_imports)]
    for start, end, replacement in sorted(edits, key=lambda e: e[0], reverse=True):
        if start == len(lines) and replacement and lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline  # appending imports to a file without a final newline
        lines[start:end] = replacement
    result = "".join(lines)
    _verify(result, stub, method_code)
    return result


# --- answer parsing --------------------------------------------------------------------------


def _answer_parts(answer: str) -> tuple[str, list[str]]:
    """``(code, imports)`` from a structured JSON answer, else ``(answer, [])``."""
    text = answer.strip()
    if not text.startswith("{"):
        return answer, []
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return answer, []
    if not isinstance(data, dict):
        return answer, []
    if "code" not in data:
        raise AnswerRejected("structured answer has no 'code' field")
    code, imports = data["code"], data.get("imports") or []
    if not isinstance(code, str):
        raise AnswerRejected("structured answer: 'code' must be a string")
    if not isinstance(imports, list) or not all(isinstance(i, str) for i in imports):
        raise AnswerRejected("structured answer: 'imports' must be a list of strings")
    return code, [i for i in imports if i.strip()]


def _unfence(text: str, name: str) -> str:
    """The content of the code fence defining ``name`` (else the first fence, else ``text``)."""
    blocks = [m.group(2) for m in _FENCE.finditer(text)]
    if not blocks:
        return text
    defining = re.compile(rf"\bdef\s+{re.escape(name)}\s*\(")
    return next((b for b in blocks if defining.search(b)), blocks[0])


def _parse_answer(code: str, what: str = "answer") -> ast.Module:
    try:
        return ast.parse(code)
    except SyntaxError as exc:
        if exc.lineno is None:  # e.g. null bytes
            raise AnswerRejected(f"{what} cannot be parsed: {exc.msg}") from None
        prefix = "syntax error" if what == "answer" else f"{what} has a syntax error"
        raise AnswerRejected(f"{prefix} at line {exc.lineno}: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise AnswerRejected(f"{what} cannot be parsed: {exc}") from None


def _is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def _class_methods(node: ast.ClassDef) -> list[FunctionNode]:
    methods: list[FunctionNode] = []
    for item in node.body:
        if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
            methods.append(item)
        elif not (_is_docstring(item) or isinstance(item, ast.Pass)):
            raise AnswerRejected(
                f"answer's class {node.name} contains more than the method: "
                f"{type(item).__name__} at line {item.lineno}"
            )
    return methods


def _the_function(functions: list[FunctionNode], stub: Stub) -> FunctionNode:
    mine = [f for f in functions if f.name == stub.name]
    others = _dedupe([f.name for f in functions if f.name != stub.name])
    if others:
        raise AnswerRejected(f"answer defines other methods: {', '.join(others)}")
    if not mine:
        raise AnswerRejected(f"answer does not define method {stub.name}")
    if len(mine) > 1:
        raise AnswerRejected(f"answer defines {stub.name} {len(mine)} times")
    return mine[0]


def _check_function(function: FunctionNode, stub: Stub) -> None:
    is_async = isinstance(function, ast.AsyncFunctionDef)
    got = signature_text(function)
    if is_async != stub.is_async:
        header = f"{'async def' if is_async else 'def'} {function.name}{got}"
        raise AnswerRejected(f"signature differs: expected {stub.header}, got {header}")
    if got != stub.signature:
        raise AnswerRejected(f"signature differs: expected {stub.signature}, got {got}")
    if any(is_stub_decorator(d) for d in function.decorator_list):
        raise AnswerRejected("answer keeps the @stub decorator; it must be removed")
    decorators = tuple(ast.unparse(d) for d in function.decorator_list)
    if decorators != stub.decorators:
        expected = ", ".join(f"@{d}" for d in stub.decorators) or "none"
        actual = ", ".join(f"@{d}" for d in decorators) or "none"
        raise AnswerRejected(f"decorators differ: expected {expected}, got {actual}")
    body = [s for s in function.body if not _is_docstring(s)]
    if len(body) == 1 and isinstance(body[0], ast.Raise) and body[0].exc is not None:
        exc = body[0].exc.func if isinstance(body[0].exc, ast.Call) else body[0].exc
        if isinstance(exc, ast.Name) and exc.id == "NotImplementedError":
            raise AnswerRejected("answer still raises NotImplementedError")


# --- source text -----------------------------------------------------------------------------


def _string_continuation_lines(code: str) -> set[int]:
    """1-based lines that start inside a multi-line string (their whitespace is content)."""
    inside: set[int] = set()
    fstring_starts: list[int] = []
    fstring_start = getattr(tokenize, "FSTRING_START", -1)
    fstring_end = getattr(tokenize, "FSTRING_END", -1)
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == fstring_start:
                fstring_starts.append(token.start[0])
            elif token.type == fstring_end and fstring_starts:
                inside.update(range(fstring_starts.pop() + 1, token.end[0] + 1))
            elif token.type == tokenize.STRING and token.end[0] > token.start[0]:
                inside.update(range(token.start[0] + 1, token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        pass  # ast accepted it; _verify catches any damage
    return inside


def _function_source(code: str, function: FunctionNode) -> str:
    """The function's lines (decorators included) moved to column 0."""
    start = min([function.lineno, *(d.lineno for d in function.decorator_list)])
    end = function.end_lineno or function.lineno
    lines = code.split("\n")[start - 1 : end]
    keep = {n - start for n in _string_continuation_lines(code) if start <= n <= end}
    first = lines[0]
    width = len(first) - len(first.lstrip(" \t"))
    out: list[str] = []
    for i, line in enumerate(lines):
        if i in keep:
            out.append(line)
        elif not line.strip():
            out.append("")
        elif line[:width].strip(" \t"):
            raise AnswerRejected(f"answer line {start + i} is indented less than its method")
        else:
            out.append(line[width:].rstrip())
    method = "\n".join(out) + "\n"
    reparsed = _parse_answer(method)
    if len(reparsed.body) != 1 or _dump(reparsed.body[0]) != _dump(function):
        raise AnswerRejected("answer could not be re-indented safely (mixed tabs and spaces?)")
    return method


def _dump(node: ast.AST) -> str:
    return ast.dump(node, annotate_fields=False)


def _indent(method_code: str, indent: str, newline: str) -> list[str]:
    keep = _string_continuation_lines(method_code)
    lines = method_code.rstrip("\n").split("\n")
    return [
        (line if n in keep else (indent + line if line.strip() else "")) + newline
        for n, line in enumerate(lines, start=1)
    ]


def _newline_of(lines: list[str], index: int) -> str:
    for line in [lines[index], *lines]:
        for ending in ("\r\n", "\n", "\r"):
            if line.endswith(ending):
                return ending
    return "\n"


def _verify(result: str, stub: Stub, method_code: str) -> None:
    """The spliced file parses and holds exactly the new method where the stub was."""
    try:
        tree = ast.parse(result.removeprefix("\ufeff"))
    except SyntaxError as exc:
        raise AnswerRejected(
            f"spliced file has a syntax error at line {exc.lineno}: {exc.msg}"
        ) from None
    expected = _dump(ast.parse(method_code).body[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == stub.class_name.rsplit(".", 1)[-1]:
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    if item.name == stub.name and _dump(item) == expected:
                        return
    raise AnswerRejected("answer could not be re-indented safely (mixed tabs and spaces?)")


# --- imports ---------------------------------------------------------------------------------


def _module_bindings(tree: ast.Module) -> set[str]:
    """Names bound at module top level (imports, classes, functions, simple assignments)."""
    bound: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            bound.update(_alias_binding(node, alias) for alias in node.names)
        elif isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            bound.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            bound.update(t.id for t in targets if isinstance(t, ast.Name))
    return bound


def _alias_binding(node: ast.Import | ast.ImportFrom, alias: ast.alias) -> str:
    if alias.asname:
        return alias.asname
    if isinstance(node, ast.Import):
        return alias.name.split(".")[0]
    return alias.name


def _missing_imports(tree: ast.Module, imports: list[str]) -> list[str]:
    """Import lines binding names the module does not bind yet (``__future__`` never)."""
    bound = _module_bindings(tree)
    lines: list[str] = []
    for statement in imports:
        for node in ast.parse(statement).body:
            if not isinstance(node, ast.Import | ast.ImportFrom):
                raise FillError(f"not an import statement: {statement!r}")
            if isinstance(node, ast.ImportFrom) and node.module == "__future__":
                continue
            names = [a for a in node.names if _alias_binding(node, a) not in bound]
            if not names:
                continue
            bound.update(_alias_binding(node, a) for a in names)
            if isinstance(node, ast.Import):
                lines.append(ast.unparse(ast.Import(names=names)))
            else:
                lines.append(
                    ast.unparse(ast.ImportFrom(module=node.module, names=names, level=node.level))
                )
    return _dedupe(lines)


def _import_insertion_index(tree: ast.Module, n_lines: int) -> int:
    """0-based line index right after the leading import block (or the module docstring)."""
    after: int | None = None
    for i, node in enumerate(tree.body):
        if isinstance(node, ast.Import | ast.ImportFrom) or (i == 0 and _is_docstring(node)):
            after = node.end_lineno or node.lineno
        elif after is not None:
            return after
        else:
            decorators: list[ast.expr] = getattr(node, "decorator_list", [])
            return min([node.lineno, *(d.lineno for d in decorators)]) - 1
    return after if after is not None else n_lines


def _dedupe(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))
