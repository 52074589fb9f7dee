"""The one literal printer: a JSON-like value -> Python source that evaluates to it.

Spec strings go through :func:`repr`, so they can never escape their quotes. Used by the view
(defaults, synthesized answers), the type hints (``Field(default=...)``) and, as the ``pyrepr``
Jinja filter, by the templates (see ``generator.render.literals``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any


def pyrepr(value: Any, *, strict: bool = False) -> str:
    """A Python literal for a JSON value (str, int, float, bool, None, list, dict).

    Non-finite floats become ``float("nan")``/``float("inf")``; with ``strict`` they raise
    ValueError, and an object key that is not a string raises TypeError (JSON has neither)."""
    if value is None or isinstance(value, bool | str):
        return repr(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if not math.isfinite(value):
            if strict:
                raise ValueError(f"{value!r} is not a JSON number")
            if math.isnan(value):
                return 'float("nan")'
            return 'float("inf")' if value > 0 else 'float("-inf")'
        return repr(float(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(pyrepr(v, strict=strict) for v in value) + "]"
    if isinstance(value, Mapping):
        items = []
        for key, item in value.items():
            if strict and not isinstance(key, str):
                raise TypeError(f"object key {key!r} is not a string")
            items.append(f"{str(key)!r}: {pyrepr(item, strict=strict)}")
        return "{" + ", ".join(items) + "}"
    raise TypeError(f"{type(value).__name__} is not a JSON value")
