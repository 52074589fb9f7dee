"""Diagnostics (errors with a location) and the tool's one exception root.

Every problem found in user input is a :class:`Diagnostic`; the steps collect them and keep going.
:class:`SpecloomError` is raised only to stop a command; the CLI turns it into a clean message.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding, located at ``path:line:col`` (1-based; 0 when unknown)."""

    path: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def format_text(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        text = f"{where}: {self.severity.value}[{self.code}]: {self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text

    def format_github(self) -> str:
        def esc(s: str) -> str:
            return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def esc_prop(s: str) -> str:
            return esc(s).replace(":", "%3A").replace(",", "%2C")

        level = "error" if self.severity is Severity.ERROR else "warning"
        msg = self.message + (f" (hint: {self.hint})" if self.hint else "")
        where = f",line={self.line},col={self.col}" if self.line else ""  # 0: the whole file
        title = esc_prop(self.code)
        return f"::{level} file={esc_prop(self.path)}{where},title={title}::{esc(msg)}"

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data


def format_diagnostics(diags: list[Diagnostic], fmt: str) -> str:
    """Render diagnostics as ``text``, ``json`` or ``github`` annotations."""
    if fmt == "json":
        return json.dumps([d.to_json() for d in diags], indent=2)
    if fmt == "github":
        return "\n".join(d.format_github() for d in diags)
    return "\n".join(d.format_text() for d in diags)


class SpecloomError(Exception):
    """Root of every error the tool raises on purpose; the CLI prints it without a traceback."""

    exit_code = 1

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.diagnostics = diagnostics or []


class UsageError(SpecloomError):
    """The command line itself is wrong (exit 2)."""

    exit_code = 2


def display_path(path: Path, base: Path | None = None) -> str:
    """A path as users should see it: relative to ``base`` (default: cwd) when below it."""
    base = base or Path.cwd()
    try:
        return str(path.resolve().relative_to(base.resolve()))
    except ValueError:
        return str(path)


def did_you_mean(name: str, choices: Iterable[str], otherwise: str = "") -> str:
    """``"did you mean 'x'?"`` for the closest of ``choices`` to a misspelt ``name``, else
    ``otherwise``: the one wording of every suggestion specloom makes."""
    options = list(choices)
    folded = [c for c in options if c.casefold() == name.casefold()]
    close = folded or difflib.get_close_matches(name, options, n=1)
    return f"did you mean {close[0]!r}?" if close else otherwise
