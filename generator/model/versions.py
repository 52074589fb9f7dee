"""How a module serves several major versions of one contract (the view's part of Rule 2).

A module that provides ``KeyValue@1`` and ``KeyValue@2`` implements only the newest version: its
generated base class inherits ``KeyValueV2`` alone (the two ABCs have methods of the same names
with different signatures, so one class cannot implement both). Each older version is served by:

- a generated **adapter** (``adapters/key_value_v1_from_v2.py``, class ``KeyValueV1FromV2``) that
  wraps the implementation, when ``generator.diff.adapters`` finds the change adaptable (the
  caller of ``build_view`` passes its ``served_versions``: the model never imports diff); or
- a **legacy object** the implementation returns from ``serve_key_value_v1()``: an instance of a
  subclass of the generated ``<Module>KeyValueV1Base``. Until that method is overridden it is a
  ``@stub``, so the module runs on its mocks like any module with stubs left.

``ModuleDef.serves`` in the generated ``system.py`` tells the runtime which object serves which
version (``None``: the implementation itself).
"""

from __future__ import annotations

from typing import Protocol

from ..names import contract_class, contract_slug, pascal
from .spec import Contract


class Served(Protocol):
    """An older version a module provides next to the newest (``diff.adapters.ServedVersion``)."""

    @property
    def module(self) -> str: ...
    @property
    def old(self) -> Contract: ...
    @property
    def new(self) -> Contract: ...
    @property
    def adaptable(self) -> bool: ...
    def reasons(self) -> list[str]: ...


def accessor_name(name: str, version: int) -> str:
    """``serve_key_value_v1``: the implementation's method returning a legacy version's server."""
    return f"serve_{contract_slug(name, version)}"


def legacy_base(module: str, name: str, version: int) -> str:
    """``StoreKeyValueV1Base``: the base of the object serving an older version of a module."""
    return pascal(module) + contract_class(name, version) + "Base"


__all__ = ["Served", "accessor_name", "legacy_base"]
