"""Breaking-change detection between two spec sets (``specloom diff``).

``diff_specs(old, new)`` compares two validated spec sets and returns a :class:`Report` of every
change, each classified by a rule of :data:`RULES` (stable ID, severity, description) and given a
status (breaking, warning, accepted, bumped, compatible). ``diff_folders`` and ``diff_against``
load and validate the folders first (a git revision is extracted with ``git archive``).

Modules: ``rules`` (the registry), ``schema`` (value-set comparison of data schemas),
``compare`` (one contract, two versions), ``specset`` (versions, bumps, modules, adapters),
``adapters`` (which older versions a generated adapter can serve), ``accept`` (deliberate
breaks), ``report`` (findings, text and JSON), ``gitref`` (specs at a git revision), ``docs``
(the rules table in docs/diff-rules.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import SpecloomError, display_path
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


def load(folder: Path, what: str, base: Path | None = None) -> SpecSet:
    """Validate a spec folder for diffing; its errors stop the comparison."""
    from ..validate import validate_specs

    result = validate_specs(folder, base)
    if not result.ok or result.spec is None:
        raise SpecloomError(
            f"the {what} specs ({display_path(folder)}) have errors; fix them before comparing",
            result.errors,
        )
    return result.spec


def diff_folders(old: Path, new: Path, *, ignore: Iterable[str] = ()) -> Report:
    """Compare two spec folders."""
    return diff_specs(
        load(old, "OLD"),
        load(new, "NEW"),
        ignore=ignore,
        old_label=display_path(old),
        new_label=display_path(new),
    )


def diff_against(ref: str, specs: Path, *, ignore: Iterable[str] = ()) -> Report:
    """Compare ``specs`` at git revision ``ref`` (OLD) with the folder as it is now (NEW).

    OLD paths are shown the way git names them: ``REF:path/from/the/repository/root``.
    """
    from .gitref import specs_at

    with specs_at(ref, specs) as (old_dir, root):
        new = load(specs, "NEW")
        old = load(old_dir, f"OLD ({ref})", root)
        label = display_path(specs)
        return diff_specs(
            old,
            new,
            ignore=ignore,
            old_label=f"{ref}:{old_dir.relative_to(root).as_posix()}",
            new_label=label,
            old_prefix=f"{ref}:",
        )


__all__ = [
    "RULES",
    "Finding",
    "Level",
    "Report",
    "Rule",
    "diff_against",
    "diff_folders",
    "diff_specs",
]
