"""Turning untrusted spec strings and values into safe Python literals and Markdown text."""

from __future__ import annotations

import math
import textwrap
from typing import Any


def pyrepr(value: Any) -> str:
    """A Python literal for a JSON-like value; spec strings can never escape their quotes."""
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else 'float("-inf")'
        return repr(value)
    if isinstance(value, list | tuple):
        inner = ", ".join(pyrepr(v) for v in value)
        return f"[{inner}]"
    if isinstance(value, dict):
        inner = ", ".join(f"{pyrepr(str(k))}: {pyrepr(v)}" for k, v in value.items())
        return "{" + inner + "}"
    raise TypeError(f"not a JSON value: {type(value).__name__}")


DOC_WIDTH = 96


def _wrap(line: str, width: int) -> list[str]:
    if len(line) <= width:
        return [line]
    lead = line[: len(line) - len(line.lstrip())]
    return textwrap.wrap(
        line,
        width,
        initial_indent="",
        subsequent_indent=lead,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [line]


def docstring(text: str, indent: int = 4) -> str:
    """Text safe inside a triple-quoted docstring: backslashes and quotes escaped, long lines
    wrapped to fit the line length at ``indent``."""
    text = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\r", "")
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    pad = " " * indent
    width = DOC_WIDTH - indent
    lines = [w for ln in (text.splitlines() or [""]) for w in _wrap(ln, width)]
    return "\n".join([lines[0], *[(pad + ln) if ln.strip() else "" for ln in lines[1:]]])


def md_text(text: str) -> str:
    """Spec text in Markdown: kept literal, HTML neutralised."""
    return text.replace("<", "&lt;").replace(">", "&gt;")


def md_cell(text: str) -> str:
    """Spec text inside a Markdown table cell."""
    return md_text(text).replace("|", "\\|").replace("\n", " ").strip()
