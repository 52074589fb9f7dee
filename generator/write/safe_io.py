"""File writes that can be interrupted safely and never leave the output folder.

Each file is written to a temporary sibling and renamed over the target, so after a kill every
file is whole, old or new; temporaries a killed run left behind are swept by the next one. Paths
are checked component by component: a symlink inside the output folder is never followed (the
temporary is created with ``O_EXCL | O_NOFOLLOW``), and ``..`` or absolute paths are refused.

Files are not fsync'ed one by one: a rename is atomic against a crash of the process, which is
what a kill or Ctrl-C is, and ``fsync`` per file cost 0.4 ms each (4 s for 10,000 files). After a
power loss a file may be empty or old; the manifest hash then differs and ``specloom check``
reports it, and ``specloom generate --force`` repairs it.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import re
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath

from ..errors import SpecloomError

logger = logging.getLogger("specloom")


# Folders already found to be real folders (no symlink), remembered only while this process
# holds an output lock (it is reset when the lock is taken and released): a run of 7,000 files
# checks each folder once instead of every component of every path, twice.
_checked: set[Path] | None = None


def safe_target(root: Path, rel: str) -> Path:
    """``root / rel`` after checking that it stays inside ``root`` and crosses no symlink."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise SpecloomError(f"refusing to write outside the output folder: {rel!r}")
    path = root
    last = len(pure.parts) - 1
    for i, part in enumerate(pure.parts):
        path = path / part
        if _checked is not None and i < last and path in _checked:
            continue
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        if stat.S_ISLNK(mode):
            raise SpecloomError(
                f"refusing to write through a symbolic link: {path} "
                "(specloom never follows links out of its output folder)"
            )
        if _checked is not None and i < last and stat.S_ISDIR(mode):
            _checked.add(path)
    return path


def read_bytes(root: Path, rel: str) -> bytes | None:
    path = safe_target(root, rel)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise SpecloomError(f"{path} is a folder where a file is generated") from exc


_TEMPORARY = re.compile(r"^\.(.+)\.[0-9]+\.tmp$")
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def atomic_write(root: Path, rel: str, data: bytes) -> None:
    path = safe_target(root, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, _NEW_FILE, 0o644)
    except FileExistsError:  # a leftover of a killed process that had our pid
        tmp.unlink()
        fd = os.open(tmp, _NEW_FILE, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        _pause_for_tests()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def sweep_temporaries(root: Path, rels: Iterable[str]) -> int:
    """Remove the temporaries that a killed run left next to the files ``rels``; their number.

    Only names of the form ``.<name>.<pid>.tmp`` with ``<name>`` one of ``rels`` are removed, in
    folders inside ``root`` reached without crossing a symlink. Call it under the output lock.
    """
    by_dir: dict[str, set[str]] = {}
    for rel in rels:
        parent, _, name = rel.rpartition("/")
        by_dir.setdefault(parent, set()).add(name)
    removed = 0
    for parent, names in by_dir.items():
        folder = safe_target(root, parent) if parent else root
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            match = _TEMPORARY.match(entry.name)
            if match and match.group(1) in names and not entry.is_dir(follow_symlinks=False):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(entry.path)
                    removed += 1
    return removed


_writes = 0


def _pause_for_tests() -> None:
    """Test hook: ``SPECLOOM_TEST_PAUSE=N:DIR`` pauses the N-th atomic write of this process.

    With the temporary written and the target not yet replaced, it creates ``DIR/paused`` and
    waits until ``DIR/resume`` exists, so a test can kill or interrupt the process there, or let
    it go on. Unset (always, outside the robustness tests) it costs one dictionary lookup.
    """
    hook = os.environ.get("SPECLOOM_TEST_PAUSE")
    if not hook:
        return
    global _writes
    _writes += 1
    count, _, folder = hook.partition(":")
    if _writes != int(count):
        return
    flag = Path(folder)
    (flag / "paused").write_text(str(os.getpid()))
    while not (flag / "resume").exists():
        time.sleep(0.01)


def remove(root: Path, rel: str) -> None:
    path = safe_target(root, rel)
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
    parent = path.parent
    while parent != root and parent.is_relative_to(root):
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent


@contextlib.contextmanager
def output_lock(root: Path, timeout: float = 60.0) -> Iterator[None]:
    """Exclusive lock on the output folder: a second generate waits, then fails clearly.

    ``SPECLOOM_LOCK_TIMEOUT`` (seconds) overrides ``timeout``.
    """
    timeout = float(os.environ.get("SPECLOOM_LOCK_TIMEOUT") or timeout)
    lock = safe_target(root, ".specloom/lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        deadline = time.monotonic() + timeout
        waited = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if not waited:
                    waited = True  # a plain line on stderr (no handler configured: lastResort)
                    logger.warning(
                        "specloom: another specloom is writing %s; waiting up to %.0fs",
                        root,
                        timeout,
                    )
                if time.monotonic() > deadline:
                    raise SpecloomError(
                        f"another specloom is writing {root} (waited {timeout:.0f}s for its lock)"
                    ) from exc
                time.sleep(0.05)
        global _checked
        _checked = set()
        try:
            yield
        finally:
            _checked = None
    finally:
        os.close(fd)
