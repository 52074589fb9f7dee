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
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast, overload

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["Fresh", "fresh"]

T = TypeVar("T")
M = TypeVar("M", bound="BaseModel")


class Fresh:
    """A parameter default handed out new on every call (:meth:`new`)."""

    __slots__ = ("_model", "_new", "_value")

    def __init__(self, value: Any, model: type[BaseModel] | None = None) -> None:
        self._value = copy.deepcopy(value)
        self._model = model
        plain = _copier(self._value)
        if model is not None:
            model.model_validate(value)  # a bad default fails at import, not at the first call
            self._new: Callable[[], Any] = lambda: model.model_validate(plain())
        else:
            self._new = plain

    def new(self) -> Any:
        """A new deep copy of the default (a newly validated model instance)."""
        return self._new()

    def __repr__(self) -> str:
        if self._model is not None:
            return f"{self._model.__name__}.model_validate({self._value!r})"
        return repr(self._value)


_SCALARS = (str, int, float, bool, type(None))


def _json_like(value: Any) -> bool:
    """Whether ``value`` is JSON data: lists and dicts of strings, numbers, booleans, None."""
    if type(value) is list:
        return all(_json_like(item) for item in value)
    if type(value) is dict:
        return all(type(k) is str and _json_like(v) for k, v in value.items())
    return type(value) in _SCALARS


def _copier(value: Any) -> Callable[[], Any]:
    """A function returning a new deep copy of ``value`` (never handed out itself), as cheap as
    its shape allows: a flat list or dict of scalars is copied shallowly, other JSON data by a
    walk over lists and dicts (~5x faster than :func:`copy.deepcopy`), anything else deep."""
    if not _json_like(value):
        return lambda: copy.deepcopy(value)
    if type(value) is list and all(type(v) in _SCALARS for v in value):
        return value.copy
    if type(value) is dict and all(type(v) in _SCALARS for v in value.values()):
        return value.copy
    return lambda: _copy_json(value)


def _copy_json(value: Any) -> Any:
    if type(value) is list:
        return [_copy_json(item) for item in value]
    if type(value) is dict:
        return {k: _copy_json(v) for k, v in value.items()}
    return value


@overload
def fresh(value: T) -> T: ...


@overload
def fresh(value: Any, model: type[M]) -> M: ...


def fresh(value: Any, model: type[BaseModel] | None = None) -> Any:
    """The default ``value`` (of ``model``, when given) as a marker handing out a new copy per
    call."""
    return cast(Any, Fresh(value, model))
