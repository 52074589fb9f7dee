"""Replaying contract examples against any implementation of a contract (mock, real, client).

Used by the generated contract tests and by ``specloom fill`` to judge candidate code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from .errors import DeclaredError, SpecloomError
from .matchers import example_value
from .mock import json_equal, json_subset, resolve_vars

__all__ = ["ExampleFailed", "as_json", "replay"]


class ExampleFailed(AssertionError):
    """An example step did not behave as the contract says."""


async def replay(target: Any, example: Mapping[str, Any]) -> list[Any]:
    """Run every step of ``example`` against ``target``; return the results (JSON values).

    Raises :class:`ExampleFailed` naming the step, the call and the difference.
    """
    bindings: dict[str, Any] = {}
    results: list[Any] = []
    name = example["name"]
    for number, step in enumerate(example["steps"], start=1):
        args = example_value(resolve_vars(step.get("with", {}), bindings))
        where = f"example {name!r}, step {number} ({step['call']}({_short(args)}))"
        method = getattr(target, step["call"])
        if "raises" in step:
            try:
                value = await method(**args)
            except DeclaredError as exc:
                if exc.code != step["raises"]:
                    msg = f"{where}: expected {step['raises']}, got {exc.code}"
                    raise ExampleFailed(msg) from exc
                results.append(None)
                continue
            except SpecloomError as exc:
                msg = f"{where}: expected {step['raises']}, got {exc.code}: {exc}"
                raise ExampleFailed(msg) from exc
            raise ExampleFailed(f"{where}: expected {step['raises']}, got result {_short(value)}")
        try:
            value = as_json(await method(**args))
        except SpecloomError as exc:
            raise ExampleFailed(f"{where}: raised {exc.code}: {exc}") from exc
        if "returns" in step:
            expected = resolve_vars(step["returns"], bindings)
            subset = step.get("match") == "subset"
            same = json_subset(value, expected) if subset else json_equal(value, expected)
            if not same:
                how = "to contain" if subset else "to be"
                raise ExampleFailed(
                    f"{where}: expected result {how} {_short(expected)}, got {_short(value)}"
                )
        if "bind" in step:
            bindings[step["bind"]] = value
        results.append(value)
    return results


def as_json(value: Any) -> Any:
    """A result as the JSON the contract describes: optional properties the provider left out
    stay out (pydantic would otherwise show them as ``None``)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_unset=True)
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    return to_jsonable_python(value)


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
