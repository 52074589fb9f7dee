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
  answers a custom message by ``metadata.method``:

  - ``echo``: the same payload (a round-trip check);
  - ``think``: one Llm@1.chat call with ``data.prompt`` (and ``data.system``, ``data.model``);
    the reply's data is ``{response, model, done}``;
  - ``run``: the agent loop for ``data.goal``: up to ``data.max_steps`` (default 4, at most 16)
    times, ask the model (Llm@1.chat, the conversation so far) for the next step as JSON, either
    ``{"task": {"kind": ..., "input": {...}}}``, which runs through CoreEngine@1.process_task and
    whose result goes back into the conversation, or ``{"final": "..."}``, which ends the loop.
    The reply's data is ``{final, steps: [{task, result}], done}`` (done false when the steps
    ran out or the model answered no JSON);
  - anything else: an error reply (payload data ``{code: unknown_method, message, details}``);
    an LLM failure is an error reply with its code (``LlmUnavailable``, ``ModelNotFound``).
- self_validate is true when the agent is initialized, the core engine answers get_status and an
  echo round trip to itself works; each success is recorded as a heartbeat in the registry.

Limits: messages between hosted agents travel inside the framework, not over the bus, and
``agent_message`` events are published for each message and ``task_completed`` events are
tracked in ``self.completed``. There is no periodic heartbeat (``heartbeat_ms`` is unused).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from orchestra.contracts.agent_v1 import NotInitialized, TaskRejected, UnknownAgent
from orchestra.contracts.core_engine_v1 import EnginePaused, UnknownTaskKind
from orchestra.contracts.llm_v1 import LlmUnavailable, ModelNotFound
from orchestra.modules.agent_framework import AgentFrameworkBase
from orchestra.types import ChatMessage, Payload, Task, TaskResult
from specloom_runtime import Envelope, SpecloomError, new_correlation_id, utc_timestamp
from specloom_runtime import Payload as EnvelopePayload

HostedAgent = Callable[[Envelope], Awaitable[Envelope]]


class AgentFrameworkImpl(AgentFrameworkBase):
    """Agent Framework: hosts its own agent; tasks go to the core engine."""

    _ready: bool
    _hosted: dict[str, HostedAgent]

    async def on_start(self) -> None:
        self._ready = False
        self._hosted = {self.AGENT: self._answer}
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

    async def _answer(self, request: Envelope) -> Envelope:
        """How every hosted agent answers (see the module docstring)."""
        payload = request.payload
        method = payload.metadata.get("method") if payload.action == "custom" else None
        try:
            if method == "echo":
                return _reply(request, payload.data)
            if method == "think":
                return _reply(request, await self._think(payload.data))
            if method == "run":
                return _reply(request, await self._loop(payload.data))
        except (LlmUnavailable, ModelNotFound) as exc:
            return request.make_error(exc.code, exc.message, exc.details)
        return request.make_error(
            "unknown_method",
            f"{request.target_agent} does not handle {method!r}",
            {"method": method},
        )

    async def _think(self, data: dict[str, Any]) -> dict[str, Any]:
        messages = []
        if isinstance(data.get("system"), str):
            messages.append(ChatMessage(role="system", content=data["system"]))
        messages.append(ChatMessage(role="user", content=str(data.get("prompt", ""))))
        answer = await self.deps.llm.chat(messages, data.get("model"))
        return {"response": answer.message.content, "model": answer.model, "done": answer.done}

    async def _loop(self, data: dict[str, Any]) -> dict[str, Any]:
        """The agent loop: model proposes a task or a final answer; tasks run on the engine."""
        max_steps = data.get("max_steps", 4)
        max_steps = max_steps if isinstance(max_steps, int) and 1 <= max_steps <= 16 else 4
        messages = [
            ChatMessage(role="system", content=LOOP_PROMPT),
            ChatMessage(role="user", content=str(data.get("goal", ""))),
        ]
        steps: list[dict[str, Any]] = []
        for number in range(max_steps):
            answer = await self.deps.llm.chat(messages, data.get("model"))
            messages.append(ChatMessage(role="assistant", content=answer.message.content))
            step = _json_object(answer.message.content)
            if step is None:
                return {"final": answer.message.content, "steps": steps, "done": False}
            if "final" in step:
                return {"final": str(step["final"]), "steps": steps, "done": True}
            proposed = step.get("task") if isinstance(step.get("task"), dict) else {}
            task = {
                "id": f"{self.AGENT}-step-{number + 1}-{new_correlation_id()[:8]}",
                "kind": str(proposed.get("kind", "")),
                "input": proposed.get("input") if isinstance(proposed.get("input"), dict) else {},
            }
            try:
                result = await self.deps.core_engine.process_task(Task.model_validate(task))
                outcome = result.model_dump(mode="json")
            except SpecloomError as exc:
                outcome = {"status": "rejected", "error": exc.to_payload()}
            except ValueError as exc:  # the model proposed an invalid task
                outcome = {"status": "rejected", "error": {"message": str(exc)[:500]}}
            steps.append({"task": task, "result": outcome})
            messages.append(ChatMessage(role="user", content=json.dumps({"result": outcome})))
        return {"final": "", "steps": steps, "done": False}


LOOP_PROMPT = (
    "You are an agent of the orchestra system. Reach the user's goal in steps. Answer with one "
    'JSON object only: {"task": {"kind": KIND, "input": {...}}} to run a task on the core '
    'engine (you get its result back), or {"final": ANSWER} when the goal is reached.'
)


def _json_object(text: str) -> dict[str, Any] | None:
    """The first JSON object in a model's answer (fences and prose around it are ignored)."""
    start = text.find("{")
    while start != -1:
        try:
            value, _ = json.JSONDecoder().raw_decode(text, start)
        except ValueError:
            start = text.find("{", start + 1)
            continue
        return value if isinstance(value, dict) else None
    return None


def _reply(request: Envelope, data: dict[str, Any]) -> Envelope:
    payload = request.payload.model_copy(update={"data": data})
    return Envelope(
        timestamp=utc_timestamp(),
        source_agent=request.target_agent,
        target_agent=request.source_agent,
        message_type="response",
        correlation_id=request.correlation_id,
        payload=payload,
    )
