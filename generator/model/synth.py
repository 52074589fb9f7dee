"""Deterministic schema-valid values: the public API of :mod:`generator.model.values`."""

from __future__ import annotations

from .values import MAX_REF_DEPTH, WORK_BUDGET, SynthError, synthesize

__all__ = ["MAX_REF_DEPTH", "WORK_BUDGET", "SynthError", "synthesize"]
