"""Implementation of module core_engine (Core Engine).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from typing import Any

from orchestra.contracts.core_engine_v1 import (
    GetStatusResult,
)
from orchestra.modules.core_engine import CoreEngineBase
from orchestra.runtime import stub
from orchestra.types import Task, TaskResult


class CoreEngineImpl(CoreEngineBase):
    """Core Engine"""

    @stub
    async def process_task(self, task: Task) -> TaskResult:
        """Process any task, return results

        Runs the task to completion. A task that runs and fails is a TaskResult with status
        `failed`; errors are for tasks the engine refuses."""
        raise NotImplementedError

    @stub
    async def get_status(self) -> GetStatusResult:
        """Get engine status"""
        raise NotImplementedError

    @stub
    async def configure(self, config: dict[str, Any]) -> bool:
        """Update configuration

        Applies the given settings (others are kept). Known settings: paused (boolean),
        max_concurrent_tasks (integer >= 1), task_timeout_ms (integer >= 1). Unknown settings or
        invalid values raise InvalidConfig and change nothing."""
        raise NotImplementedError
