"""Mocks that behave like a store (issue 13 section 5), on the notes example's generated
KeyValue@1 mock, through the real bus with two callers: per-key state, overwrites, deletes,
misses, and no shared progress between interleaved callers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from genkit import env

SCRIPT = textwrap.dedent(
    """
    import asyncio, json
    from notes.system import MODULES, CLIENTS
    from specloom_runtime import System
    from specloom_runtime.errors import DeclaredError

    async def main():
        out = []

        async def note(label, call):
            try:
                out.append([label, await call])
            except DeclaredError as exc:
                out.append([label, "raises " + exc.code])

        async with System(MODULES, clients=CLIENTS, force_mock=["store", "notes"]) as system:
            a = system.client("KeyValue@1", source_agent="caller-a")
            b = system.client("KeyValue@1", source_agent="caller-b")
            await note("get B first", a.get(key="user:8"))
            await note("put A", a.put(key="user:7", value={"name": "Ada"}))
            await note("b put A", b.put(key="user:7", value={"name": "Bob"}))
            await note("get A", a.get(key="user:7"))
            await note("get A again", a.get(key="user:7"))
            await note("get B", a.get(key="user:8"))
            await note("put A again", a.put(key="user:7", value={"name": "Grace"}))
            await note("get A after overwrite", a.get(key="user:7"))
            await note("put C", a.put(key="user:9", value={"name": "Linus"}))
            await note("get C", a.get(key="user:9"))
            await note("get A beside C", a.get(key="user:7"))
            await note("b get A", b.get(key="user:7"))
            await note("b get C", b.get(key="user:9"))
            await note("delete C", a.delete(key="user:9"))
            await note("get C after delete", a.get(key="user:9"))
        print(json.dumps(out))

    asyncio.run(main())
    """
)


def test_the_mock_keeps_state_per_key_and_per_caller(notes_project) -> None:
    root = notes_project.root
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=root,
        env={**env(), "PYTHONPATH": f"{root / 'generated'}{os.pathsep}{root}"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    got = dict(json.loads(proc.stdout.strip().splitlines()[-1]))
    assert got == {
        "get B first": "raises KeyMissing",
        "put A": True,
        "b put A": True,  # the other caller's store is its own
        "get A": {"name": "Ada"},
        "get A again": {"name": "Ada"},
        "get B": "raises KeyMissing",
        "put A again": False,  # the key existed, as the example says of a second put
        "get A after overwrite": {"name": "Grace"},
        "put C": True,
        "get C": {"name": "Linus"},
        "get A beside C": {"name": "Grace"},
        "b get A": {"name": "Bob"},
        "b get C": "raises KeyMissing",
        "delete C": True,
        "get C after delete": "raises KeyMissing",
    }
