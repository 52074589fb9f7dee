"""Implementation of module agent_framework (Agent Framework).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from orchestra.modules.agent_framework import AgentFrameworkBase
from orchestra.runtime import stub
from orchestra.types import Payload, Task, TaskResult


class AgentFrameworkImpl(AgentFrameworkBase):
    """Agent Framework"""

    @stub
    async def initialize(self) -> bool:
        """Initialize agent

        Prepares the agent (idempotent); true when it is ready to execute tasks."""
        raise NotImplementedError

    @stub
    async def execute_task(self, task: Task) -> TaskResult:
        """Execute assigned task

        Executes the task through the core engine and returns its result. A task the engine
        refuses (unknown kind, engine paused) raises TaskRejected."""
        raise NotImplementedError

    @stub
    async def communicate(self, message: Payload, target: str) -> Payload:
        """Send message to another agent

        Sends `message` to the agent `target` as a request envelope and returns the payload of
        its reply. Every hosted agent answers a custom message whose metadata.method is "echo"
        with the same payload (a round-trip check)."""
        raise NotImplementedError

    @stub
    async def self_validate(self) -> bool:
        """Validate own functionality

        True when the agent is initialized and its checks pass (core engine reachable, echo
        round trip works)."""
        raise NotImplementedError
