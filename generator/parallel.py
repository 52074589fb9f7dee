"""Work split over two processes (``os.fork``): the second half of the items in a child, the
first half here, on the machine's second core.

Only for pure work on plain data (parsing, rendering): the child computes its results, sends
them back pickled through a pipe and leaves with ``os._exit`` (no cleanup of the parent's state
runs twice). Without ``fork``, on one core, for a few items, or when the child fails for any
reason, everything is computed here: the result never depends on whether the split happened.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def map_in_two(func: Callable[[T], R], items: Sequence[T], *, least: int = 100) -> list[R]:
    """``[func(x) for x in items]``, the second half computed by a forked child when there are
    at least ``least`` items and two cores. ``func`` must not raise (return the error instead)
    and its results must pickle."""
    if (
        len(items) < least
        or not hasattr(os, "fork")
        or _cores() < 2
        or os.environ.get("SPECLOOM_NO_FORK")
    ):
        return [func(x) for x in items]
    half = len(items) // 2
    theirs = _start(func, items[half:])
    if theirs is None:
        return [func(x) for x in items]
    try:
        mine = [func(x) for x in items[:half]]
    except BaseException:  # our half failed (or Ctrl-C): the child is stopped, not left behind
        _stop(*theirs)
        raise
    rest = _collect(*theirs)
    if rest is None or len(rest) != len(items) - half:
        rest = [func(x) for x in items[half:]]
    return mine + rest


def _start(func: Callable[[Any], Any], items: Sequence[Any]) -> tuple[int, int] | None:
    try:
        read, write = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # the child: compute, send, leave (never return into the caller's code)
        code = 1
        try:
            os.close(read)
            data = pickle.dumps([func(x) for x in items], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write, "wb") as out:
                out.write(data)
            code = 0
        except BaseException:  # noqa: BLE001 - anything: the parent computes it instead
            pass
        finally:
            os._exit(code)
    os.close(write)
    return pid, read


def _stop(pid: int, read: int) -> None:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        os.close(read)
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, 0)


def _collect(pid: int, read: int) -> list[Any] | None:
    try:
        with os.fdopen(read, "rb") as pipe:
            data = pipe.read()
    except OSError:
        data = b""
    status = 1
    with contextlib.suppress(ChildProcessError, OSError):
        _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    try:
        result = pickle.loads(data)
    except Exception:  # noqa: BLE001 - a torn message: compute it here
        return None
    return result if isinstance(result, list) else None


__all__ = ["map_in_two"]
