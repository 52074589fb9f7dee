"""Spec files parsed before, by content: an unchanged file is not parsed again.

Parsing with locations costs ~1-2 ms per file (2-4 s for a system of 1,000 modules); a file
whose bytes hash to a key of the last run takes its data and positions from one pack per spec
folder instead (``<cache>/parsed/``). The key hashes the file's bytes, the parser's source
(``located.py``) and PyYAML's version, so a change to any of them parses again. Only files that
parsed cleanly are kept; each run keeps the entries it used.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from ..packs import load_pack, save_pack
from ..parallel import map_in_two
from .located import Located, YamlProblem, parse_yaml


@cache
def _parser() -> Any:
    """A hash fed with the parser's source and PyYAML's version, copied for each key."""
    import yaml

    from . import located

    h = hashlib.sha256(f"yaml {yaml.__version__} {yaml.__with_libyaml__}\n".encode())
    h.update(Path(located.__file__).read_bytes())
    return h


def _parse_entry(raw: bytes) -> tuple[Any, Any, Any] | None:
    """What the cache holds of one text, or None when it does not parse."""
    try:
        doc = parse_yaml(raw.decode("utf-8").removeprefix("\ufeff"))
    except (YamlProblem, UnicodeDecodeError, RecursionError):
        return None
    return (doc.data, doc.values, doc.keys)


class ParsedFiles:
    """The parsed spec files of one folder, from the last run and this one."""

    def __init__(self, folder: Path, *, enabled: bool = True) -> None:
        self.enabled = enabled
        self.name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:32]
        old = load_pack("parsed", self.name) if enabled else None
        self._old: dict[str, Any] = old if isinstance(old, dict) else {}
        self._saved = set(self._old)  # what the pack on disk holds
        self._new: dict[str, Any] = {}

    @staticmethod
    def key(raw: bytes) -> str:
        h = _parser().copy()
        h.update(raw)
        return h.hexdigest()

    def get(self, key: str) -> Located | None:
        hit = self._old.get(key)
        if hit is None:
            return None
        self._new[key] = hit
        data, values, keys = hit
        return Located(data, values, keys)

    def parse_misses(self, raws: list[bytes]) -> None:
        """Parse the texts not in the cache, on two cores when there are many (a cold run of a
        large system), and keep those that parse cleanly: ``get`` then answers for them. A text
        that does not parse is left to the caller, which parses it again for its diagnostic."""
        todo = {k: raw for raw in raws if (k := self.key(raw)) not in self._old}
        for key, entry in zip(todo, map_in_two(_parse_entry, list(todo.values())), strict=True):
            if entry is not None:
                self._old[key] = entry

    def add(self, key: str, doc: Located) -> None:
        self._new[key] = (doc.data, doc.values, doc.keys)

    def save(self) -> None:
        if self.enabled and self._new.keys() != self._saved:
            save_pack("parsed", self.name, self._new)


__all__ = ["ParsedFiles"]
