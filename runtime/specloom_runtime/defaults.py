"""Mutable parameter defaults without a shared object.

A generated interface method whose contract default is a list, a dict or a model instance reads
``options: dict[str, Any] = _defaults.fresh({})`` (``point: Point = _defaults.fresh({...},
Point)`` for a model). :func:`fresh` keeps a private deep copy of the value and returns a
:class:`Fresh` marker, typed as the default itself (so signatures stay honest for type checkers).
The generic method paths (:mod:`specloom_runtime.methods`: clients, mocks, adapters) replace the
marker with a new deep copy (a newly validated model) on every call that omits the argument: what
a callee receives, and what goes on the wire, is always the contract's default, and mutating it
cannot change the next call's default. ``ruff`` is told the call is immutable
(``extend-immutable-calls`` in the generated ruff.toml): the marker is never handed out.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["Fresh", "fresh"]

T = TypeVar("T")
M = TypeVar("M", bound="BaseModel")


class Fresh:
    """A parameter default handed out new on every call (:meth:`new`)."""

    __slots__ = ("_model", "_value")

    def __init__(self, value: Any, model: type[BaseModel] | None = None) -> None:
        self._value = copy.deepcopy(value)
        self._model = model
        if model is not None:
            model.model_validate(value)  # a bad default fails at import, not at the first call

    def new(self) -> Any:
        """A new deep copy of the default (a newly validated model instance)."""
        if self._model is not None:
            return self._model.model_validate(copy.deepcopy(self._value))
        return copy.deepcopy(self._value)

    def __repr__(self) -> str:
        if self._model is not None:
            return f"{self._model.__name__}.model_validate({self._value!r})"
        return repr(self._value)


@overload
def fresh(value: T) -> T: ...


@overload
def fresh(value: Any, model: type[M]) -> M: ...


def fresh(value: Any, model: type[BaseModel] | None = None) -> Any:
    """The default ``value`` (of ``model``, when given) as a marker handing out a new copy per
    call."""
    return cast(Any, Fresh(value, model))
