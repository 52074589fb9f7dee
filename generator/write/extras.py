"""Files in the output folder that specloom did not write ("extras"): they are drift too.

The output folder belongs to the generator: a file in it that is neither in the manifest nor
about to be written (a ``conftest.py`` dropped into ``generated/tests``, a module added to the
package, a ``.pth`` or ``pytest.ini``) can change what the generated code and tests do while the
hashes of the generated files stay right. ``check`` fails on them and names them; ``generate``
reports them and removes them only with ``--force``.

Not counted, because tools write them while using the output and they are never committed:
the caches ``__pycache__/`` (and ``*.pyc``), ``.pytest_cache/``, ``.mypy_cache/``,
``.ruff_cache/``, ``.hypothesis/`` anywhere; right in the output folder, the ``*.egg-info/``,
``build/`` and ``dist/`` of an install and specloom's own ``.specloom/`` (manifest, lock); the
temporaries of an interrupted write; and SQLite database files (``*.db``, ``*.sqlite``,
``*.sqlite3`` and their ``-journal``/``-wal``/``-shm`` companions) that a system run from the
output folder creates.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
from collections.abc import Collection
from pathlib import Path

from .safe_io import _TEMPORARY, safe_target

IGNORED_DIRS = frozenset(
    {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"}
)
TOP_IGNORED_DIRS = (".specloom", "build", "dist", "*.egg-info")  # only right in the output folder
IGNORED_FILES = (
    "*.pyc",
    "*.db",
    "*.sqlite",
    "*.sqlite3",
    "*.db-journal",
    "*.db-wal",
    "*.db-shm",
    "*.sqlite3-journal",
    "*.sqlite3-wal",
    "*.sqlite3-shm",
)


def _ignored_dir(name: str, top: bool) -> bool:
    return name in IGNORED_DIRS or (top and any(fnmatch.fnmatch(name, p) for p in TOP_IGNORED_DIRS))


def _ignored_file(name: str) -> bool:
    return bool(_TEMPORARY.match(name)) or any(fnmatch.fnmatch(name, p) for p in IGNORED_FILES)


def extra_files(out: Path, known: Collection[str]) -> list[str]:
    """Sorted paths (relative, ``/``-separated) of the files and links under ``out`` that are
    not in ``known`` and not ignored (see the module docstring). Links are listed, not
    followed."""
    if not out.is_dir() or out.is_symlink():
        return []
    known = set(known)
    extras: list[str] = []
    for folder, dirs, files in os.walk(out):
        rel_folder = Path(folder).relative_to(out).as_posix()
        prefix = "" if rel_folder == "." else f"{rel_folder}/"
        keep = []
        for name in dirs:
            rel = prefix + name
            if _ignored_dir(name, top=not prefix):
                continue
            if os.path.islink(os.path.join(folder, name)):
                if rel not in known:
                    extras.append(rel)
                continue
            keep.append(name)
        dirs[:] = sorted(keep)
        for name in files:
            rel = prefix + name
            if rel not in known and not _ignored_file(name):
                extras.append(rel)
    return sorted(extras)


def remove_extra(out: Path, rel: str) -> None:
    """Delete one extra file or link (never following a link), then its emptied folders."""
    parent_rel, _, name = rel.rpartition("/")
    parent = safe_target(out, parent_rel) if parent_rel else out
    with contextlib.suppress(FileNotFoundError):
        os.unlink(parent / name)
    while parent != out and parent.is_relative_to(out):
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


__all__ = ["extra_files", "remove_extra"]
