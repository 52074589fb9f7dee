"""Generated systems check patterns in linear time (issue 12 section 2): a hostile string against
``^(a|a)+$``, which makes a backtracking engine (Python's ``re``, ``regex_engine='python-re'``) run
for hours, is refused promptly, over the bus and in the params model, while a normal request on
the same system is answered. The tests have timeouts, so a regression fails rather than hangs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml
from genkit import ok, run, specloom, write_tree

HOSTILE = "a" * 40 + "!"

SPECS = {
    "specs/system.yaml": {
        "specloom": 1,
        "system": {"name": "rx", "title": "Rx", "version": "1.0.0"},
    },
    "specs/modules/01-echo.yaml": {
        "module": "echo",
        "number": 1,
        "title": "Echo",
        "scope": "Echoes a's.",
        "provides": ["Echo@1"],
    },
    "specs/contracts/echo.v1.yaml": {
        "contract": "Echo",
        "version": 1,
        "methods": {
            "say": {
                "summary": "Echo a run of a's.",
                "params": {"text": {"type": "string", "pattern": "^(a|a)+$"}},
                "returns": {"type": "string", "pattern": "^(a|a)+$", "minLength": 40},
            }
        },
        "examples": [
            {"name": "echo", "steps": [{"call": "say", "with": {"text": "aaa"}, "bind": "said"}]}
        ],
    },
}


@pytest.fixture(scope="module")
def rx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rx")
    write_tree(root, {rel: yaml.safe_dump(data, sort_keys=False) for rel, data in SPECS.items()})
    ok(specloom("generate", "specs", cwd=root))
    return root / "generated"


def test_generated_code_uses_the_default_linear_time_engine(rx: Path) -> None:
    code = "\n".join(p.read_text("utf-8") for p in (rx / "rx").rglob("*.py"))
    assert "^(a|a)+$" in code
    assert "python-re" not in code and "regex_engine" not in code


@pytest.mark.timeout(60)
def test_a_hostile_request_is_refused_promptly_over_the_bus(rx: Path) -> None:
    proc = run(
        [sys.executable, "-m", "rx", "call", "Echo@1.say", json.dumps({"text": HOSTILE})], rx
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "error[invalid_params]" in proc.stderr and "text" in proc.stderr
    # The same system answers a normal request (its mock's synthesized answer).
    fine = ok(run([sys.executable, "-m", "rx", "call", "Echo@1.say", '{"text": "aaaa"}'], rx))
    assert json.loads(fine.stdout) == "a" * 40


@pytest.mark.timeout(60)
def test_the_params_model_checks_a_long_hostile_string_in_linear_time(rx: Path) -> None:
    script = (
        "from pydantic import ValidationError\n"
        "from rx.contracts.echo_v1 import SayParams\n"
        "SayParams.model_validate({'text': 'a' * 200_000})\n"
        "try:\n"
        "    SayParams.model_validate({'text': 'a' * 200_000 + '!'})\n"
        "except ValidationError as exc:\n"
        "    print(exc.errors()[0]['type'])\n"
    )
    proc = ok(run([sys.executable, "-c", script], rx))
    assert proc.stdout.strip() == "string_pattern_mismatch"
