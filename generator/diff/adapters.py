"""Which older contract versions a module can serve from its implementation of the newest one.

A module that provides several major versions of a contract (``KeyValue@1`` and ``KeyValue@2``)
implements only the newest. Each older version is served either by a generated adapter, when the
differences allow it, or by the module itself through a separate generated base class.

An adapter receives a call of the old version (validated against the old params model), passes
every old parameter explicitly to the new method (so a changed default or a parameter that became
required keeps its old value), and checks the new result against the old result schema. That
works exactly when comparing old -> new finds no breaking change other than those a rule marks
``adapter_ok`` (see ``generator.diff.rules``). Events are not adapted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..model.spec import Contract, SpecSet
from .compare import compare_contracts
from .report import Finding
from .rules import RULES


@dataclass(frozen=True)
class ServedVersion:
    """An older version ``old`` a module provides next to the newest one it implements."""

    module: str
    old: Contract
    new: Contract
    blockers: tuple[Finding, ...]  # the breaking changes no adapter can absorb

    @property
    def adaptable(self) -> bool:
        return not self.blockers

    def reasons(self) -> list[str]:
        """One short line per blocking change, e.g. ``put: required parameter 'ttl' added``."""
        return [
            f"{(f.method + ': ') if f.method else ''}{f.message} ({f.rule})" for f in self.blockers
        ]


def blockers(old: Contract, new: Contract, spec: SpecSet) -> tuple[Finding, ...]:
    """The changes from ``old`` to ``new`` that no generated adapter can absorb."""
    types = {t.name: (t.schema, t.origin) for t in spec.types}
    found = compare_contracts(old, new, types, types)
    return tuple(f for f in found if not RULES[f.rule].adapter_ok)


def served_versions(spec: SpecSet) -> list[ServedVersion]:
    """For every module, each older provided version and whether an adapter can serve it."""
    out = []
    for module in spec.modules:
        by_name: dict[str, list[Contract]] = defaultdict(list)
        for ref in module.provides:
            c = spec.contract(ref.key)
            if c is not None:
                by_name[c.name].append(c)
        for versions in by_name.values():
            newest = max(versions, key=lambda c: c.version)
            for c in sorted(versions, key=lambda c: c.version):
                if c is not newest:
                    out.append(ServedVersion(module.name, c, newest, blockers(c, newest, spec)))
    return out


__all__ = ["ServedVersion", "blockers", "served_versions"]
