"""Comparing rendered files with the output folder, and applying the difference."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SpecloomError
from .extras import extra_files, remove_extra
from .manifest import MANIFEST, Manifest, sha256
from .safe_io import atomic_write, read_bytes, remove, sweep_temporaries


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
    extra: list[str] = field(default_factory=list)  # files specloom did not write (drift)

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
        edited = old is not None and not manifest.ours(rel, sha256(old))
        result.changes.append(Change(rel, "add" if old is None else "update", old, new, edited))
    for rel in sorted((set(manifest.files) | set(manifest.pending)) - set(files)):
        old = read_bytes(out, rel)
        if old is None:
            continue
        edited = not manifest.ours(rel, sha256(old))
        result.changes.append(Change(rel, "remove", old, None, edited))
    result.extra = extra_files(out, set(files) | set(manifest.files) | set(manifest.pending))
    return result


def apply_changes(
    out: Path,
    files: dict[str, str],
    plan: ChangeSet,
    *,
    force: bool,
    fingerprint: str,
    generator: str,
    before_manifest: Callable[[], object] | None = None,
    scaffolds: Sequence[str] = (),
) -> None:
    """Write ``plan`` (from :func:`plan_changes`), call ``before_manifest``, then the manifest.

    The manifest is written last, so an interrupted run never looks complete; before the first
    write it records the pending hashes, so the next run knows the half-written output as its own.
    Run it under :func:`~generator.write.safe_io.output_lock`.
    """
    if plan.conflicts and not force:
        names = ", ".join(c.path for c in plan.conflicts[:5])
        more = len(plan.conflicts) - 5
        raise SpecloomError(
            f"{len(plan.conflicts)} generated file(s) edited by hand would be overwritten or "
            f"removed: {names}"
            + (f" and {more} more" if more > 0 else "")
            + "; nothing was written (move your changes into the specs or the implementation, "
            "or pass --force to discard them)"
        )
    sweep_temporaries(out, [*files, *plan.manifest.files, MANIFEST])
    if plan.changes:
        Manifest(_ours_on_disk(plan, files), "", generator, _hashes(plan)).save(out)
    for c in plan.changes:
        if c.new is None:
            remove(out, c.path)
        else:
            atomic_write(out, c.path, c.new)
    if force:
        for rel in plan.extra:
            remove_extra(out, rel)
    if before_manifest is not None:
        before_manifest()
    manifest = Manifest(
        {rel: sha256(text.encode("utf-8")) for rel, text in files.items()},
        fingerprint,
        generator,
        scaffolds=list(scaffolds),
    )
    if manifest.dumps() != plan.manifest.dumps() or plan.changes:
        manifest.save(out)


def _hashes(plan: ChangeSet) -> dict[str, str]:
    return {c.path: sha256(c.new) for c in plan.changes if c.new is not None}


def _ours_on_disk(plan: ChangeSet, files: dict[str, str]) -> dict[str, str]:
    """Hashes of the files on disk now that specloom wrote (hand-edited ones keep their record)."""
    ours = dict(plan.manifest.files)
    ours.update((rel, sha256(files[rel].encode("utf-8"))) for rel in plan.unchanged)
    ours.update((c.path, sha256(c.old)) for c in plan.changes if c.old is not None and not c.edited)
    return ours
