"""What rendering hands to the write step: plain data, no callbacks (write never calls render)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ScaffoldSpec:
    """What one implementation file must contain."""

    rel: str
    content: str  # the fresh scaffold
    class_name: str
    methods: tuple[str, ...]
    stubs: Mapping[str, str] = field(default_factory=dict)  # method -> indented stub source
    hooks: tuple[str, ...] = ()  # further methods the base lets it override (serve_*_vN)
    contracts: Mapping[str, str] = field(default_factory=dict)  # method -> "Contract@N.method"


__all__ = ["ScaffoldSpec"]
