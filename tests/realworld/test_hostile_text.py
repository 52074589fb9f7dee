"""Hostile text in every kind of spec string, beyond the quotes and Jinja of
tests/generate/test_gen_injection.py: NUL and other control characters, C1 controls, bidi
overrides and isolates (U+202E, U+2066..U+2069: "Trojan Source"), zero-width characters, BOMs,
line/paragraph separators, tag characters beyond the BMP, CRLF, `*/`, `-->`, `</script>` and a
5,000-character line.

The generated code must compile, pass ruff (check and format) and mypy --strict, run its tests,
and carry the exact spec values at run time; no invisible character may stand raw in any Python
source (each is a visible escape), and the generated pyproject.toml must be valid TOML holding
the exact title."""

from __future__ import annotations

import ast
import json
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from kit import ok, run, specloom, tool

# Every invisible or control character a reviewer could not see in a diff, and markup closers.
INVISIBLE = (
    "bidi\u202eevil\u202c iso\u2066x\u2069 rlm\u200f zw\u200bj\u200dn\ufeff ls\u2028ps\u2029"
    " nul\x00 bel\x07 esc\x1b del\x7f nel\x85 csi\x9b shy\xad tag\U000e0041"
)
EVIL = 'Q\'s "dq" """tq""" back\\slash {{ 7*7 }} {% raw %} */ --> <!-- </script> ' + INVISIBLE
LONG = "w" * 5000
ML = EVIL + "\r\nsecond line\r\n" + LONG + " end\\"
RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ufeff\U000e0000-\U000e0fff]"
)

