"""``.specloom/manifest.json``: what specloom wrote (path -> sha256) and from what inputs."""

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

    @staticmethod
    def load(out: Path) -> Manifest:
        path = out / MANIFEST
        try:
            data = json.loads(path.read_text("utf-8"))
            if data.get("format") != FORMAT:
                return Manifest()
            return Manifest(
                dict(data["files"]), data.get("fingerprint", ""), data.get("generator", "")
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
        return json.dumps(data, indent=2) + "\n"

    def save(self, out: Path) -> None:
        atomic_write(out, MANIFEST, self.dumps().encode())
