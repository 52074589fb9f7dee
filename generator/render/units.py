"""Incremental rendering: each per-contract, per-adapter, per-module and per-edge file is cached,
formatted, under a key made of everything it is rendered from.

The key of a file is a hash of: the salt (the generator's digest: its code, built-in templates,
ruff, datamodel-code-generator and pydantic versions), the file's path and template, the system's
own fields (:class:`SystemFields`, all of the system a unit template sees), the batch's top-level
folders (ruff's import sorting depends on them) and the ``repr`` of the view objects handed to
the template. A view object is frozen and holds, computed, everything its file shows: a
``ModuleView`` holds the contracts it provides and consumes with their schemas and shared types
inlined as hints, its wave and dependents; a ``ContractView`` its methods, examples and mock
answers. So a change to one contract or type changes the key of exactly the files that show it.
With user templates (``--templates``) nothing is cached: a user template may read anything.

All entries live in one pack per output folder; each run keeps only the entries it used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..packs import load_pack, save_pack


@dataclass(frozen=True)
class SystemFields:
    """The ``view`` a per-unit template gets: the system's own fields, not its modules or
    contracts. A built-in unit template reading anything else fails (StrictUndefined), so the
    unit's key (these fields and its own view objects) covers all that its file shows."""

    name: str
    package: str
    title: str
    version: str
    description: str
    impl_package: str
    model: str
    type_names: tuple[str, ...]

    @classmethod
    def of(cls, view: Any) -> SystemFields:
        return cls(**{f: getattr(view, f) for f in cls.__dataclass_fields__})


class UnitCache:
    """Formatted files of an earlier run, by key; what this run rendered afresh is counted."""

    def __init__(self, name: str, salt: str, view: Any, folders: Iterable[str]) -> None:
        self.name = name
        system = repr(SystemFields.of(view))
        self._base = f"{salt}\n{system}\n{sorted(folders)}\n"
        old = load_pack("render", name)
        self._old: Mapping[str, str] = old if isinstance(old, dict) else {}
        self._new: dict[str, str] = {}
        # id -> (the object, its repr): the object is held so that its id is not reused by
        # another (a temporary EdgeView freed after its lookup would lend the next one its key)
        self._reprs: dict[int, tuple[Any, str]] = {}
        self.keys: dict[str, str] = {}  # rel -> key, for the files of this run
        self.reused: set[str] = set()

    def _repr(self, value: Any) -> str:
        held = self._reprs.get(id(value))
        if held is None or held[0] is not value:
            held = self._reprs[id(value)] = (value, repr(value))
        return held[1]

    def lookup(self, rel: str, template: str, ctx: Mapping[str, Any]) -> str | None:
        """The formatted text of ``rel`` from an earlier run, or None (then render it)."""
        h = hashlib.sha256(f"{self._base}{rel}\n{template}\n".encode())
        for name in sorted(ctx):
            h.update(f"{name}={self._repr(ctx[name])}\n".encode())
        key = h.hexdigest()
        self.keys[rel] = key
        hit = self._old.get(key)
        if hit is not None:
            self.reused.add(rel)
            self._new[key] = hit
        return hit

    def store(self, formatted: Mapping[str, str]) -> None:
        """Remember the freshly formatted files and save the pack (this run's entries only)."""
        for rel, key in self.keys.items():
            if rel not in self.reused and rel in formatted:
                self._new[key] = formatted[rel]
        save_pack("render", self.name, self._new)

    @property
    def rendered(self) -> int:
        return len(self.keys) - len(self.reused)

    @property
    def fresh(self) -> tuple[str, ...]:
        """The files this run rendered afresh."""
        return tuple(sorted(set(self.keys) - self.reused))


__all__ = ["SystemFields", "UnitCache"]
