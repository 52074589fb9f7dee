"""Rewriting ``$ref`` forms between specloom (``#/types/Name``) and other documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_DATA_KEYS = frozenset({"default", "examples", "enum", "const"})


def rewrite_refs(node: Any, change: Callable[[str], str]) -> Any:
    """A copy of ``node`` with every ``$ref`` string passed through ``change`` (data values such
    as defaults and enum members are copied untouched)."""
    if isinstance(node, list):
        return [rewrite_refs(v, change) for v in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            out[key] = change(value)
        elif key in _DATA_KEYS:
            out[key] = value
        elif key == "properties" and isinstance(value, dict):
            out[key] = {name: rewrite_refs(sub, change) for name, sub in value.items()}
        else:
            out[key] = rewrite_refs(value, change)
    return out


def types_to(prefix: str) -> Callable[[str], str]:
    """``#/types/Name`` -> ``<prefix>Name`` (other refs unchanged)."""
    return lambda ref: prefix + ref.removeprefix("#/types/") if ref.startswith("#/types/") else ref
