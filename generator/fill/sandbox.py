"""Where candidate code runs: a throwaway scratch folder, a minimal environment, limits, and the
strongest OS sandbox this machine offers.

Protection levels, detected at run time (:func:`detect`), strongest first:

``bwrap``
    bubblewrap (Debian package ``bubblewrap``): new user (no capabilities, uid nobody), mount,
    network, PID, IPC, UTS and cgroup namespaces; the whole file system read-only, ``/tmp`` an
    empty tmpfs, the scratch folder the only writable place; no network at all (loopback only);
    killed with its parent; no further user namespaces.
``unshare``
    util-linux ``unshare`` (when bubblewrap is missing or cannot run): new user, network, mount
    and PID namespaces; every mount is remounted read-only inside, except the scratch folder;
    no network.
``none``
    no OS sandbox (no user namespaces on this machine): only with ``--allow-unsandboxed``.

On every level the process gets only an allow-listed environment (``PATH``, ``LANG``/``LC_*``,
``HOME`` and ``TMPDIR`` in the scratch folder: no tokens, keys or cloud credentials), no stdin,
its own session, and ``setrlimit`` limits on CPU seconds, address space, file size and core
dumps; a wall-clock deadline kills it. Files outside the scratch folder stay readable on every
level (the interpreter and its libraries live there).
"""

from __future__ import annotations

import functools
import os
import resource
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import FillError

MEMORY_LIMIT = 2 << 30  # bytes of address space
FILE_LIMIT = 64 << 20  # bytes per written file
_ENV_KEEP = ("PATH", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "TZ")

SUMMARIES = {
    "bwrap": "bubblewrap: read-only file system except a scratch folder, no network, "
    "no capabilities, own user/mount/PID/IPC namespaces",
    "unshare": "unshare: read-only mounts except a scratch folder, no network, "
    "own user/mount/PID namespaces",
    "none": "NONE: no OS sandbox on this machine (--allow-unsandboxed); the candidate can write "
    "wherever you can and use the network",
}
COMMON = "minimal environment, CPU/memory/file-size/time limits"

# Run inside `unshare`: bind the scratch folder onto itself, remount every other mount
# read-only, then enter a nested user namespace, whose process cannot undo either (the mounts
# belong to the outer namespace) and holds no capabilities after exec.
_UNSHARE_LOCKDOWN = r"""
set -e
scratch="$1"; shift
mount --bind "$scratch" "$scratch"
while read -r _ _ _ _ point rest; do
  point=$(printf '%b' "$point")
  [ "$point" = "$scratch" ] && continue
  mount -o remount,bind,ro "$point" 2>/dev/null || true
done < /proc/self/mountinfo
exec unshare --user -- "$@"
"""


@dataclass(frozen=True)
class Sandbox:
    """How candidate processes are started on this machine."""

    level: str  # "bwrap", "unshare" or "none"
    tool: str = ""  # path of bwrap or unshare
    disable_userns: bool = True  # bwrap: no user namespaces inside (needs a recent kernel)

    @property
    def summary(self) -> str:
        return f"{SUMMARIES[self.level]}; {COMMON}"

    def command(self, scratch: Path, argv: Sequence[str]) -> list[str]:
        """``argv`` wrapped so that it runs in the sandbox with ``scratch`` writable."""
        if self.level == "bwrap":
            return [self.tool, *_bwrap_args(scratch, self.disable_userns), "--", *argv]
        if self.level == "unshare":
            return [
                self.tool,
                "--user",
                "--map-root-user",
                "--mount",
                "--net",
                "--pid",
                "--fork",
                "--kill-child",
                "--",
                "/bin/sh",
                "-c",
                _UNSHARE_LOCKDOWN,
                "lockdown",
                str(scratch),
                *argv,
            ]
        return list(argv)


def _bwrap_args(scratch: Path, disable_userns: bool = True) -> list[str]:
    args = ["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"]
    for needed in _python_paths():  # an interpreter or library living under /tmp stays visible
        if needed.is_relative_to("/tmp"):
            args += ["--ro-bind", str(needed), str(needed)]
    args += ["--bind", str(scratch), str(scratch), "--chdir", str(scratch)]
    args += ["--unshare-all", "--unshare-user", "--uid", "65534", "--gid", "65534"]
    args += ["--cap-drop", "ALL", "--die-with-parent", "--new-session"]
    if disable_userns:
        args.append("--disable-userns")
    return args


