"""Breaking-change detection between two spec sets (``specloom diff``).

``diff_specs(old, new)`` compares two validated spec sets and returns a :class:`Report` of every
change, each classified by a rule of :data:`RULES` (stable ID, severity, description) and given a
status (breaking, warning, accepted, bumped, compatible). ``folders.diff_folders`` and
``folders.diff_against`` load and validate the folders first (a git revision is extracted with
``git archive``).

Modules: ``rules`` (the registry), ``schema`` (value-set comparison of data schemas),
``compare`` (one contract, two versions), ``specset`` (versions, bumps, modules, adapters),
``adapters`` (which older versions a generated adapter can serve), ``accept`` (deliberate
breaks), ``report`` (findings, text and JSON), ``gitref`` (specs at a git revision), ``docs``
(the rules table in docs/diff-rules.md).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..model.spec import SpecSet
from .accept import assign_status
from .report import Finding, Report
from .rules import RULES, Level, Rule
from .specset import compare_specsets


def diff_specs(
    old: SpecSet,
    new: SpecSet,
    *,
    ignore: Iterable[str] = (),
    old_label: str = "OLD",
    new_label: str = "NEW",
    old_prefix: str = "",
) -> Report:
    """The report of every change from ``old`` to ``new``."""
    unknown = sorted(set(ignore) - set(RULES))
    if unknown:
        from ..errors import UsageError

        raise UsageError(f"unknown rule(s) for --ignore: {', '.join(unknown)}")
    findings = assign_status(compare_specsets(old, new), new, ignore)
    return Report(old_label, new_label, findings, old_prefix)


__all__ = [
    "RULES",
    "Finding",
    "Level",
    "Report",
    "Rule",
    "diff_specs",
]
