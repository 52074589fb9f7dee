"""Raw LLM answers cached by prompt hash, so a run can be replayed exactly and offline.

The key is the sha256 of the canonical JSON of (model, messages, format schema, options); the
entry is ``<directory>/<key[:2]>/<key>.json``, written atomically. Unreadable or foreign entries
count as misses.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from generator.fill import FillError
from generator.fill.llm import LlmAnswer

FORMAT_VERSION = 1


def cache_key(
    model: str,
    messages: Sequence[Mapping[str, Any]],
    format_schema: Mapping[str, Any] | None,
    options: Mapping[str, Any] | None = None,
) -> str:
    """sha256 hex digest of everything that determines the answer."""
    payload = {
        "model": model,
        "messages": [dict(m) for m in messages],
        "format": format_schema,
        "options": options,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class AnswerCache:
    """A directory of cached answers (created on first write)."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> LlmAnswer | None:
        """The cached answer (``cached=True``), or ``None`` on a miss or an unreadable entry."""
        try:
            data = json.loads(self.path(key).read_text(encoding="utf-8"))
            if data.get("format_version") != FORMAT_VERSION or data.get("key") != key:
                return None
            return LlmAnswer(
                text=str(data["text"]),
                done_reason=data.get("done_reason"),
                model=str(data["model"]),
                seconds=float(data.get("seconds", 0.0)),
                chunks=int(data.get("chunks", 0)),
                cached=True,
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def put(self, key: str, answer: LlmAnswer) -> None:
        """Store ``answer`` atomically (write to a temporary file, then rename)."""
        entry = {
            "format_version": FORMAT_VERSION,
            "key": key,
            "model": answer.model,
            "done_reason": answer.done_reason,
            "seconds": round(answer.seconds, 3),
            "chunks": answer.chunks,
            "text": answer.text,
        }
        target = self.path(key)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, json.dumps(entry, indent=1, ensure_ascii=False).encode("utf-8"))
        except OSError as exc:
            raise FillError(f"cannot write the fill cache at {target}: {exc.strerror}") from None


def atomic_write(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``target`` via a temporary file in the same directory + ``os.replace``."""
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
