"""List, dict, nested-object and model-typed parameter defaults are never shared between calls.

A spec set whose method has such defaults is generated (the real CLI), linted with the shipped
``ruff.toml`` (B006/B008 on, no ignores), type-checked with ``mypy --strict`` (package and
scaffold) and imported. The generated mock (the runtime's generic method path, as clients and
adapters use it) is called twice without arguments: what the first call received is mutated, and
the second call still receives, and records on the wire, exactly the spec's defaults.
"""

from __future__ import annotations

import asyncio
import copy
import importlib
import inspect
import sys
from pathlib import Path
from typing import Any

import yaml
from genkit import ok, run, specloom, tool, write_tree

TAGS = ["a", "b"]
OPTIONS = {"depth": 2, "flags": ["x"]}
NESTED = {"inner": {"xs": [1, 2]}, "label": "n"}
POINT = {"x": 1, "y": 2, "tags": ["p"]}

SPECS = {
    "specs/system.yaml": {
        "specloom": 1,
        "system": {"name": "defs", "title": "Defaults", "version": "0.1.0", "description": "d"},
    },
    "specs/types/point.yaml": {
        "types": {
            "Point": {
                "type": "object",
                "additionalProperties": False,
                "required": ["x", "y"],
                "properties": {
                    "x": {"type": "integer"},
                    "y": {"type": "integer"},
                    "tags": {"type": "array", "items": {"type": "string"}, "default": []},
                },
            }
        }
    },
    "specs/contracts/echo.v1.yaml": {
        "contract": "Echo",
        "version": 1,
        "description": "Echoes its parameters.",
        "methods": {
            "echo": {
                "summary": "Echo the parameters.",
                "params": {
                    "tags": {"type": "array", "items": {"type": "string"}, "default": TAGS},
                    "options": {"type": "object", "default": OPTIONS},
                    "nested": {
                        "type": "object",
                        "properties": {
                            "inner": {
                                "type": "object",
                                "properties": {
                                    "xs": {"type": "array", "items": {"type": "integer"}}
                                },
                            },
                            "label": {"type": "string"},
                        },
                        "default": NESTED,
                    },
                    "point": {"$ref": "#/types/Point", "default": POINT},
                },
                "returns": {"type": "boolean"},
            }
        },
        "examples": [
            {"name": "echo with defaults", "steps": [{"call": "echo", "with": {}, "returns": True}]}
        ],
    },
    "specs/modules/echoer.yaml": {
        "module": "echoer",
        "number": 1,
        "title": "Echoer",
        "scope": "Echoes.",
        "outputs": "An echo service",
        "phase": 1,
        "provides": ["Echo@1"],
        "brief": "Echo.",
        "testing_criteria": ["Echo works."],
    },
}


def _wire(value: Any) -> Any:
    """A received argument as plain JSON data (a model instance dumped)."""
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value


def test_mutable_defaults_are_fresh_per_call_and_lint_clean(tmp_path: Path) -> None:
    write_tree(tmp_path, {rel: yaml.safe_dump(d, sort_keys=False) for rel, d in SPECS.items()})
    ok(specloom("generate", "specs", cwd=tmp_path))
    out = tmp_path / "generated"
    contract = (out / "defs" / "contracts" / "echo_v1.py").read_text()
    assert "_defaults.fresh(" in contract
    ruff_toml = (out / "ruff.toml").read_text()
    assert "ignore" not in ruff_toml.replace("known-", "")
    assert '"B006", "B008"' in ruff_toml
    ok(run([tool("ruff"), "check", "--no-cache", "."], out))
    ok(
        run(
            [tool("ruff"), "check", "--no-cache", "--config", "generated/ruff.toml", "impl"],
            tmp_path,
        )
    )
    ok(
        run(
            [
                tool("ruff"),
                "check",
                "--no-cache",
                "--select",
                "B006,B008",
                "--config",
                "generated/ruff.toml",
                "impl",
            ],
            tmp_path,
        )
    )
    stub = (tmp_path / "impl" / "echoer.py").read_text()
    assert "tags: list[str] | None = None" in stub and 'tags = ["a", "b"] if tags is None' in stub
    ok(run([tool("mypy"), "--strict", "defs", "../impl"], out))

    sys.path[:0] = [str(out)]
    try:
        mocks = importlib.import_module("defs.mocks.echo_v1")
        received: list[dict[str, Any]] = []

        class Capture(mocks.EchoV1Mock):  # type: ignore[misc,name-defined]
            async def _answer(self, method: str, args: dict[str, Any]) -> Any:
                received.append(args)
                return await super()._answer(method, args)

        mock = Capture()

        async def calls() -> None:
            await mock.echo()
            first = received[0]
            first["tags"].append("mutated")
            first["options"]["flags"].append("mutated")
            first["options"]["depth"] = 99
            first["nested"].inner.xs.append(3)
            first["nested"].label = "mutated"
            first["point"].tags.append("mutated")
            first["point"].x = 42
            await mock.echo()

        asyncio.run(calls())
        second = received[1]
        assert second["tags"] == TAGS
        assert second["options"] == OPTIONS
        assert _wire(second["nested"]) == NESTED
        assert _wire(second["point"]) == POINT
        for name in ("tags", "options", "nested", "point"):
            assert second[name] is not received[0][name]
        # What went on the wire for the second call is the spec's defaults exactly.
        assert mock.calls[1].args == {
            "tags": TAGS,
            "options": OPTIONS,
            "nested": NESTED,
            "point": POINT,
        }
        # The generated client over a real in-process bus to a host: what goes on the wire and
        # what the provider receives are the spec's defaults on every call, though the provider
        # mutates what it got.
        rt = importlib.import_module("specloom_runtime")
        contracts = importlib.import_module("defs.contracts.echo_v1")
        served: list[dict[str, Any]] = []

        class Provider:
            async def echo(self, **args: Any) -> bool:
                served.append(copy.deepcopy({k: _wire(v) for k, v in args.items()}))
                args["tags"].append("mutated")
                args["options"]["flags"].append("mutated")
                args["point"].tags.append("mutated")
                return True

        async def over_the_bus() -> list[Any]:
            bus = rt.Bus()
            seen: list[Any] = []  # what was sent, as it was then (the provider mutates it after)
            bus.on_envelope(lambda e: seen.append(copy.deepcopy(e.payload)))
            rt.ServiceHost("echoer", bus, [(contracts.ECHO_V1, Provider())])
            client = contracts.EchoV1Client(bus, "caller", "echoer")
            assert await client.echo() is True
            assert await client.echo() is True
            return [p.data for p in seen if p.metadata.get("method") == "echo"]

        wire = asyncio.run(over_the_bus())
        spec_defaults = {"tags": TAGS, "options": OPTIONS, "nested": NESTED, "point": POINT}
        requests = [data for data in wire if "tags" in data]
        assert requests == [spec_defaults, spec_defaults]
        assert served == [spec_defaults, spec_defaults]
        # The default the signature shows is still the spec's, after what a call got was mutated.
        shown = inspect.signature(contracts.EchoV1.echo).parameters
        assert repr(shown["tags"].default) == repr(TAGS)
        assert repr(shown["options"].default) == repr(OPTIONS)
        assert repr(shown["point"].default) == f"Point.model_validate({POINT!r})"
    finally:
        sys.path.remove(str(out))
        for name in [n for n in sys.modules if n == "defs" or n.startswith("defs.")]:
            del sys.modules[name]
