"""The runtime library's sources shipped with this specloom (``specloom_runtime``), as files.

In a checkout they are ``runtime/specloom_runtime``; an installed specloom carries them as
``generator/bundled_runtime`` (setup.py). The generator never imports the ``specloom_runtime``
package (its ``__init__`` pulls pydantic and the bus); a stdlib-only file of it that the
generator shares, such as the string-format rules, is loaded on its own with
:func:`runtime_module`.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

from .errors import SpecloomError

PACKAGE = "specloom_runtime"


@cache
def runtime_source() -> Path:
    """The folder of the ``specloom_runtime`` package sources shipped with this specloom."""
    here = Path(__file__).resolve().parent  # generator/
    for candidate in (here / "bundled_runtime", here.parent / "runtime" / PACKAGE):
        if (candidate / "__init__.py").is_file():
            return candidate
    raise SpecloomError(f"the specloom_runtime sources were not found next to {here}")


@cache
def runtime_module(name: str) -> ModuleType:
    """The runtime's module ``name`` (a stdlib-only file, e.g. ``"format_rules"``), loaded from
    the shipped sources under a private name: the same code generated packages run."""
    qualified = f"generator._runtime_{name}"
    spec = importlib.util.spec_from_file_location(qualified, runtime_source() / f"{name}.py")
    if spec is None or spec.loader is None:
        raise SpecloomError(f"cannot load {name}.py of the runtime sources")
    module = importlib.util.module_from_spec(spec)
    sys.modules[qualified] = module
    spec.loader.exec_module(module)
    return module
