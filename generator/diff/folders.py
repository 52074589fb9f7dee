"""``specloom diff`` on folders: validate two spec folders (or one at a git revision) and compare.

Above the diff engine (the rest of ``generator.diff``, which ``validate`` uses for its rule
catalogue and adapter check) because it loads folders through ``validate``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import SpecloomError, display_path
from ..model.spec import SpecSet
from . import Report, diff_specs


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


__all__ = ["diff_against", "diff_folders", "load"]
