"""Supervising module processes (``run --transport nats``, ``serve --replicas N``).

Each child is a command (``python -m <package> --nats URL serve MODULE``) that prints one line
``ready ...`` on stdout once it serves. The supervisor:

- starts every child and waits until all are ready (``ready_timeout`` seconds, else exit 1);
- restarts a child that exits, after a backoff (0.5 s doubling to 8 s; back to 0.5 s once a
  child stayed up for 30 s);
- on SIGINT/SIGTERM (or after ``seconds``) sends SIGTERM to every child, which drains its
  in-flight requests, waits ``drain_seconds`` and SIGKILLs what is left;
- logs one line per state change: ``<label>: starting|ready|exited (code N), restarting in Ts|
  stopping|stopped``.

Exit codes of :meth:`Supervisor.run`: 0 stopped on request, 1 a child never became ready.

Every child gets SIGTERM when the process that started it dies (Linux ``PR_SET_PDEATHSIG``, as
for :class:`~specloom_runtime.natsserver.LocalNatsServer`), so a supervisor killed with -9 leaves
no module process behind.

:class:`ManagedProcess` is one such child without the restarts, for a module implementation that
starts and stops processes itself (the flagship's Deployment module): ``await start()`` returns
once the child printed ``ready``; ``alive``/``pid``/``returncode`` say what it is now; ``await
stop()`` drains it (SIGTERM, then SIGKILL). Its output goes to a log file.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .natsserver import die_with_parent

__all__ = ["Child", "ManagedProcess", "Supervisor"]

BACKOFF_FIRST = 0.5
BACKOFF_MAX = 8.0
STABLE_SECONDS = 30.0


@dataclass
class Child:
    label: str
    argv: Sequence[str]
    state: str = "new"
    pid: int | None = None
    restarts: int = 0
    process: asyncio.subprocess.Process | None = None
    ready: asyncio.Event = field(default_factory=asyncio.Event)
    started_at: float = 0.0
    backoff: float = BACKOFF_FIRST


def _log(line: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {line}", file=sys.stderr, flush=True)


async def _spawn(
    argv: Sequence[str],
    env: Mapping[str, str] | None,
    cwd: str | None,
    stderr: int | None = None,
) -> asyncio.subprocess.Process:
    """A child with its stdout piped, in a session of its own (Ctrl-C reaches its starter only,
    which stops it) and sent SIGTERM when its starter dies (PDEATHSIG)."""
    return await asyncio.create_subprocess_exec(
        *argv,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=stderr,
        env=env,
        cwd=cwd,
        start_new_session=True,
        preexec_fn=die_with_parent,
    )


async def terminate(
    processes: Sequence[asyncio.subprocess.Process],
    drain_seconds: float,
    on_kill: Callable[[asyncio.subprocess.Process], None] | None = None,
) -> None:
    """SIGTERM each running process, wait up to ``drain_seconds`` for all of them, then SIGKILL
    (``on_kill`` told of each) and reap the rest."""
    live = [p for p in processes if p.returncode is None]
    for process in live:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
    if not live:
        return
    try:
        await asyncio.wait_for(asyncio.gather(*(p.wait() for p in live)), drain_seconds)
    except TimeoutError:
        for process in live:
            if process.returncode is None:
                if on_kill is not None:
                    on_kill(process)
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
        await asyncio.gather(*(p.wait() for p in live), return_exceptions=True)


class Supervisor:
    def __init__(
        self,
        children: Sequence[tuple[str, Sequence[str]]],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | None = None,
        ready_timeout: float = 30.0,
        drain_seconds: float = 10.0,
        log: Callable[[str], None] = _log,
    ) -> None:
        self.children = [Child(label, list(argv)) for label, argv in children]
        self.env = dict(os.environ if env is None else env)
        self.cwd = cwd
        self.ready_timeout = ready_timeout
        self.drain_seconds = drain_seconds
        self.log = log
        self._stopping = False
        self._watchers: list[asyncio.Task[None]] = []

    def _state(self, child: Child, state: str, note: str = "") -> None:
        child.state = state
        pid = f" (pid {child.pid})" if child.pid else ""
        self.log(f"{child.label}: {state}{pid}{': ' + note if note else ''}")

    async def _spawn(self, child: Child) -> None:
        child.ready.clear()
        child.process = await _spawn(child.argv, self.env, self.cwd)
        child.pid = child.process.pid
        child.started_at = time.monotonic()
        self._state(child, "starting")

    async def _watch(self, child: Child) -> None:
        while True:
            process = child.process
            assert process is not None and process.stdout is not None
            async for raw in process.stdout:
                line = raw.decode(errors="replace").rstrip()
                if line.startswith("ready") and not child.ready.is_set():
                    child.ready.set()
                    self._state(child, "ready")
                elif line:
                    print(f"[{child.label}] {line}", flush=True)
            code = await process.wait()
            if self._stopping:
                self._state(child, "stopped", f"exit code {code}")
                return
            if time.monotonic() - child.started_at > STABLE_SECONDS:
                child.backoff = BACKOFF_FIRST
            delay = child.backoff
            child.backoff = min(child.backoff * 2, BACKOFF_MAX)
            child.restarts += 1
            self._state(child, "exited", f"exit code {code}, restarting in {delay:g} s")
            await asyncio.sleep(delay)
            if self._stopping:
                return
            await self._spawn(child)

    async def run(self, stop: asyncio.Event, seconds: float | None = None) -> int:
        """Supervise until ``stop`` is set (or ``seconds`` passed); the exit code."""
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, stop.set)
        code = 0
        try:
            for child in self.children:
                await self._spawn(child)
                self._watchers.append(asyncio.ensure_future(self._watch(child)))
            waiting = [asyncio.ensure_future(c.ready.wait()) for c in self.children]
            stopper: asyncio.Future[Any] = asyncio.ensure_future(stop.wait())
            all_ready: asyncio.Future[Any] = asyncio.gather(*waiting)
            done, _ = await asyncio.wait(
                [all_ready, stopper],
                timeout=self.ready_timeout,
                return_when=asyncio.FIRST_COMPLETED,
            )
            for task in waiting:
                task.cancel()
            if not done:
                late = [c.label for c in self.children if not c.ready.is_set()]
                self.log(f"not ready within {self.ready_timeout:g} s: {', '.join(late)}")
                code = 1
            elif not stop.is_set():
                self.log(f"all {len(self.children)} processes ready")
                if seconds is None:
                    await stopper
                else:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(asyncio.shield(stopper), seconds)
            stopper.cancel()
        finally:
            await self.stop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(sig)
        return code

    async def stop(self) -> None:
        """SIGTERM every child, wait ``drain_seconds``, SIGKILL the rest."""
        self._stopping = True
        live = [c for c in self.children if c.process and c.process.returncode is None]
        for child in live:
            self._state(child, "stopping")
        labels = {id(c.process): c for c in live}

        def killed(process: asyncio.subprocess.Process) -> None:
            self._state(labels[id(process)], "killed", "did not stop in time")

        await terminate([c.process for c in live if c.process], self.drain_seconds + 1, killed)
        if self._watchers:
            await asyncio.wait(self._watchers, timeout=2)
            for task in self._watchers:
                task.cancel()
            await asyncio.gather(*self._watchers, return_exceptions=True)


class ManagedProcess:
    """One child process (``argv``) owned by the caller: started, observed, stopped; never
    restarted. It dies with the process that started it (PDEATHSIG)."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
        log_path: Path | None = None,
    ) -> None:
        self.argv = list(argv)
        self.env = dict(os.environ if env is None else env)
        self.cwd = None if cwd is None else str(cwd)
        self.log_path = log_path
        self.process: asyncio.subprocess.Process | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._tail: collections.deque[str] = collections.deque(maxlen=50)

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    @property
    def returncode(self) -> int | None:
        return None if self.process is None else self.process.returncode

    @property
    def alive(self) -> bool:
        """Running now (not exited, not a zombie waiting to be reaped)."""
        if self.process is None or self.process.returncode is not None:
            return False
        try:
            state = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            # reaped (by the child watcher) before the event loop saw it exit; without /proc
            # only the return code can tell
            return not Path("/proc/self").exists()
        return state[0] not in ("Z", "X")

    async def start(self, ready_timeout: float = 60.0) -> None:
        """Start the child; return once it printed a line starting with ``ready``. RuntimeError
        (with the end of its output) when it exits first or is not ready in time."""
        self.process = await _spawn(self.argv, self.env, self.cwd, stderr=asyncio.subprocess.STDOUT)
        self._reader = asyncio.ensure_future(self._read())
        ready = asyncio.ensure_future(self._ready.wait())
        try:
            await asyncio.wait(
                [ready, self._reader], timeout=ready_timeout, return_when="FIRST_COMPLETED"
            )
        finally:
            ready.cancel()
        if not self._ready.is_set():
            what = "exited" if self.process.returncode is not None else "was not ready"
            await self.stop(drain_seconds=1.0)
            tail = "\n".join(list(self._tail)[-15:])
            raise RuntimeError(f"{self.argv[-1] if self.argv else 'process'} {what}: {tail}")

    async def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        log = self.log_path.open("ab") if self.log_path is not None else None
        try:
            async for raw in self.process.stdout:
                if log is not None:
                    log.write(raw)
                    log.flush()
                line = raw.decode(errors="replace").rstrip()
                self._tail.append(line)
                if line.startswith("ready"):
                    self._ready.set()
            await self.process.wait()
        finally:
            if log is not None:
                log.close()

    async def wait(self) -> int:
        """Wait until the child exited (its output read to the end); its exit code."""
        if self.process is None:
            raise RuntimeError("the process was never started")
        if self._reader is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self._reader)
        return await self.process.wait()

    async def stop(self, drain_seconds: float = 10.0) -> int | None:
        """SIGTERM, wait ``drain_seconds``, SIGKILL; the exit code (None if never started)."""
        process = self.process
        if process is None:
            return None
        await terminate([process], drain_seconds)
        if self._reader is not None:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(self._reader, 2)
        return process.returncode
