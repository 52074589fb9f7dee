"""Step 5, write: put rendered files on disk safely and incrementally, or compare (check).

- ``plan_changes`` compares rendered files with the output folder and its manifest;
- ``apply_changes`` writes only what changed (atomic replace), removes stale files, refuses to
  overwrite hand edits unless forced, and records the manifest last;
- ``scaffold`` writes implementation files once and appends stubs for new methods later.
"""

from .changes import Change, ChangeSet, apply_changes, plan_changes
from .manifest import MANIFEST, Manifest
from .scaffold import ScaffoldReport, update_scaffolds

__all__ = [
    "MANIFEST",
    "Change",
    "ChangeSet",
    "Manifest",
    "ScaffoldReport",
    "apply_changes",
    "plan_changes",
    "update_scaffolds",
]
