"""The spec folder as it was at a git revision, extracted into a temporary folder.

Uses the ``git`` command (``rev-parse``, ``archive``) through subprocess; nothing in the
repository is changed. Errors are one-line messages: no git (exit 1); not a repository, an
unknown revision, no specs at that revision (usage errors, exit 2).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import SpecloomError, UsageError


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    if shutil.which("git") is None:
        raise SpecloomError("git is not installed; --against needs it")
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace").strip()


@contextmanager
def specs_at(ref: str, specs: Path) -> Iterator[tuple[Path, Path]]:
    """Yield ``(folder, root)``: ``specs`` as it was at git revision ``ref``, extracted below a
    temporary ``root`` that stands for the repository root."""
    if not specs.is_dir():
        raise UsageError(f"spec folder {specs} does not exist")
    if ref.startswith("-"):
        raise UsageError(f"invalid git revision {ref!r}")
    folder = specs.resolve()
    top = _git(["rev-parse", "--show-toplevel"], folder)
    if top.returncode != 0:
        raise UsageError(f"{specs} is not inside a git repository; --against needs one")
    root = Path(_text(top.stdout)).resolve()
    commit = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], root
    )
    if commit.returncode != 0:
        raise UsageError(f"unknown git revision {ref!r}")
    rel = folder.relative_to(root).as_posix() if folder != root else "."
    archive = _git(["archive", "--format=tar", _text(commit.stdout), "--", rel], root)
    if archive.returncode != 0:
        raise UsageError(f"{rel} does not exist at {ref}")
    with tempfile.TemporaryDirectory(prefix="specloom-diff-") as tmp:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            try:
                tar.extractall(tmp, filter="data")
            except tarfile.FilterError as exc:
                raise SpecloomError(f"{ref}:{exc.tarinfo.name}: {_refusal(exc)}") from None
        old = Path(tmp) / rel
        if not old.is_dir():
            raise UsageError(f"{rel} does not exist at {ref}")
        yield old, Path(tmp)


def _refusal(exc: tarfile.FilterError) -> str:
    """Why a file of the revision is not extracted, in the words of a spec author."""
    target = exc.tarinfo.linkname
    if isinstance(exc, tarfile.AbsoluteLinkError):
        return f"a symbolic link to an absolute path ({target}); links must stay inside the specs"
    if isinstance(exc, tarfile.LinkOutsideDestinationError):
        return f"a link pointing out of the repository ({target})"
    if isinstance(exc, tarfile.AbsolutePathError | tarfile.OutsideDestinationError):
        return "a path outside the repository"
    if isinstance(exc, tarfile.SpecialFileError):
        return "a special file (device or pipe)"
    return f"cannot be extracted safely ({type(exc).__name__})"


__all__ = ["specs_at"]
