"""datamodel-code-generator's child process (``python -m generator.render.types_module``): it
warms up on a small schema while the parent works, and its answer is the same module a fresh
process without any warm-up generates."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from genkit import FLAGSHIP_SPECS, ROOT, env

from generator.errors import SpecloomError
from generator.render.types_module import TypesJob, _json_schema
from generator.validate import validate_specs

COLD = (
    "import sys\n"
    "from generator.render.types_module import _run_codegen\n"
    "sys.stdout.write(_run_codegen(sys.stdin.read()))\n"
)


def test_the_warm_child_generates_what_a_cold_process_does() -> None:
    result = validate_specs(FLAGSHIP_SPECS)
    assert result.spec is not None
    types = {t.name: t.schema for t in result.spec.types}
    source = json.dumps(_json_schema(types, "orchestra"), sort_keys=True)
    cold = subprocess.run(
        [sys.executable, "-c", COLD],
        input=source,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env(),
        check=True,
    ).stdout
    job = TypesJob().prestart()
    try:
        job.submit(types, package="orchestra", use_cache=False)
        warm = job.result()
    finally:
        job.cancel()
    assert warm == cold
    assert "class Task(BaseModel)" in warm and "from .formats import" in warm


def test_a_failing_schema_is_one_clean_line_from_the_child() -> None:
    job = TypesJob().prestart()
    try:
        # a $ref that is no string: datamodel-code-generator raises, the child reports one line
        job.submit({"Broken": {"$ref": 5}}, package="p", use_cache=False)
        with pytest.raises(SpecloomError) as exc:
            job.result()
    finally:
        job.cancel()
    assert exc.value.message.startswith("datamodel-code-generator failed on the shared types")
    assert "\n" not in exc.value.message
