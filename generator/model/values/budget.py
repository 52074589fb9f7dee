"""The errors of value synthesis and its work budget (a synthesis never runs unbounded)."""

from __future__ import annotations

__all__ = ["WORK_BUDGET", "Budget", "BudgetExhausted", "SynthError"]

WORK_BUDGET = 100_000
"""Steps one :func:`~generator.model.values.synthesize` call may take (candidates checked, regex
writer steps): the flagship needs a few thousand; a hostile schema fails in about a second."""


class SynthError(ValueError):
    """No valid value could be built (unsatisfiable schema, unsupported pattern, bad $ref)."""


class BudgetExhausted(Exception):  # noqa: N818 - not a SynthError: alternatives must not retry
    """The work budget ran out; raised through every fallback, turned into a SynthError at the
    top (the walk catches SynthError to try the next candidate, and must not here)."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class Budget:
    """A countdown of work steps shared by one synthesis."""

    def __init__(self, steps: int = WORK_BUDGET) -> None:
        self.limit = steps
        self.left = steps

    def spend(self, path: str, steps: int = 1) -> None:
        self.left -= steps
        if self.left < 0:
            raise BudgetExhausted(path)
