"""Implementation of module core_engine (Core Engine): tasks run by kind, recorded in Database@1.

What it does:

- Task kinds: ``echo`` (output = input), ``fail`` (failed, error = input.message) and
  ``llm.generate`` (input ``{prompt, model?, options?}`` -> Llm@1.generate, output
  ``{response, model}``).
- A task of an unknown kind (UnknownTaskKind) or sent while paused (EnginePaused) is refused
  before anything happens. Any other task runs, at most ``max_concurrent_tasks`` at a time and
  for at most ``task_timeout_ms`` per attempt; whatever goes wrong while it runs (bad input, an
  LLM error, the timeout) makes a result with status failed, never an error.
- Scheduling: when every slot is busy, waiting tasks get the next free slot by priority
  (critical, high, medium, low), first come first served within one priority.
- Retries: an attempt that fails for a transient reason (LlmUnavailable, a dependency timing out
  or not answering) is retried up to ``max_attempts`` in all, after ``retry_backoff_ms``
  doubling each time; the slot is given back while waiting. A task that fails on its own
  (``fail``, bad input, its own timeout) is not retried.
- Each accepted task is written to ``tasks_table`` through Database@1 on arrival (status
  queued), marked running with its attempt count, and updated with its result; a task id seen
  before overwrites the earlier record. After each task ``task_completed`` is published.
- configure checks every setting before applying any (InvalidConfig changes nothing).

Limits: settings and counters live in memory and start from the module's config at every start.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from orchestra.contracts.core_engine_v1 import (
    EnginePaused,
    GetStatusResult,
    InvalidConfig,
    UnknownTaskKind,
)
from orchestra.contracts.database_v1 import DuplicateId
from orchestra.contracts.llm_v1 import LlmUnavailable
from orchestra.modules.core_engine import CoreEngineBase
from orchestra.types import Task, TaskResult
from specloom_runtime import RequestTimeout, SpecloomError

Output = dict[str, Any]
Handler = Callable[[Output], Awaitable[Output]]


PRIORITY = {"critical": 0, "high": 1, "medium": 2, "low": 3}
TRANSIENT_CODES = frozenset({"service_unavailable", "unknown_target"})


class TaskFailed(Exception):
    """Raised by a task handler: the task ran and failed with this message."""


def _transient(exc: BaseException) -> bool:
    """A failure that another attempt may not have: a dependency down or too slow."""
    if isinstance(exc, LlmUnavailable | RequestTimeout):
        return True
    return isinstance(exc, SpecloomError) and getattr(exc, "code", "") in TRANSIENT_CODES


def _positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


SETTINGS: dict[str, Callable[[Any], bool]] = {
    "paused": lambda value: isinstance(value, bool),
    "max_concurrent_tasks": _positive_int,
    "task_timeout_ms": _positive_int,
}


class CoreEngineImpl(CoreEngineBase):
    """Core Engine: a registry of task kinds with a concurrency limit and a timeout."""

    _settings: dict[str, Any]
    _processed: int
    _running: int
    _waiting: list[tuple[int, int, asyncio.Future[None]]]
    _arrivals: itertools.count[int]
    _kinds: dict[str, Handler]

    async def on_start(self) -> None:
        self._settings = {
            "paused": False,
            "max_concurrent_tasks": self.config.max_concurrent_tasks,
            "task_timeout_ms": self.config.task_timeout_ms,
        }
        self._processed = self._running = 0
        self._waiting = []
        self._arrivals = itertools.count()
        self._kinds = {"echo": _echo, "fail": _fail, "llm.generate": self._llm_generate}

    async def process_task(self, task: Task) -> TaskResult:
        """Process any task, return results

        Runs the task to completion. A task that runs and fails is a TaskResult with status
        `failed`; errors are for tasks the engine refuses."""
        handler = self._kinds.get(task.kind)
        if handler is None:
            raise UnknownTaskKind(
                f"unknown task kind {task.kind!r}",
                {"kind": task.kind, "kinds": sorted(self._kinds)},
            )
        if self._settings["paused"]:
            raise EnginePaused("the engine is paused", {"task_id": task.id})
        await self._record(task)
        result, attempts = await self._run(task, handler)
        self._processed += 1
        await self.deps.database.update(
            self.config.tasks_table,
            task.id,
            {
                "status": result.status,
                "output": result.output,
                "error": result.error,
                "attempts": attempts,
            },
        )
        await self.emit("task_completed", result.model_dump(mode="json", exclude_unset=True))
        return result

    async def get_status(self) -> GetStatusResult:
        """Get engine status"""
        return GetStatusResult(
            state="paused" if self._settings["paused"] else "running",
            tasks_processed=self._processed,
            config=dict(self._settings),
            task_kinds=sorted(self._kinds),
        )

    async def configure(self, config: dict[str, Any]) -> bool:
        """Update configuration

        Applies the given settings (others are kept). Known settings: paused (boolean),
        max_concurrent_tasks (integer >= 1), task_timeout_ms (integer >= 1). Unknown settings or
        invalid values raise InvalidConfig and change nothing."""
        unknown = sorted(name for name in config if name not in SETTINGS)
        invalid = sorted(
            name for name in config if name in SETTINGS and not SETTINGS[name](config[name])
        )
        if unknown or invalid:
            raise InvalidConfig(
                f"unknown setting(s) {unknown}, invalid value(s) for {invalid}",
                {"unknown": unknown, "invalid": invalid},
            )
        self._settings.update(config)
        self._wake()
        return True

    async def _run(self, task: Task, handler: Handler) -> tuple[TaskResult, int]:
        """Run ``task`` (attempts, each in a slot, within the timeout); its result."""
        timeout_ms = self._settings["task_timeout_ms"]
        backoff = self.config.retry_backoff_ms / 1000
        attempt = 0
        while True:
            attempt += 1
            async with self._slot(task.priority or "medium"):
                await self._mark_running(task, attempt)
                try:
                    output = await asyncio.wait_for(
                        handler(dict(task.input or {})), timeout_ms / 1000
                    )
                    done = TaskResult(
                        task_id=task.id, status="completed", output=output, error=None
                    )
                    return done, attempt
                except TimeoutError:
                    error, retry = f"task timed out after {timeout_ms} ms", False
                except Exception as exc:
                    error, retry = str(exc) or type(exc).__name__, _transient(exc)
            if not retry or attempt >= self.config.max_attempts:
                failed = TaskResult(task_id=task.id, status="failed", output={}, error=error)
                return failed, attempt
            await asyncio.sleep(backoff * 2 ** (attempt - 1))

    @asynccontextmanager
    async def _slot(self, priority: str) -> AsyncIterator[None]:
        """Hold one of the max_concurrent_tasks slots; waiting tasks get free slots by priority
        (then by arrival)."""
        if self._waiting or self._running >= self._settings["max_concurrent_tasks"]:
            ready: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            entry = (PRIORITY.get(priority, 2), next(self._arrivals), ready)
            heapq.heappush(self._waiting, entry)
            try:
                await ready  # _wake counted this task as running when it set the result
            except asyncio.CancelledError:
                if ready.done() and not ready.cancelled():
                    self._release()
                else:
                    self._waiting.remove(entry)
                    heapq.heapify(self._waiting)
                raise
        else:
            self._running += 1
        try:
            yield
        finally:
            self._release()

    def _release(self) -> None:
        self._running -= 1
        self._wake()

    def _wake(self) -> None:
        """Give free slots to the waiting tasks of highest priority."""
        while self._waiting and self._running < self._settings["max_concurrent_tasks"]:
            _, _, ready = heapq.heappop(self._waiting)
            if not ready.done():
                self._running += 1
                ready.set_result(None)

    async def _mark_running(self, task: Task, attempt: int) -> None:
        await self.deps.database.update(
            self.config.tasks_table, task.id, {"status": "running", "attempts": attempt}
        )

    async def _record(self, task: Task) -> None:
        """Write the arriving task to the tasks table (replacing a record of the same id)."""
        record = {
            "kind": task.kind,
            "input": task.input or {},
            "priority": task.priority,
            "status": "queued",
            "output": None,
            "error": None,
        }
        table = self.config.tasks_table
        try:
            await self.deps.database.create(table, {"id": task.id, **record})
        except DuplicateId:
            await self.deps.database.update(table, task.id, record)

    async def _llm_generate(self, data: Output) -> Output:
        prompt = data.get("prompt")
        if not isinstance(prompt, str) or not prompt:
            raise TaskFailed("input.prompt must be a non-empty string")
        options = data.get("options", {})
        answer = await self.deps.llm.generate(prompt, data.get("model"), options)
        return {"response": answer.response, "model": answer.model}


async def _echo(data: Output) -> Output:
    return data


async def _fail(data: Output) -> Output:
    raise TaskFailed(str(data.get("message", "task failed")))
