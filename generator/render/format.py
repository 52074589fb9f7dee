"""Formatting generated Python with ruff, in one batch per run (``ruff format``), isolated from
any ruff configuration of the user's project.

The built-in templates write imports sorted and used, and ``__all__`` sorted (``model/imports``;
``tests/generate/test_gen_raw_lint.py``), and ``types.py`` comes from its child with its imports
sorted the same way (``types_module``), so the batch is ``ruff format`` alone: no ``ruff check
--fix``, which used to rewrite every file for nothing. Only a run with user templates
(``--templates``), whose output specloom does not control, still gets the fix pass first.

Formatted files are cached by content (ruff, config, path, text): a regeneration only formats
what it has not formatted before, and a warm one skips ruff altogether."""

from __future__ import annotations

import ast
import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import SpecloomError
from .literals import visible_escapes


def ruff_binary() -> str:
    try:
        from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

        return str(find_ruff_bin())
    except (ImportError, FileNotFoundError):
        candidate = Path(sys.executable).with_name("ruff")
        return str(candidate) if candidate.exists() else "ruff"


def _scratch_parent(size: int) -> str | None:
    """Where ruff's scratch tree goes: ``/dev/shm`` when it is there with room to spare.

    Deleting thousands of files costs milliseconds each on some disks (3 ms on ext4 mounted
    with ``discard``: 20 s for 1,000 modules), and nothing on a tmpfs. ``$TMPDIR`` still wins.
    """
    shm = "/dev/shm"
    if os.environ.get("TMPDIR") or not os.access(shm, os.W_OK):
        return None
    try:
        vfs = os.statvfs(shm)
    except OSError:
        return None
    return shm if vfs.f_bavail * vfs.f_frsize > 4 * size + (64 << 20) else None


def _run(args: list[str], cwd: Path) -> None:
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if proc.returncode not in (0, 1):
        raise SpecloomError(f"ruff failed ({' '.join(args[1:3])}): {proc.stderr.strip()[:2000]}")


def format_python(
    files: dict[str, str],
    config: str,
    *,
    use_cache: bool = True,
    folders: Iterable[str] = (),
    fix: bool = False,
) -> dict[str, str]:
    """Return ``files`` with every ``*.py`` formatted (``fix``: first sorted and pruned of unused
    imports by ``ruff check --fix``, for output of user templates).

    ``config`` is the text of the ``ruff.toml`` shipped with the generated code, so that
    ``ruff check`` and ``ruff format --check`` pass there with the same settings. Results are
    cached by content (a pack, see :class:`_FormatPack`): only files never formatted before go
    to ruff.
    ``folders``: more top-level folders of the output, when ``files`` is part of it (ruff's
    import sorting tells first-party modules by the folders it finds).
    """
    out = _format_python(files, config, use_cache=use_cache, folders=folders, fix=fix)
    # Last: no invisible character (bidi, zero-width, control) stays raw in the source, whatever
    # wrote it (templates, datamodel-code-generator); one regex search per file when none is.
    return {rel: visible_escapes(t) if rel.endswith(".py") else t for rel, t in out.items()}


def _format_python(
    files: dict[str, str], config: str, *, use_cache: bool, folders: Iterable[str], fix: bool
) -> dict[str, str]:
    py = {k: v for k, v in files.items() if k.endswith(".py")}
    if not py:
        return dict(files)
    out = dict(files)
    ruff = ruff_binary()
    tops = {rel.split("/", 1)[0] for rel in py if "/" in rel} | set(folders)
    base = _cache_base(ruff, config, tops, fix) if use_cache else None
    pack = _FormatPack(base)
    todo = {}
    for rel, text in py.items():
        hit = pack.get(rel, text)
        if hit is None:
            todo[rel] = text
        else:
            out[rel] = hit
    if todo:
        # Every top-level name of the batch is in the scratch tree, as ruff's import sorting
        # tells first-party modules by what it finds there: a partial batch formats the same.
        formatted = _ruff(ruff, todo, config, tops, fix)
        for rel, text in formatted.items():
            out[rel] = text
            pack.put(rel, todo[rel], text)
    pack.save()
    return out


def _ruff(
    ruff: str, py: dict[str, str], config: str, folders: set[str], fix: bool = False
) -> dict[str, str]:
    size = sum(len(text) for text in py.values())
    with tempfile.TemporaryDirectory(prefix="specloom-fmt-", dir=_scratch_parent(size)) as tmp:
        root = Path(tmp)
        for folder in folders:
            (root / folder).mkdir(parents=True, exist_ok=True)
        for rel, text in py.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
        (root / "ruff.toml").write_text(config, "utf-8")
        common = ["--config", str(root / "ruff.toml")]
        try:
            if fix:
                rules = ["--select", "I,F401,RUF022,PIE790", "--fix", "--exit-zero"]
                _run([ruff, "check", *common, *rules, "--quiet", "--no-cache", "."], root)
            _run([ruff, "format", *common, "--quiet", "--no-cache", "."], root)
        except SpecloomError:
            _raise_syntax_error(py)
            raise
        return {rel: (root / rel).read_text("utf-8") for rel in py}


def _cache_base(ruff: str, config: str, tops: set[str], fix: bool = False) -> str | None:
    """What every formatted file depends on besides itself: ruff (its binary's size and mtime
    change with its version), the config, the batch's top-level folders, whether the fix pass
    ran; None: no cache."""
    try:
        st = os.stat(ruff)
    except OSError:
        return None  # "ruff" from PATH: unknown version, no cache
    h = hashlib.sha256(
        f"{ruff}:{st.st_size}:{st.st_mtime_ns}\n{config}\n{sorted(tops)}\nfix={fix}".encode()
    )
    return h.hexdigest()


class _FormatPack:
    """ruff's output by (path, text), one pack per cache base (see ``generator.packs``):
    one read and at most one write per run, instead of a file per formatted file. Entries of
    earlier runs stay, up to :data:`_PACK_ENTRIES` (the oldest go first)."""

    def __init__(self, base: str | None) -> None:
        from ..packs import load_pack

        self.base = base
        loaded = load_pack("format", base) if base else None
        self.entries: dict[str, str] = loaded if isinstance(loaded, dict) else {}
        self.changed = False

    @staticmethod
    def _key(rel: str, text: str) -> str:
        return hashlib.sha256(f"{rel}\n{text}".encode()).hexdigest()

    def get(self, rel: str, text: str) -> str | None:
        return self.entries.get(self._key(rel, text)) if self.base else None

    def put(self, rel: str, text: str, formatted: str) -> None:
        if self.base:
            self.entries[self._key(rel, text)] = formatted
            self.changed = True

    def save(self) -> None:
        if not (self.base and self.changed):
            return
        from ..packs import save_pack

        entries = self.entries
        if len(entries) > _PACK_ENTRIES:  # dicts keep insertion order: drop the oldest
            entries = dict(list(entries.items())[-_PACK_ENTRIES:])
        save_pack("format", self.base, entries, keep=8)


_PACK_ENTRIES = 50_000


def _raise_syntax_error(files: dict[str, str]) -> None:
    """Name the first rendered file that is not valid Python (ruff fails on it, tersely)."""
    for rel in sorted(files):
        try:
            ast.parse(files[rel], rel)
        except SyntaxError as exc:
            raise SpecloomError(
                f"rendered {rel} is not valid Python (line {exc.lineno}: {exc.msg}); "
                "check the template that renders it"
            ) from exc
