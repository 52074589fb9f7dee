"""Spec files already known to match the JSON Schema of their kind, so an unchanged file is not
checked again (checking costs ~1 ms per file, 2 s for a system of 1,000 modules).

A file's key hashes its kind, its bytes and parser (or its parsed content), the shipped schemas
and the jsonschema version, so any change to one of them checks the file again. The keys of a
spec folder's schema-valid files are kept in one small file per folder in the cache
(``SPECLOOM_CACHE_DIR``); each run rewrites it with the keys of that run, so it never grows past
the folder's files.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from functools import cache
from pathlib import Path

from ..load import SpecDocument
from .schema import SCHEMA_FILES, schema_for


@cache
def _schemas_digest() -> str:
    from ..dists import version

    h = hashlib.sha256(f"jsonschema {version('jsonschema')}\n".encode())
    for kind in SCHEMA_FILES:
        h.update(json.dumps(schema_for(kind), sort_keys=True).encode())
    return h.hexdigest()


class KnownValid:
    """The schema-valid files of one spec folder, from the last run and from this one."""

    def __init__(self, folder: Path) -> None:
        from ..cache import cache_dir

        name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()
        self.path = cache_dir() / "valid" / f"{name}.json"
        self.before: set[str] = set()
        self.now: set[str] = set()
        with contextlib.suppress(OSError, ValueError, TypeError):
            self.before = set(json.loads(self.path.read_text("utf-8")))

    @staticmethod
    def key(doc: SpecDocument) -> str:
        # the digest of the file's bytes and parser stands for its data (no JSON dump to hash)
        content = doc.digest or json.dumps(
            doc.data, sort_keys=True, ensure_ascii=False, default=repr
        )
        return hashlib.sha256(f"{_schemas_digest()}\n{doc.kind}\n{content}".encode()).hexdigest()

    def seen(self, doc: SpecDocument) -> bool:
        """Whether ``doc`` matched its schema in the last run (it is then kept for the next)."""
        key = self.key(doc)
        if key in self.before:
            self.now.add(key)
            return True
        return False

    def add(self, doc: SpecDocument) -> None:
        self.now.add(self.key(doc))

    def save(self) -> None:
        if self.now == self.before:
            return
        with contextlib.suppress(OSError):  # a read-only cache only costs time
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(sorted(self.now)), "utf-8")
            os.replace(tmp, self.path)
