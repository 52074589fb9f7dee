"""Spec strings can never inject code or markup: quotes, triple quotes, backslashes, newlines,
Jinja syntax and HTML in every kind of spec text land literally in the generated code (as
docstrings and literals), in the docs and in the config, and the code stays valid, typed and
runnable."""

from __future__ import annotations

import ast
import inspect
import json
import sys
from pathlib import Path

import pytest
import yaml
from genkit import files, ok, pytest_generated, run, specloom, tool, write_tree

# One line with every hazard; a rendered `{{ 7*7 }}` would read "x49y".
EVIL = 'Q\'s "dq" """tq""" back\\slash x{{ 7*7 }}y {% raw %}z </script> end'
# More lines, ending in a backslash (the worst case before a closing quote).
ML = EVIL + "\nsecond line\\"
EVIL_MD = EVIL.replace("<", "&lt;").replace(">", "&gt;")  # docs neutralise raw HTML only
ML_MD = ML.replace("<", "&lt;").replace(">", "&gt;")
# A pattern with quotes, backslashes and braces that accepts EVIL.
PATTERN = '^Q\'s "dq" .*\\\\slash x\\{\\{ 7\\*7 \\}\\}y .*$'


def _yaml(data: object) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


SPECS = {
    "system.yaml": {
        "specloom": 1,
        "system": {"name": "evil", "title": EVIL, "version": "1.0.0", "description": ML},
    },
    "types/thing.yaml": {
        "types": {
            "Thing": {
                "type": "object",
                "description": ML,
                "additionalProperties": False,
                "required": ["label"],
                "properties": {
                    "label": {"type": "string", "description": ML, "enum": [EVIL, "plain"]},
                    "note": {"type": "string", "default": EVIL, "pattern": PATTERN},
                },
            }
        }
    },
    "contracts/echo.v1.yaml": {
        "contract": "Echo",
        "version": 1,
        "description": ML,
        "deprecated": EVIL,
        "methods": {
            "say": {
                "summary": EVIL,
                "description": ML,
                "params": {
                    "text": {"type": "string", "description": ML, "pattern": PATTERN},
                    "mode": {"type": "string", "enum": [EVIL, "plain"], "default": EVIL},
                    "thing": {"$ref": "#/types/Thing", "default": {"label": EVIL}},
                },
                "returns": {"type": "string"},
                "errors": ["Bad"],
            }
        },
        "errors": {"Bad": {"summary": ML}},
        "events": {"said": {"summary": ML}},
        "examples": [
            {
                "name": EVIL,
                "steps": [{"call": "say", "with": {"text": EVIL, "mode": EVIL}, "returns": EVIL}],
            },
            {
                "name": "bad",
                "steps": [{"call": "say", "with": {"text": EVIL + "!"}, "raises": "Bad"}],
            },
        ],
    },
    "modules/01-talker.yaml": {
        "module": "talker",
        "number": 1,
        "title": EVIL,
        "scope": ML,
        "outputs": EVIL,
        "provides": ["Echo@1"],
        "brief": ML,
        "guide": ML,
        "testing_criteria": [ML],
        "notes": [ML],
        "config": {
            "properties": {
                "greeting": {"type": "string", "default": EVIL, "description": ML},
                "level": {"type": "string", "enum": [EVIL, "low"], "default": "low"},
            }
        },
    },
    "contracts/user.v1.yaml": {
        "contract": "User",
        "version": 1,
        "description": "Calls Echo.",
        "methods": {"ping": {"summary": "Ping.", "returns": {"type": "boolean"}}},
        "examples": [{"name": "ping", "steps": [{"call": "ping", "with": {}, "returns": True}]}],
    },
    "modules/02-user.yaml": {
        "module": "user",
        "number": 2,
        "title": "User",
        "scope": "Uses the talker.",
        "provides": ["User@1"],
        "consumes": ["Echo@1"],
    },
}


