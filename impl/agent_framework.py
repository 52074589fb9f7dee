"""Implementation of module agent_framework (Agent Framework): hosted agents and their tasks.

What it does:

- The framework hosts its agents in-process. In v1 it hosts one, its own agent
  (``agent-06-agent-framework``): the contract has no method to start others.
- initialize makes the agent ready (idempotent) and writes it to the registry, ``agents_table``
  in Database@1 (``{id, state, last_heartbeat}``).
- execute_task sends the task to CoreEngine@1.process_task and returns its result; a refusal
  (unknown kind, engine paused) becomes TaskRejected with the engine's error in the details.
- communicate wraps the Payload in a request envelope (the seed's format) from this agent to the
  target, hands it to that hosted agent and returns the payload of its reply. A hosted agent
  answers a custom message with ``metadata.method`` "echo" with the same payload, and anything
  else with an error reply (payload data ``{code: unknown_method, message, details}``).
- self_validate is true when the agent is initialized, the core engine answers get_status and an
  echo round trip to itself works; each success is recorded as a heartbeat in the registry.

Limits: messages between hosted agents travel inside the framework, not over the bus, and
neither ``agent_message`` events are published nor ``task_completed`` events received: the
generated module base gives an implementation clients of its contracts but no bus handle.
There is no periodic heartbeat (``heartbeat_ms`` is unused) and Llm@1 is not used yet.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from orchestra.contracts.agent_v1 import NotInitialized, TaskRejected, UnknownAgent
from orchestra.contracts.core_engine_v1 import EnginePaused, UnknownTaskKind
from orchestra.modules.agent_framework import AgentFrameworkBase
from specloom_runtime import Envelope, SpecloomError, new_correlation_id, utc_timestamp
from specloom_runtime import Payload as EnvelopePayload
from orchestra.types import Payload, Task, TaskResult

HostedAgent = Callable[[Envelope], Awaitable[Envelope]]


class AgentFrameworkImpl(AgentFrameworkBase):
    """Agent Framework: hosts its own agent; tasks go to the core engine."""

    _ready: bool
    _hosted: dict[str, HostedAgent]

    async def on_start(self) -> None:
        self._ready = False
        self._hosted = {self.AGENT: _answer}
        self.completed: dict[str, str] = {}  # task id -> status, from CoreEngine@1 events

    async def on_event(self, topic: str, data: dict[str, Any]) -> None:
        """Track the tasks the core engine reports as processed (CoreEngine@1.task_completed)."""
        if topic == "CoreEngine@1.task_completed":
            self.completed[str(data.get("task_id"))] = str(data.get("status"))

    async def initialize(self) -> bool:
        """Initialize agent

        Prepares the agent (idempotent); true when it is ready to execute tasks."""
        await self._register()
        self._ready = True
        return True

    async def execute_task(self, task: Task) -> TaskResult:
        """Execute assigned task

        Executes the task through the core engine and returns its result. A task the engine
        refuses (unknown kind, engine paused) raises TaskRejected."""
        self._require_ready()
        try:
            return await self.deps.core_engine.process_task(task)
        except (UnknownTaskKind, EnginePaused) as exc:
            raise TaskRejected(
                f"the core engine refused task {task.id!r}: {exc.message}",
                {"task_id": task.id, "error": exc.to_payload()},
            ) from None

    async def communicate(self, message: Payload, target: str) -> Payload:
        """Send message to another agent

        Sends `message` to the agent `target` as a request envelope and returns the payload of
        its reply. Every hosted agent answers a custom message whose metadata.method is "echo"
        with the same payload (a round-trip check)."""
        self._require_ready()
        agent = self._hosted.get(target)
        if agent is None:
            raise UnknownAgent(f"no hosted agent {target!r}", {"hosted": sorted(self._hosted)})
        request = Envelope(
            timestamp=utc_timestamp(),
            source_agent=self.AGENT,
            target_agent=target,
            message_type="request",
            correlation_id=new_correlation_id(),
            payload=EnvelopePayload(
                action=message.action, data=message.data or {}, metadata=message.metadata or {}
            ),
        )
        reply = await agent(request)
        await self.emit(
            "agent_message",
            {"source": self.AGENT, "target": target, "action": message.action},
        )
        return Payload.model_validate(reply.payload.model_dump())

    async def self_validate(self) -> bool:
        """Validate own functionality

        True when the agent is initialized and its checks pass (core engine reachable, echo
        round trip works)."""
        if not self._ready:
            return False
        probe = Payload(
            action="custom", data={"check": "self_validate"}, metadata={"method": "echo"}
        )
        try:
            await self.deps.core_engine.get_status()
            healthy = await self.communicate(probe, self.AGENT) == probe
        except SpecloomError:
            return False
        if healthy:
            await self._register()
        return healthy

    def _require_ready(self) -> None:
        if not self._ready:
            raise NotInitialized(f"{self.AGENT} is not initialized", {"agent": self.AGENT})

    async def _register(self) -> None:
        """Write this agent (ready, heartbeat now) to the registry table."""
        table, record = (
            self.config.agents_table,
            {"state": "ready", "last_heartbeat": utc_timestamp()},
        )
        if await self.deps.database.read(table, self.AGENT) is None:
            await self.deps.database.create(table, {"id": self.AGENT, **record})
        else:
            await self.deps.database.update(table, self.AGENT, record)


async def _answer(request: Envelope) -> Envelope:
    """How every hosted agent answers: echo messages come back unchanged, others are errors."""
    payload = request.payload
    if payload.action == "custom" and payload.metadata.get("method") == "echo":
        return Envelope(
            timestamp=utc_timestamp(),
            source_agent=request.target_agent,
            target_agent=request.source_agent,
            message_type="response",
            correlation_id=request.correlation_id,
            payload=payload,
        )
    method = payload.metadata.get("method")
    return request.make_error(
        "unknown_method", f"{request.target_agent} does not handle {method!r}", {"method": method}
    )
