"""Deterministic JSON values that are valid against a schema (answers of generated mocks).

``synthesize(schema, resolve_ref=..., seed=...)`` builds a value from the schema (type, enum/const,
default, bounds, lengths, patterns, items, required properties, anyOf/oneOf, ``$ref``) and checks
every candidate with ``jsonschema`` (Draft 2020-12, its ``pattern`` on the same linear-time Rust
engine as the generated code: :mod:`generator.patterns`), so what it returns is valid or it
raises :class:`SynthError`. The value depends only on the schema and the seed: no randomness, no
hashing, no clock, so generated mocks are byte-stable across runs and machines.

The work is bounded: every candidate checked and every step of the regex writer spends from a
budget (:data:`WORK_BUDGET`); when it runs out the synthesis fails with a SynthError naming the
place in the schema, so a hostile schema costs about a second, never a hang.

Files: ``walk.py`` (schema walking, the oracle), ``scalars.py`` (numbers, strings, formats),
``regex.py`` (strings that match a pattern of the supported subset), ``budget.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .budget import WORK_BUDGET, Budget, BudgetExhausted, SynthError
from .walk import MAX_REF_DEPTH, Synth

__all__ = ["MAX_REF_DEPTH", "WORK_BUDGET", "SynthError", "synthesize"]


def synthesize(
    schema: Mapping[str, Any] | bool,
    *,
    resolve_ref: Callable[[str], Mapping[str, Any]],
    seed: str,
    checked: bool = False,
    budget: int = WORK_BUDGET,
) -> Any:
    """A deterministic JSON value valid against ``schema``.

    ``resolve_ref(name)`` returns the schema of the shared type ``#/types/<name>``. Raises
    :class:`SynthError` when the schema is invalid, unsatisfiable (e.g. ``minimum > maximum``),
    beyond what this package can satisfy, or too costly (more than ``budget`` steps); the message
    says where and why. ``checked``: the caller vouches that the schemas passed spec validation,
    so the metaschema check (about 1 ms per schema, most of the cost of a synthesis) is skipped.
    """
    try:
        return Synth(schema, resolve_ref, checked, Budget(budget)).value(schema, seed, 0, 0, "")
    except BudgetExhausted as exc:
        raise SynthError(
            f"{exc.path}: no value found within the work budget ({budget} steps): the schema is"
            " too hard to satisfy (simplify the pattern or bounds, or give a default)"
        ) from None
