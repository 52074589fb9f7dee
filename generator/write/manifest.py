"""``.specloom/manifest.json``: what specloom wrote (path -> sha256) and from what inputs.

While a generation writes, the manifest also lists what it is about to write (``pending``, with
an empty fingerprint): if the run is killed, the next one still recognises those files as its
own (not edited by hand) and, the fingerprint not matching, renders and repairs the output.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .safe_io import atomic_write

MANIFEST = ".specloom/manifest.json"
FORMAT = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Manifest:
    files: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""
    generator: str = ""
    pending: dict[str, str] = field(default_factory=dict)
    # Implementation files (relative to the project root) that generation keeps in existence:
    # a no-op run still renders when one of them is missing, so deleting one restores its scaffold.
    scaffolds: list[str] = field(default_factory=list)

    def ours(self, rel: str, digest: str) -> bool:
        """Whether content with ``digest`` at ``rel`` is what specloom wrote (or was writing)."""
        return digest in (self.files.get(rel), self.pending.get(rel))

    @staticmethod
    def load(out: Path) -> Manifest:
        path = out / MANIFEST
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("format") != FORMAT:
                return Manifest()
            return Manifest(
                dict(data["files"]),
                data.get("fingerprint", ""),
                data.get("generator", ""),
                dict(data.get("pending", {})),
                list(data.get("scaffolds", [])),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return Manifest()

    def dumps(self) -> str:
        data = {
            "format": FORMAT,
            "generator": self.generator,
            "fingerprint": self.fingerprint,
            "files": dict(sorted(self.files.items())),
        }
        if self.pending:
            data["pending"] = dict(sorted(self.pending.items()))
        if self.scaffolds:
            data["scaffolds"] = sorted(self.scaffolds)
        return json.dumps(data, indent=2) + "\n"

    def save(self, out: Path) -> None:
        atomic_write(out, MANIFEST, self.dumps().encode())
