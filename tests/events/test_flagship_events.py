"""Contract events travel over the bus: the flagship's core engine publishes
``CoreEngine@1.task_completed`` and the agent framework (a consumer of CoreEngine@1) receives it.
Runs the committed generated package and implementations in a real subprocess."""

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import asyncio, json, sys
    sys.path[:0] = [sys.argv[1] + "/generated", sys.argv[1]]
    from specloom_runtime import ContractViolation, System
    from orchestra.system import CLIENTS, MODULES

    async def main():
        async with System(MODULES, clients=CLIENTS) as system:
            topics = []

            async def record(envelope):
                topics.append([envelope.topic, envelope.source_agent, envelope.message_type])

            system.bus.subscribe("*", record)
            engine = system.client("CoreEngine@1")
            await engine.process_task(task={"id": "t-ev", "kind": "echo", "input": {"a": 1}})
            await asyncio.sleep(0.05)
            framework = system.modules["agent_framework"].objects[0]
            try:
                await framework.emit("no_such_event", {})
                unknown = "accepted"
            except ValueError as exc:
                unknown = str(exc)
            engine_impl = system.modules["core_engine"].objects[0]
            try:
                await engine_impl.emit("task_completed", {"task_id": 7})
                invalid = "accepted"
            except ContractViolation as exc:
                invalid = str(exc)
            print(json.dumps({"topics": topics, "completed": framework.completed,
                              "unknown": unknown, "invalid": invalid}))

    asyncio.run(main())
    """
)


def test_task_completed_reaches_the_agent_framework() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    import json

    out = json.loads(proc.stdout)
    assert ["CoreEngine@1.task_completed", "agent-03-core-engine", "event"] in out["topics"]
    assert out["completed"] == {"t-ev": "completed"}
    assert "no provided contract declares event 'no_such_event'" in out["unknown"]
    assert out["invalid"] == "payload of event CoreEngine@1.task_completed breaks the contract"
