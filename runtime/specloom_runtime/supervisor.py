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
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Child", "Supervisor"]

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
        child.process = await asyncio.create_subprocess_exec(
            *child.argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            env=self.env,
            cwd=self.cwd,
            start_new_session=True,  # Ctrl-C reaches the supervisor only; it stops the children
        )
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
            with contextlib.suppress(ProcessLookupError):
                assert child.process is not None
                child.process.terminate()
        if live:
            waits = [c.process.wait() for c in live if c.process]
            try:
                await asyncio.wait_for(asyncio.gather(*waits), self.drain_seconds + 1)
            except TimeoutError:
                for child in live:
                    if child.process and child.process.returncode is None:
                        self._state(child, "killed", "did not stop in time")
                        with contextlib.suppress(ProcessLookupError):
                            child.process.kill()
                await asyncio.gather(
                    *(c.process.wait() for c in live if c.process), return_exceptions=True
                )
        if self._watchers:
            await asyncio.wait(self._watchers, timeout=2)
            for task in self._watchers:
                task.cancel()
            await asyncio.gather(*self._watchers, return_exceptions=True)