def _python_paths() -> list[Path]:
    """What the harness's interpreter must see: the interpreter, the environment, and every
    folder on specloom's own import path (editable installs such as the runtime library's
    source may live anywhere, /tmp included)."""
    paths = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.executable).resolve().parent}
    paths.add(Path(__file__).resolve().parent)
    paths.update(Path(entry).resolve() for entry in sys.path if entry and Path(entry).is_dir())
    return sorted(paths)


def minimal_env(scratch: Path) -> dict[str, str]:
    """The allow-listed environment of a candidate process."""
    env = {k: os.environ[k] for k in _ENV_KEEP if k in os.environ}
    env.setdefault("PATH", os.defpath)
    env.setdefault("LANG", "C.UTF-8")
    env.update(
        HOME=str(scratch / "home"),
        TMPDIR=str(scratch / "tmp"),
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONHASHSEED="0",
    )
    return env


def limits(cpu_seconds: float, memory: int = MEMORY_LIMIT) -> Callable[[], None]:
    """A ``preexec_fn`` setting the resource limits of a candidate process."""
    cpu = max(1, int(cpu_seconds) + 1)

    def apply() -> None:
        for which, value in (
            (resource.RLIMIT_CPU, cpu),
            (resource.RLIMIT_AS, memory),
            (resource.RLIMIT_FSIZE, FILE_LIMIT),
            (resource.RLIMIT_CORE, 0),
        ):
            _soft, hard = resource.getrlimit(which)
            value = value if hard == resource.RLIM_INFINITY else min(value, hard)
            resource.setrlimit(which, (value, value))

    return apply


@functools.cache
def detect() -> Sandbox:
    """The strongest sandbox that really works here (each is tried once per process)."""
    bwrap = shutil.which("bwrap")
    if bwrap:
        for candidate in (Sandbox("bwrap", bwrap), Sandbox("bwrap", bwrap, disable_userns=False)):
            if _works(candidate):
                return candidate
    unshare = shutil.which("unshare")
    if unshare and _works(Sandbox("unshare", unshare)):
        return Sandbox("unshare", unshare)
    return Sandbox("none")


def _works(sandbox: Sandbox) -> bool:
    """Run a probe in the sandbox: it must start, find the scratch folder writable, and find a
    file outside it read-only."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="specloom-probe-"))
    scratch, outside = base / "box", base / "outside"
    scratch.mkdir()
    outside.mkdir()
    try:
        target = outside / "x"
        probe = (
            "import pathlib, sys\n"
            f"pathlib.Path({str(scratch / 'ok')!r}).write_text('ok')\n"
            "try:\n"
            f"    pathlib.Path({str(target)!r}).write_text('x')\n"
            "except OSError:\n"
            "    sys.exit(0)\n"
            "sys.exit(3)\n"
        )
        done = subprocess.run(
            sandbox.command(scratch, [sys.executable, "-I", "-c", probe]),
            env=minimal_env(scratch),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=30,
            check=False,
        )
        return done.returncode == 0 and (scratch / "ok").is_file() and not target.exists()
    except (OSError, subprocess.SubprocessError):
        return False
    finally:
        shutil.rmtree(base, ignore_errors=True)


def require(allow_unsandboxed: bool, level: str = "auto") -> Sandbox:
    """The sandbox to use (``level`` "auto": the strongest that works), or a one-line error when
    there is none and running unsandboxed was not allowed."""
    if level != "auto":
        tool = shutil.which(level)
        options = [Sandbox(level, tool), Sandbox(level, tool, False)] if tool else []
        working = next((s for s in options if _works(s)), None)
        if working is None:
            raise FillError(f"the {level} sandbox does not work on this machine")
        return working
    found = detect()
    if found.level == "none" and not allow_unsandboxed:
        raise FillError(
            "no sandbox for candidate code on this machine (neither bubblewrap nor unshare "
            "can create namespaces here); install bubblewrap (apt-get install bubblewrap), or "
            "pass --allow-unsandboxed to run model-written code with your own rights"
        )
    return found


__all__ = ["Sandbox", "detect", "limits", "minimal_env", "require"]
