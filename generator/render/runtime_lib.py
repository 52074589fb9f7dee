"""The runtime library (``specloom_runtime``) as the generator sees it: where its source is, its
version (the range a generated ``pyproject.toml`` pins), and the files ``--vendor-runtime``
copies beside a generated package.

Where the sources are is :mod:`generator.bundled` (``runtime/specloom_runtime`` in a checkout,
``generator/bundled_runtime`` installed). They are read as text, never imported as a package:
the generator does not depend on the runtime it writes code for.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from ..bundled import PACKAGE, runtime_source
from ..errors import SpecloomError

__all__ = ["PACKAGE", "requirement", "runtime_paths", "runtime_source", "vendored_files"]

DISTRIBUTION = "specloom-runtime"


def runtime_paths() -> list[Path]:
    """Every file of the runtime package (sources and data, text only), sorted; caches
    excluded."""
    root = runtime_source()
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    )


@cache
def runtime_version() -> str:
    text = (runtime_source() / "__init__.py").read_text("utf-8")
    found = re.search(r'^__version__ = "([0-9]+)\.([0-9]+)\.([0-9]+)"$', text, re.M)
    if not found:
        raise SpecloomError('specloom_runtime/__init__.py has no __version__ = "X.Y.Z"')
    return ".".join(found.groups())


def requirement(extra: str | None = None) -> str:
    """The compatible range of the runtime a generated package depends on: same major.minor
    while the major is 0 (0.x minors may break), same major afterwards."""
    major, minor, _ = (int(x) for x in runtime_version().split("."))
    name = f"{DISTRIBUTION}[{extra}]" if extra else DISTRIBUTION
    if major == 0:
        return f"{name}>={major}.{minor},<{major}.{minor + 1}"
    return f"{name}>={major}.{minor},<{major + 1}"


def vendored_files() -> dict[str, str]:
    """``{path under the output folder: text}`` of a self-contained copy of the runtime."""
    root = runtime_source()
    return {
        f"{PACKAGE}/{p.relative_to(root).as_posix()}": p.read_text("utf-8") for p in runtime_paths()
    }
