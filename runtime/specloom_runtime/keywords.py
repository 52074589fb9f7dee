"""JSON Schema keywords pydantic has no exact equivalent for, as ``Annotated`` metadata.

Generated models import these next to the ``Fmt_*`` formats, only where a schema uses the
keyword, so models of schemas without them pay nothing:

- ``Annotated[A | B, OneOf()]``: ``oneOf``, exactly one branch must accept the value sent (the
  union alone takes a value that several branches accept). The branches are the union's
  members, or given explicitly (``OneOf(A, A)``) when the union cannot show them (two equal
  branches, an ``Any`` branch, ``anyOf`` and ``oneOf`` in the same schema);
- ``Annotated[list[X], UniqueItems()]``: ``uniqueItems: true``, by JSON equality (``1`` equals
  ``1.0``, ``1`` does not equal ``true``);
- ``Annotated[Literal[1], JsonEnum(1)]``: ``enum``/``const`` by JSON equality (``Literal[1]``
  alone takes ``True``, ``Literal[True]`` takes ``1``; array and object members are compared
  by value, not only by their container type);
- ``Annotated[int, Field(strict=True), JsonInteger()]``: a JSON Schema ``integer``: an ``int``
  (not a ``bool``), or an integral float such as ``1.0``, which becomes the int ``1`` before the
  int's own constraints run (``JsonInt`` is that annotation, for the shared types).

The checks run on the value as sent (before the annotated type converts it), with
``TypeAdapter`` validators built once, on first use.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, Field, GetCoreSchemaHandler, TypeAdapter
from pydantic import ValidationError as _ValidationError
from pydantic_core import CoreSchema, core_schema

__all__ = ["JsonEnum", "JsonInt", "JsonInteger", "OneOf", "UniqueItems", "json_key"]

_BOOL, _LIST, _DICT, _OTHER = object(), object(), object(), object()


def json_key(value: Any) -> Hashable:
    """A key equal for two values exactly when JSON Schema calls them equal (``1 == 1.0``,
    ``True != 1``, arrays and objects by value). A model counts as the JSON it dumps to."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return (_BOOL, value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        return (_LIST, tuple(json_key(item) for item in value))
    if isinstance(value, Mapping):
        return (_DICT, frozenset((key, json_key(item)) for key, item in value.items()))
    if isinstance(value, BaseModel):
        return json_key(value.model_dump(mode="json", by_alias=True, exclude_unset=True))
    return (_OTHER, id(value))


def _members(source: Any) -> tuple[Any, ...]:
    """The members of a union annotation (through ``Annotated``), or the type itself."""
    while get_origin(source) is Annotated:
        source = get_args(source)[0]
    if get_origin(source) is Union or type(source).__name__ == "UnionType":
        return get_args(source)
    return (source,)


class OneOf:
    """``oneOf``: the value sent must be accepted by exactly one branch.

    Without arguments the branches are the members of the annotated union, and a value no
    branch accepts is left to the union, which reports why each branch refused it. Given
    branches are checked in full (the annotated type may be wider: ``anyOf`` next to ``oneOf``).
    """

    __slots__ = ("_adapters", "_branches", "_given")

    def __init__(self, *branches: Any) -> None:
        self._branches: tuple[Any, ...] = branches
        self._given = bool(branches)
        self._adapters: tuple[TypeAdapter[Any], ...] = ()

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        if not self._branches:
            self._branches = _members(source)
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def _check(self, value: Any) -> Any:
        if not self._adapters:
            self._adapters = tuple(TypeAdapter(branch) for branch in self._branches)
        matched = 0
        for adapter in self._adapters:
            try:
                adapter.validate_python(value)
            except _ValidationError:
                continue
            matched += 1
            if matched > 1:
                raise ValueError("the value matches more than one oneOf branch (exactly one must)")
        if not matched and self._given:
            raise ValueError("the value matches none of the oneOf branches (exactly one must)")
        return value


class UniqueItems:
    """``uniqueItems: true``: no two items of the array are equal as JSON values."""

    __slots__ = ()

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(_unique, handler(source))


def _unique(value: Any) -> Any:
    if isinstance(value, list):
        seen: set[Hashable] = set()
        for i, item in enumerate(value):
            key = json_key(item)
            if key in seen:
                raise ValueError(f"array items must be unique (item {i} repeats an earlier one)")
            seen.add(key)
    return value


class JsonEnum:
    """``enum``/``const``: the value must equal a member as JSON (``1`` and ``1.0`` are equal,
    ``1`` and ``True`` are not); an equal member is what the annotated type then validates."""

    __slots__ = ("_by_key", "_members")

    def __init__(self, *members: Any) -> None:
        self._members = members
        self._by_key = {json_key(member): member for member in members}

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def _check(self, value: Any) -> Any:
        try:
            key = json_key(value)
            member = self._by_key[key]
        except (KeyError, TypeError):
            allowed = ", ".join(repr(m) for m in self._members)
            raise ValueError(f"the value must be one of: {allowed}") from None
        return value if isinstance(member, list | dict) else member


class JsonInteger:
    """``integer``: an integral float (``1.0``) is an integer too, and becomes the int ``1``;
    what follows is the annotated (strict, constrained) ``int``."""

    __slots__ = ()

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(_integral, handler(source))


def _integral(value: Any) -> Any:
    if type(value) is float and math.isfinite(value) and value.is_integer():
        return int(value)
    return value


JsonInt = Annotated[int, Field(strict=True), JsonInteger()]
"""A JSON Schema integer: a strict ``int``, or an integral float (``1.0`` becomes ``1``)."""
