"""Implementation of module core_engine (Core Engine): tasks run by kind, recorded in Database@1.

What it does:

- Task kinds: ``echo`` (output = input), ``fail`` (failed, error = input.message) and
  ``llm.generate`` (input ``{prompt, model?, options?}`` -> Llm@1.generate, output
  ``{response, model}``).
- A task of an unknown kind (UnknownTaskKind) or sent while paused (EnginePaused) is refused
  before anything happens. Any other task runs, at most ``max_concurrent_tasks`` at a time and
  for at most ``task_timeout_ms``; whatever goes wrong while it runs (bad input, an LLM error, the
  timeout) makes a result with status failed, never an error.
- Each accepted task is written to ``tasks_table`` through Database@1 on arrival (status
  running) and updated with its result; a task id seen before overwrites the earlier record.
- configure checks every setting before applying any (InvalidConfig changes nothing).

Limits: the ``task_completed`` event is not published: the generated module base gives an
implementation clients of the contracts it consumes but no way to publish on the bus. Settings
and counters live in memory and start from the module's config at every start.
"""

from __future__ import annotations

import asyncio
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
from orchestra.modules.core_engine import CoreEngineBase
from orchestra.types import Task, TaskResult

Output = dict[str, Any]
Handler = Callable[[Output], Awaitable[Output]]


class TaskFailed(Exception):
    """Raised by a task handler: the task ran and failed with this message."""


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
    _slots: asyncio.Condition
    _kinds: dict[str, Handler]

    async def on_start(self) -> None:
        self._settings = {
            "paused": False,
            "max_concurrent_tasks": self.config.max_concurrent_tasks,
            "task_timeout_ms": self.config.task_timeout_ms,
        }
        self._processed = self._running = 0
        self._slots = asyncio.Condition()
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
        async with self._slot():
            timeout_ms = self._settings["task_timeout_ms"]
            try:
                output = await asyncio.wait_for(handler(dict(task.input or {})), timeout_ms / 1000)
                result = TaskResult(task_id=task.id, status="completed", output=output, error=None)
            except TimeoutError:
                error = f"task timed out after {timeout_ms} ms"
                result = TaskResult(task_id=task.id, status="failed", output={}, error=error)
            except Exception as exc:
                error = str(exc) or type(exc).__name__
                result = TaskResult(task_id=task.id, status="failed", output={}, error=error)
        self._processed += 1
        await self.deps.database.update(
            self.config.tasks_table,
            task.id,
            {"status": result.status, "output": result.output, "error": result.error},
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
        async with self._slots:
            self._settings.update(config)
            self._slots.notify_all()
        return True

    @asynccontextmanager
    async def _slot(self) -> AsyncIterator[None]:
        """Wait for a free task slot (max_concurrent_tasks) and hold it."""
        async with self._slots:
            await self._slots.wait_for(
                lambda: self._running < self._settings["max_concurrent_tasks"]
            )
            self._running += 1
        try:
            yield
        finally:
            async with self._slots:
                self._running -= 1
                self._slots.notify_all()

    async def _record(self, task: Task) -> None:
        """Write the arriving task to the tasks table (replacing a record of the same id)."""
        record = {
            "kind": task.kind,
            "input": task.input or {},
            "priority": task.priority,
            "status": "running",
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
