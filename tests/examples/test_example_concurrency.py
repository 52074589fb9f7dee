"""The example implementations are what users copy: they must stay correct under concurrency.

2,000 creates run at once through the bus against each example's notes module (and its store):
every one gets its own id, and every note can be read back as it was written (none overwritten).
Each runs in a subprocess: the example packages (``notes``, ``shelf``) stay out of this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COUNT = 2000

SCRIPT = """
import asyncio, json, sys
sys.path[:0] = [".", "generated"]
from {package}.system import CLIENTS, MODULES
System = sys.modules[type(MODULES[0]).__module__].System  # the runtime, vendored or a library

async def main(count):
    async with System(MODULES, clients=CLIENTS) as system:
        assert {{m["module"]: m["mode"] for m in system.health()}}["notes"] == "impl"
        client = system.client("{key}")
        ids = await asyncio.gather(*({create}))
        ids = [{id_of}]
        texts = await asyncio.gather(*({read}))
        return {{"ids": ids, "texts": [{text_of}]}}

print(json.dumps(asyncio.run(main(int(sys.argv[1])))))
"""

CASES = {
    "notes": dict(
        package="notes",
        key="Notes@1",
        create="client.create_note(title=f'note {i}') for i in range(count)",
        id_of="note.id for note in ids",
        read="client.get_note(note_id=i) for i in ids",
        text_of="note.title for note in texts",
    ),
    "versions": dict(
        package="shelf",
        key="Notes@1",
        create="client.add(text=f'note {i}') for i in range(count)",
        id_of="i for i in ids",
        read="client.read(note_id=i) for i in ids",
        text_of="t for t in texts",
    ),
}


@pytest.mark.parametrize("example", sorted(CASES))
def test_concurrent_creates_get_distinct_ids_and_overwrite_nothing(example: str) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "SPECLOOM_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT.format(**CASES[example]), str(COUNT)],
        cwd=ROOT / "examples" / example, env=env, capture_output=True, text=True, timeout=600,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert len(set(result["ids"])) == COUNT
    assert result["texts"] == [f"note {i}" for i in range(COUNT)]