SPECS = {
    "system.yaml": {
        "specloom": 1,
        "system": {"name": "hostile", "title": EVIL, "version": "1.0.0", "description": ML},
    },
    "types/thing.yaml": {
        "types": {
            "Thing": {
                "type": "object",
                "description": ML,
                "required": ["label"],
                "properties": {
                    "label": {"type": "string", "description": ML, "enum": [EVIL, "plain"]},
                    "note": {"type": "string", "default": EVIL},
                },
            }
        }
    },
    "contracts/echo.v1.yaml": {
        "contract": "Echo",
        "version": 1,
        "description": ML,
        "methods": {
            "say": {
                "summary": EVIL,
                "description": ML,
                "params": {
                    "text": {"type": "string", "description": ML},
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
                "steps": [{"call": "say", "with": {"text": EVIL, "mode": EVIL}, "returns": ML}],
            }
        ],
    },
    "modules/01-talker.yaml": {
        "module": "talker",
        "number": 1,
        "title": EVIL,
        "scope": ML,
        "provides": ["Echo@1"],
        "brief": ML,
        "testing_criteria": [ML],
        "config": {"properties": {"greeting": {"type": "string", "default": EVIL}}},
    },
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    for rel, data in SPECS.items():
        path = root / "specs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
        path.write_text(text, "utf-8")
    ok(specloom("validate", "specs", cwd=root))
    ok(specloom("generate", "specs", cwd=root))
    return root


def _python_files(root: Path) -> list[Path]:
    return sorted([*(root / "generated").rglob("*.py"), *(root / "impl").rglob("*.py")])


def test_no_invisible_character_is_raw_in_python_source(hostile: Path) -> None:
    sources = _python_files(hostile)
    assert len(sources) >= 12
    for path in sources:
        text = path.read_text("utf-8")
        found = RAW.search(text)
        assert found is None, f"{path}: raw U+{ord(found.group()):04X} in the source"
    # ... and they are there, escaped: the bidi override of the contract's docstrings
    contract = (hostile / "generated/hostile/contracts/echo_v1.py").read_text("utf-8")
    assert "bidi\\u202eevil" in contract and "tag\\U000e0041" in contract


def test_the_code_compiles_lints_type_checks(hostile: Path, tmp_path: Path) -> None:
    out = hostile / "generated"
    for path in _python_files(hostile):
        compile(path.read_text("utf-8"), str(path), "exec", dont_inherit=True)
    config = ["--no-cache", "--config", str(out / "ruff.toml")]
    ok(run([tool("ruff"), "check", *config, str(out), str(hostile / "impl")], hostile))
    ok(run([tool("ruff"), "format", "--check", *config, str(out), str(hostile / "impl")], hostile))
    mypy = [tool("mypy"), "--strict", "--cache-dir", str(tmp_path / "mypy")]
    ok(run([*mypy, "-p", "hostile", "-p", "impl"], hostile, MYPYPATH=str(out)))


def test_pyproject_is_valid_toml_with_the_exact_title(hostile: Path) -> None:
    data = tomllib.loads((hostile / "generated/pyproject.toml").read_text("utf-8"))
    assert data["project"]["description"] == EVIL


def test_the_generated_tests_pass(hostile: Path) -> None:
    cmd = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "tests"]
    proc = ok(run(cmd, hostile / "generated"))
    assert " passed" in proc.stdout and "failed" not in proc.stdout


PROBE = """
import asyncio, inspect, json, typing
from hostile.contracts import echo_v1 as contract
from hostile.mocks import echo_v1 as mock
from hostile.modules import talker

params = contract.SayParams.model_fields
answer = asyncio.run(mock.EchoV1Mock().say(text=EXAMPLE_TEXT, mode=EXAMPLE_TEXT))
print(json.dumps({
    "method_doc": inspect.getdoc(contract.EchoV1.say),
    "error_doc": inspect.getdoc(contract.Bad),
    "mode_default": params["mode"].default,
    "mode_choices": list(typing.get_args(params["mode"].annotation)),
    "thing_default": params["thing"].default.model_dump(),
    "example_name": mock.EchoV1Mock.EXAMPLES[0]["name"],
    "answer": answer,
    "config_default": talker.TalkerConfig().greeting,
}))
"""


def _spaced(text: str) -> str:
    return re.sub(r"[ \n]+", " ", text)


def test_generated_objects_carry_the_exact_spec_values(hostile: Path) -> None:
    script = PROBE.replace("EXAMPLE_TEXT", repr(EVIL))
    proc = ok(run([sys.executable, "-c", script], hostile / "generated"))
    got = json.loads(proc.stdout)
    # Docstrings hold the exact text, up to the wrapping of long lines at spaces.
    assert _spaced(got["method_doc"]) == _spaced(f"{EVIL}\n\n{ML}")
    assert _spaced(got["error_doc"]) == _spaced(ML)
    assert got["mode_default"] == EVIL and got["mode_choices"] == [EVIL, "plain"]
    assert got["thing_default"] == {"label": EVIL, "note": EVIL}
    assert got["example_name"] == EVIL
    assert got["answer"] == ML
    assert got["config_default"] == EVIL


def test_openapi_document_carries_the_exact_text(hostile: Path) -> None:
    doc = json.loads((hostile / "generated/hostile/openapi.json").read_text("utf-8"))
    ops = [op for item in doc["paths"].values() for op in item.values()]
    assert any(op.get("summary") == EVIL for op in ops)
    assert doc["info"]["title"] == EVIL


def test_literal_escapes_are_the_same_value() -> None:
    """The rewrite itself, on sources of every string form (plain, raw, bytes-free, f-string,
    comment): the values do not change and nothing invisible is left."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from generator.render.literals import visible_escapes

    src = (
        f"A = {INVISIBLE!r}\n"
        f'B = r"""x\u202ey"""\n'
        f'C = f"{{A}}\u200b{{B!r}}"\n'
        f"# a comment \u202e with a bidi override\n"
        f'def f() -> None:\n    """Doc \u2066 text\x07."""\n'
    )
    out = visible_escapes(src)
    assert RAW.search(out) is None
    before, after = {}, {}
    exec(compile(src, "<src>", "exec"), before)  # noqa: S102 - our own literal test source
    exec(compile(out, "<out>", "exec"), after)  # noqa: S102
    for name in ("A", "B", "C"):
        assert after[name] == before[name]
    assert after["f"].__doc__ == before["f"].__doc__
    assert "# a comment \\u202e with" in out
    assert ast.dump(ast.parse(out)) == ast.dump(ast.parse(src))
    assert visible_escapes("x = 'plain'\n") == "x = 'plain'\n"
