"""Deliberate breaking changes: inline ``breaking:`` entries in NEW, the config list, ``--ignore``.

Inline, in a contract file of NEW (format fixed by the contract JSON Schema)::

    breaking:                                   # contract level: any finding of this contract
      - {rule: METHOD_NO_DELETE, method: purge, reason: nobody called it}
    methods:
      create:
        breaking:                               # method level: findings of this method
          - {rule: PARAM_NO_DELETE, reason: the table comes from the session now}

A contract-level entry also covers findings about a removed version of the same contract (e.g.
``CONTRACT_VERSION_NO_DROP`` accepted in ``Database@2``). In NEW's ``system.yaml``::

    versions:
      ignore:                                   # accepted everywhere, or in one contract
        - {rule: DOC_CHANGED, reason: docs are not a contract}
        - {rule: ERROR_NO_ADD, contract: Database, reason: callers handle every error}

An accepted finding stays in the report with status ``accepted``, its reason and where it was
accepted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model.spec import SpecSet
from .report import Finding


@dataclass(frozen=True)
class Acceptance:
    rule: str
    reason: str
    source: str  # "contracts/x.yaml:12" or "command line"
    contract: str = ""  # "Database" (any version) or "Database@1"; "" everywhere
    method: str = ""  # "" any method

    def covers(self, f: Finding, new_keys: set[str]) -> bool:
        if self.rule != f.rule:
            return False
        if self.method and self.method != f.method:
            return False
        if not self.contract:
            return True
        if "@" in self.contract:
            if self.contract == f.contract:
                return True
            # a contract-level entry in a newer version covers a removed older version
            name = self.contract.split("@")[0]
            return f.contract not in new_keys and f.contract.split("@")[0] == name
        return f.contract.split("@")[0] == self.contract


def _where(origin: Any, *path: str | int) -> str:
    file, line, _ = origin.at(*path)
    return f"{file}:{line}"


def _entries(data: Any) -> list[Mapping[str, Any]]:
    return [e for e in (data or []) if isinstance(e, Mapping)]


def acceptances(new: SpecSet, ignore: Iterable[str] = ()) -> list[Acceptance]:
    """Every acceptance written in NEW, plus rules ignored on the command line."""
    out = []
    for c in new.contracts:
        for i, e in enumerate(_entries(c.breaking)):
            out.append(
                Acceptance(
                    e["rule"],
                    e["reason"],
                    _where(c.origin, "breaking", i),
                    c.key,
                    str(e.get("method", "")),
                )
            )
        for m in c.methods:
            for i, e in enumerate(_entries(m.breaking)):
                where = _where(m.origin, "breaking", i)
                out.append(Acceptance(e["rule"], e["reason"], where, c.key, m.name))
    if new.system is not None:
        data = new.system.origin.doc.data
        config = (data.get("versions") or {}).get("ignore") or []
        for i, e in enumerate(_entries(config)):
            where = (
                f"{new.system.origin.file}:{new.system.origin.doc.at(('versions', 'ignore', i))[0]}"
            )
            out.append(Acceptance(e["rule"], e["reason"], where, str(e.get("contract", ""))))
    for rule in ignore:
        out.append(Acceptance(rule, "ignored on the command line", "--ignore"))
    return out


def assign_status(
    findings: list[Finding], new: SpecSet, ignore: Iterable[str] = ()
) -> list[Finding]:
    """Give each finding its status: breaking, warning, accepted, bumped or compatible."""
    from .rules import Level

    rules = acceptances(new, ignore)
    new_keys = {c.key for c in new.contracts}
    out = []
    for f in findings:
        if f.status == "bumped":
            out.append(f)
            continue
        if f.level is Level.NOTE:
            out.append(f.with_status("compatible"))
            continue
        hit = next((a for a in rules if a.covers(f, new_keys)), None)
        if hit is not None:
            out.append(f.with_status("accepted", hit.reason, hit.source))
        else:
            out.append(f.with_status("breaking" if f.level is Level.ERROR else "warning"))
    return out


__all__ = ["Acceptance", "acceptances", "assign_status"]
