"""The diff report: findings (one change each, classified by a rule), their status, formatting.

A finding's status says what it means for this change set:

- ``breaking``: a breaking change (rule level ``error``) within the same major version;
- ``warning``: a rule of level ``warning`` (reported; fails only with ``--fail-on warning``);
- ``accepted``: a breaking change or warning accepted on purpose (inline ``breaking:`` entry in
  NEW, ``versions.ignore`` in NEW's system.yaml, or ``--ignore``), with its reason;
- ``bumped``: a difference between an older major version and a new one (allowed by the bump);
- ``compatible``: a compatible change (rule level ``note``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from .rules import RULES, Level

STATUSES = ("breaking", "warning", "accepted", "bumped", "compatible")


@dataclass(frozen=True)
class Finding:
    """One change, located in NEW when it still exists there (else in OLD: ``in_new`` False)."""

    rule: str
    contract: str  # e.g. "Database@1"; "" when not about one contract
    method: str  # "" when not about one method
    message: str
    path: str
    line: int
    col: int
    in_new: bool = True
    module: str = ""
    status: str = ""
    reason: str = ""  # why it was accepted, or which version it was bumped from
    accepted_by: str = ""  # where the acceptance is written

    @property
    def level(self) -> Level:
        return RULES[self.rule].level

    @property
    def subject(self) -> str:
        """``Database@1.create``, ``Database@1``, ``module database`` or ``""``."""
        if self.contract and self.method:
            return f"{self.contract}.{self.method}"
        if self.contract:
            return self.contract
        return f"module {self.module}" if self.module else ""

    def with_status(self, status: str, reason: str = "", accepted_by: str = "") -> Finding:
        return replace(self, status=status, reason=reason, accepted_by=accepted_by)

    def location(self, old_prefix: str = "") -> str:
        path = self.path if self.in_new else old_prefix + self.path
        return f"{path}:{self.line}:{self.col}" if self.line else path

    @property
    def label(self) -> str:
        """What the finding is for this change set, as its text line says: ``error`` only for a
        breaking change that fails; an accepted one or one behind a major bump says so."""
        if self.status in ("accepted", "bumped"):
            return self.status
        if self.status == "compatible":
            return "note"
        return self.level.value

    def format_text(self, old_prefix: str = "") -> str:
        subject = f"{self.subject}: " if self.subject else ""
        text = f"{self.location(old_prefix)}: {self.label}[{self.rule}]: {subject}"
        text += self.message
        if self.status == "breaking":
            text += " (breaking change without a new major version)"
        elif self.status == "accepted":
            text += f" (accepted: {self.reason}; {self.accepted_by})"
        elif self.status == "bumped":
            text += f" (new major version; {self.reason})"
        return text

    def to_json(self, old_prefix: str = "") -> dict[str, Any]:
        return {
            "rule": self.rule,
            "level": self.level.value,
            "status": self.status,
            "breaking": RULES[self.rule].breaking,
            "contract": self.contract,
            "method": self.method,
            "module": self.module,
            "message": self.message,
            "path": self.path if self.in_new else old_prefix + self.path,
            "line": self.line,
            "col": self.col,
            "in_new": self.in_new,
            "reason": self.reason,
            "accepted_by": self.accepted_by,
        }


@dataclass
class Report:
    old: str  # labels, e.g. "HEAD:specs" and "specs"
    new: str
    findings: list[Finding] = field(default_factory=list)
    old_prefix: str = ""  # shown before OLD paths (e.g. "HEAD:")

    def count(self, status: str) -> int:
        return sum(f.status == status for f in self.findings)

    def failing(self, fail_on: str = "error") -> list[Finding]:
        statuses = ("breaking", "warning") if fail_on == "warning" else ("breaking",)
        return [f for f in self.findings if f.status in statuses]

    def exit_code(self, fail_on: str = "error") -> int:
        return 1 if self.failing(fail_on) else 0

    def ordered(self) -> list[Finding]:
        rank = {s: i for i, s in enumerate(STATUSES)}
        return sorted(
            self.findings,
            key=lambda f: (rank[f.status], not f.in_new, f.path, f.line, f.col, f.rule, f.message),
        )

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(s)} {s}" for s in STATUSES)
        return f"{self.old} -> {self.new}: {counts}"

    def format_text(self) -> str:
        lines = [f.format_text(self.old_prefix) for f in self.ordered()]
        if not self.findings:
            lines.append("no changes")
        lines.append(self.summary())
        return "\n".join(lines)

    def to_json(self, fail_on: str = "error") -> str:
        data = {
            "old": self.old,
            "new": self.new,
            "exit_code": self.exit_code(fail_on),
            "summary": {s: self.count(s) for s in STATUSES},
            "findings": [f.to_json(self.old_prefix) for f in self.ordered()],
        }
        return json.dumps(data, indent=2)


__all__ = ["STATUSES", "Finding", "Report"]
