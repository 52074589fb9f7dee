"""How a module serves several major versions of one contract (the view's part of Rule 2).

A module that provides ``KeyValue@1`` and ``KeyValue@2`` implements only the newest version: its
generated base class inherits ``KeyValueV2`` alone (the two ABCs have methods of the same names
with different signatures, so one class cannot implement both). Each older version is served by:

- a generated **adapter** (``adapters/key_value_v1_from_v2.py``, class ``KeyValueV1FromV2``) that
  wraps the implementation, when ``generator.diff.adapters`` finds the change adaptable; or
- a **legacy object** the implementation returns from ``serve_key_value_v1()``: an instance of a
  subclass of the generated ``<Module>KeyValueV1Base``. Until that method is overridden it is a
  ``@stub``, so the module runs on its mocks like any module with stubs left.

``ModuleDef.serves`` in the generated ``system.py`` tells the runtime which object serves which
version (``None``: the implementation itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..names import contract_class, contract_slug, pascal
from .spec import Module, SpecSet

if TYPE_CHECKING:
    from .view import ContractView


@dataclass(frozen=True)
class AdapterView:
    """Serves ``old`` by calling an implementation of ``new`` (a generated adapter class)."""

    old: ContractView
    new: ContractView
    cls: str  # KeyValueV1FromV2
    slug: str  # key_value_v1_from_v2 (the file in adapters/)


@dataclass(frozen=True)
class LegacyView:
    """An older version the module serves itself, through an object its implementation returns."""

    contract: ContractView
    new: ContractView
    base: str  # StoreKeyValueV1Base
    accessor: str  # serve_key_value_v1
    reasons: tuple[str, ...]  # why no adapter is possible


@dataclass(frozen=True)
class ServeView:
    """One provided version and what serves it."""

    contract: ContractView
    adapter: AdapterView | None = None
    legacy: LegacyView | None = None

    @property
    def kind(self) -> str:
        return "adapter" if self.adapter else "legacy" if self.legacy else "impl"


@dataclass(frozen=True)
class ModuleVersions:
    implements: tuple[ContractView, ...]
    serves: tuple[ServeView, ...]  # aligned with the module's provides
    legacy: tuple[LegacyView, ...]
    adapters: tuple[AdapterView, ...]


def accessor_name(name: str, version: int) -> str:
    """``serve_key_value_v1``: the implementation's method returning a legacy version's server."""
    return f"serve_{contract_slug(name, version)}"


def legacy_base(module: str, name: str, version: int) -> str:
    """``StoreKeyValueV1Base``: the base of the object serving an older version of a module."""
    return pascal(module) + contract_class(name, version) + "Base"


def module_versions(
    spec: SpecSet, module: Module, contracts: Mapping[str, ContractView]
) -> ModuleVersions:
    """Which provided versions the module implements, and how the older ones are served."""
    from ..diff.adapters import served_versions

    older = {}
    names = [ref.name for ref in module.provides]
    if len(set(names)) < len(names):  # only a module providing two versions serves an older one
        older = {s.old.key: s for s in served_versions(spec) if s.module == module.name}
    implements, serves, legacy, adapters = [], [], [], []
    for ref in module.provides:
        cv = contracts[ref.key]
        s = older.get(ref.key)
        if s is None:
            implements.append(cv)
            serves.append(ServeView(cv))
            continue
        new = contracts[s.new.key]
        if s.adaptable:
            a = AdapterView(
                cv, new, f"{cv.cls}From{new.cls[len(new.name) :]}", f"{cv.slug}_from_v{new.version}"
            )
            adapters.append(a)
            serves.append(ServeView(cv, adapter=a))
        else:
            lv = LegacyView(
                cv,
                new,
                legacy_base(module.name, cv.name, cv.version),
                accessor_name(cv.name, cv.version),
                tuple(s.reasons()),
            )
            legacy.append(lv)
            serves.append(ServeView(cv, legacy=lv))
    return ModuleVersions(tuple(implements), tuple(serves), tuple(legacy), tuple(adapters))


__all__ = [
    "AdapterView",
    "LegacyView",
    "ModuleVersions",
    "ServeView",
    "accessor_name",
    "legacy_base",
    "module_versions",
]
