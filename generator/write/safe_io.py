"""File writes that can be interrupted safely and never leave the output folder.

Each file is written to a temporary sibling and renamed over the target, so after a kill every
file is whole, old or new. Paths are checked component by component: a symlink inside the output
folder is never followed, and ``..`` or absolute paths are refused.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from ..errors import SpecloomError


def safe_target(root: Path, rel: str) -> Path:
    """``root / rel`` after checking that it stays inside ``root`` and crosses no symlink."""
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise SpecloomError(f"refusing to write outside the output folder: {rel!r}")
    path = root
    for part in pure.parts:
        path = path / part
        if path.is_symlink():
            raise SpecloomError(
                f"refusing to write through a symbolic link: {path} "
                "(specloom never follows links out of its output folder)"
            )
    return path


def read_bytes(root: Path, rel: str) -> bytes | None:
    path = safe_target(root, rel)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError as exc:
        raise SpecloomError(f"{path} is a folder where a file is generated") from exc


def atomic_write(root: Path, rel: str, data: bytes) -> None:
    path = safe_target(root, rel)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


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
    """Exclusive lock on the output folder: a second generate waits, then fails clearly."""
    lock_dir = root / ".specloom"
    lock_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_dir / "lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() > deadline:
                    raise SpecloomError(
                        f"another specloom is writing {root} (waited {timeout:.0f}s for its lock)"
                    ) from exc
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)
