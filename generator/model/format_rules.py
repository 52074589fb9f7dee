"""The string-format rules ``validate`` and the models share: the runtime library's own
``specloom_runtime/format_rules.py`` (the one definition), loaded from the shipped sources."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..bundled import runtime_module

__all__ = ["CHECKS", "FORMAT_TYPES", "is_valid"]

_rules = runtime_module("format_rules")

CHECKS: Mapping[str, Callable[[str], bool]] = _rules.CHECKS
"""Format name -> whether a string has that format."""
FORMAT_TYPES: Mapping[str, str] = _rules.FORMAT_TYPES
"""Format name -> the name of its annotation in ``specloom_runtime.formats``."""
is_valid: Callable[[str, object], bool] = _rules.is_valid