@pytest.fixture(scope="module")
def evil(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("evil")
    write_tree(root / "specs", {rel: _yaml(data) for rel, data in SPECS.items()})
    ok(specloom("generate", "specs", cwd=root))
    return root


def _strings(path: Path) -> set[str]:
    """Every string constant of a Python file, docstrings cleaned as ``inspect`` shows them."""
    tree = ast.parse(path.read_text("utf-8"))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out |= {node.value, inspect.cleandoc(node.value)}
    return out


def _contains(strings: set[str], text: str) -> bool:
    return any(text in s for s in strings)


def test_no_jinja_was_evaluated_anywhere(evil: Path) -> None:
    tree = files(evil)
    assert len(tree) > 40
    for rel, data in tree.items():
        assert b"x49y" not in data, f"{rel}: spec text was evaluated as a template"
    hits = [rel for rel, data in tree.items() if b"x{{ 7*7 }}y {% raw %}z" in data]
    for expected in ("generated/evil/contracts/echo_v1.py", "generated/docs/README.md"):
        assert expected in hits


@pytest.mark.parametrize(
    ("rel", "texts"),
    [
        ("evil/__init__.py", [EVIL]),
        ("evil/system.py", [EVIL]),
        ("evil/contracts/echo_v1.py", [EVIL, ML, PATTERN, "Deprecated: " + EVIL]),
        ("evil/mocks/echo_v1.py", [EVIL]),  # in the examples (summaries are the interface's)
        ("evil/modules/talker.py", [EVIL, ML]),
        ("evil/types.py", [EVIL, ML, PATTERN]),
        ("../impl/talker.py", [EVIL, ML]),
    ],
)
def test_spec_text_lands_literally_in_python_strings(
    evil: Path, rel: str, texts: list[str]
) -> None:
    strings = _strings(evil / "generated" / rel)
    for text in texts:
        assert _contains(strings, text), f"{text!r} not found literally in {rel}"


RUNTIME = """
import inspect, json, typing
import evil
from evil import system, types
from evil.contracts import echo_v1 as contract
from evil.mocks import echo_v1 as mock
from evil.modules import talker
from impl import talker as impl

params = contract.SayParams.model_fields
print(json.dumps({
    "title": system.MODULES[0].title,
    "package_doc": inspect.getdoc(evil),
    "interface_doc": inspect.getdoc(contract.EchoV1),
    "method_doc": inspect.getdoc(contract.EchoV1.say),
    "client_doc": inspect.getdoc(contract.EchoV1Client.say),
    "mock_doc": inspect.getdoc(mock.EchoV1Mock.say),
    "impl_doc": inspect.getdoc(impl.TalkerImpl.say),
    "error_doc": inspect.getdoc(contract.Bad),
    "type_doc": inspect.getdoc(types.Thing),
    "mode_default": params["mode"].default,
    "mode_choices": list(typing.get_args(params["mode"].annotation)),
    "signature_default": inspect.signature(contract.EchoV1.say).parameters["mode"].default,
    "thing_default": params["thing"].default.model_dump(),
    "pattern": contract.SayParams.model_json_schema()["properties"]["text"]["pattern"],
    "example_name": mock.EchoV1Mock.EXAMPLES[0]["name"],
    "example_text": mock.EchoV1Mock.EXAMPLES[0]["steps"][0]["with"]["text"],
    "config_default": talker.TalkerConfig().greeting,
    "level_choices": list(typing.get_args(talker.TalkerConfig.model_fields["level"].annotation)),
    "from_env": talker.TalkerConfig.from_env({"EVIL_TALKER_GREETING": sys_argv_value}).greeting,
}))
"""


def test_generated_objects_carry_the_exact_spec_values(evil: Path) -> None:
    env_line = next(
        line
        for line in (evil / "generated/config/env.example").read_text("utf-8").splitlines()
        if line.startswith("# EVIL_TALKER_GREETING=")
    )
    value = env_line.partition("=")[2]  # what a user uncommenting the line would set
    script = RUNTIME.replace("sys_argv_value", repr(value))
    proc = ok(run([sys.executable, "-c", script], evil / "generated", PYTHONPATH=str(evil)))
    got = json.loads(proc.stdout)
    assert got["title"] == EVIL
    assert got["package_doc"].startswith(EVIL + " (version 1.0.0)")
    assert got["interface_doc"] == f"Interface Echo@1.\n\n{ML}\n\nDeprecated: {EVIL}"
    for key in ("method_doc", "client_doc", "mock_doc", "impl_doc"):
        assert got[key] == f"{EVIL}\n\n{ML}", key
    assert got["error_doc"] == ML
    assert got["type_doc"] == ML
    assert got["mode_default"] == got["signature_default"] == EVIL
    assert got["mode_choices"] == [EVIL, "plain"]
    assert got["thing_default"] == {"label": EVIL, "note": EVIL}
    assert got["pattern"] == PATTERN
    assert got["example_name"] == got["example_text"] == EVIL
    assert got["config_default"] == got["from_env"] == EVIL
    assert got["level_choices"] == [EVIL, "low"]


DOCS = {
    "docs/README.md": [f"# {EVIL_MD}\n", f"\n{ML_MD}\n", f"| 01 | {EVIL_MD} |"],
    "docs/PLAN.md": [f"# Plan: {EVIL_MD}\n"],
    "docs/MODULE-INTERFACES.md": [
        f"### Echo@1\n\n{ML_MD}\n",
        f"> **Deprecated:** {EVIL_MD}\n",
        f"| {EVIL_MD} |\n",  # the summary cell
        f"`mode: Literal[{EVIL!r}, 'plain']` = `{EVIL!r}`",  # code spans show values exactly
        f"- `Bad`: {EVIL_MD}\n  second line\\\n",
        f"- `said`: {EVIL_MD}\n  second line\\\n",
        f"- {EVIL_MD}: `say`\n",
    ],
    "docs/modules/01-talker/AGENT-BRIEF.md": [
        f"# 01 {EVIL_MD}: agent brief\n",
        f"- **Scope:** {EVIL_MD}\n  second line\\\n",
        f"- **Outputs:** {EVIL_MD}\n",
        f"\n{ML_MD}\n",
        f"## Notes\n\n- {EVIL_MD}\n  second line\\\n",
    ],
    "docs/modules/01-talker/IMPLEMENTATION-GUIDE.md": [f"## Guidance\n\n{ML_MD}\n"],
    "docs/modules/01-talker/INTERFACES.md": [
        f"`config.greeting` (`str`, default `{EVIL!r}`): {EVIL_MD}\n  second line\\\n",
    ],
    "docs/modules/01-talker/TESTING-CRITERIA.md": [f"- [ ] {EVIL_MD}\n  second line\\\n"],
    "config/env.example": [
        f"# Settings of {EVIL}: one environment variable per module setting.\n",
        f"# {EVIL}\n# second line\\\n# EVIL_TALKER_GREETING={EVIL}\n",
    ],
}


@pytest.mark.parametrize("rel", sorted(DOCS))
def test_spec_text_lands_literally_in_docs_and_config(evil: Path, rel: str) -> None:
    text = (evil / "generated" / rel).read_text("utf-8")
    for expected in DOCS[rel]:
        assert expected in text, f"{rel} lacks {expected!r}"
    if rel.endswith(".md"):
        prose = "".join(part for i, part in enumerate(text.split("`")) if i % 2 == 0)
        assert "</script>" not in prose.replace("```mermaid", ""), f"raw HTML in {rel}"


def test_the_code_compiles_lints_type_checks_and_imports(evil: Path, tmp_path: Path) -> None:
    out = evil / "generated"
    for path in [*out.rglob("*.py"), *(evil / "impl").rglob("*.py")]:
        compile(path.read_text("utf-8"), str(path), "exec", dont_inherit=True)
    config = ["--no-cache", "--config", str(out / "ruff.toml")]
    ok(run([tool("ruff"), "check", *config, str(out), str(evil / "impl")], evil))
    ok(run([tool("ruff"), "format", "--check", *config, str(out), str(evil / "impl")], evil))
    mypy = [tool("mypy"), "--strict", "--cache-dir", str(tmp_path / "mypy")]
    ok(run([*mypy, "-p", "evil", "-p", "impl"], evil, MYPYPATH=str(out)))


def test_the_generated_tests_pass(evil: Path) -> None:
    proc = ok(pytest_generated(evil / "generated"))
    assert " passed" in proc.stdout and "failed" not in proc.stdout
    assert "pending: 1 stub(s) left in talker" in proc.stdout  # the scaffold is still a stub


def test_the_mock_answers_the_example_exactly_over_the_cli(evil: Path) -> None:
    params = json.dumps({"text": EVIL, "mode": EVIL})
    proc = ok(run([sys.executable, "-m", "evil", "call", "Echo@1.say", params], evil / "generated"))
    assert json.loads(proc.stdout) == EVIL
