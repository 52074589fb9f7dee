"""The one owner of specloom's cache folder (safe to delete at any time).

``$SPECLOOM_CACHE_DIR`` when set (used as is), else ``$XDG_CACHE_HOME/specloom``, else
``~/.cache/specloom``. Each user keeps a subfolder: ``types/`` (shared-type models), ``jinja/``
(compiled templates), ``format/`` (ruff output), ``valid/`` (spec files known to match their
schema), ``tool/`` (the generator's digest), ``pydantic/``, ``render/`` (rendered files),
``parsed/`` (parsed spec files), ``output/`` (whole outputs).
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """The cache folder (not created here)."""
    own = os.environ.get("SPECLOOM_CACHE_DIR")
    if own:
        return Path(own)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "specloom"


__all__ = ["cache_dir"]
