"""Comparing rendered files with the output folder, and applying the difference."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpecloomError
from .manifest import Manifest, sha256
from .safe_io import atomic_write, read_bytes, remove


@dataclass(frozen=True)
class Change:
    path: str
    kind: str  # "add" | "update" | "remove"
    old: bytes | None
    new: bytes | None
    edited: bool = False  # the file on disk is not what specloom last wrote


@dataclass
class ChangeSet:
    changes: list[Change] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    manifest: Manifest = field(default_factory=Manifest)

    @property
    def conflicts(self) -> list[Change]:
        return [c for c in self.changes if c.edited]

    def diff(self, out_label: str) -> str:
        chunks = []
        for c in self.changes:
            old = (c.old or b"").decode("utf-8", "replace").splitlines(keepends=True)
            new = (c.new or b"").decode("utf-8", "replace").splitlines(keepends=True)
            a = f"a/{out_label}/{c.path}" if c.old is not None else "/dev/null"
            b = f"b/{out_label}/{c.path}" if c.new is not None else "/dev/null"
            chunks.append("".join(difflib.unified_diff(old, new, a, b)))
            if chunks[-1] and not chunks[-1].endswith("\n"):
                chunks[-1] += "\n\\ No newline at end of file\n"
        return "".join(chunks)


def plan_changes(out: Path, files: dict[str, str]) -> ChangeSet:
    """What writing ``files`` into ``out`` would change (reads, never writes)."""
    manifest = Manifest.load(out)
    result = ChangeSet(manifest=manifest)
    for rel in sorted(files):
        new = files[rel].encode("utf-8")
        old = read_bytes(out, rel)
        if old == new:
            result.unchanged.append(rel)
            continue
        recorded = manifest.files.get(rel)
        edited = old is not None and (recorded is None or sha256(old) != recorded)
        result.changes.append(Change(rel, "add" if old is None else "update", old, new, edited))
    for rel in sorted(set(manifest.files) - set(files)):
        old = read_bytes(out, rel)
        if old is None:
            continue
        edited = sha256(old) != manifest.files[rel]
        result.changes.append(Change(rel, "remove", old, None, edited))
    return result


def apply_changes(
    out: Path,
    files: dict[str, str],
    plan: ChangeSet,
    *,
    force: bool,
    fingerprint: str,
    generator: str,
) -> None:
    """Write ``plan`` (from :func:`plan_changes`), then the manifest."""
    if plan.conflicts and not force:
        names = "\n".join(f"  {c.path}" for c in plan.conflicts[:20])
        more = len(plan.conflicts) - 20
        raise SpecloomError(
            f"{len(plan.conflicts)} generated file(s) were edited by hand and would be "
            f"overwritten or removed:\n{names}"
            + (f"\n  ... and {more} more" if more > 0 else "")
            + "\nmove your changes into the specs or the implementation (impl/), "
            "or pass --force to discard them"
        )
    for c in plan.changes:
        if c.new is None:
            remove(out, c.path)
        else:
            atomic_write(out, c.path, c.new)
    manifest = Manifest(
        {rel: sha256(text.encode("utf-8")) for rel, text in files.items()}, fingerprint, generator
    )
    if manifest.dumps() != plan.manifest.dumps() or plan.changes:
        manifest.save(out)
