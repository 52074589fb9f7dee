"""Versions of installed distributions, read cheaply.

``importlib.metadata`` costs ~25 ms to import and scan, more than a no-op generation spends on
everything else; the version is also the name of the distribution's ``.dist-info`` folder, found
with one directory listing per ``sys.path`` entry. Falls back to ``importlib.metadata``.
"""

from __future__ import annotations

import os
import sys
from functools import cache


@cache
def version(dist: str) -> str:
    """The version of the installed distribution ``dist`` (e.g. ``"ruff"``), or ``"-"``."""
    prefix = dist.replace("-", "_").lower() + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and name.lower().startswith(prefix):
                return name[len(prefix) : -len(".dist-info")]
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as metadata_version

    try:
        return metadata_version(dist)
    except PackageNotFoundError:
        return "-"
