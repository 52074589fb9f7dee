"""``specloom_runtime.defaults.fresh``: every shape of default comes out equal to the spec's and
shares nothing with the marker or with an earlier call (flat lists and dicts, nested JSON data,
non-JSON values, models), and the generic method path uses it only for omitted arguments."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from pydantic import BaseModel
from specloom_runtime.defaults import Fresh, fresh
from specloom_runtime.methods import Answer


class Point(BaseModel):
    x: int
    tags: list[str] = []
    meta: dict[str, Any] = {}


def _containers(value: Any) -> list[Any]:
    """Every list and dict inside ``value`` (itself included)."""
    if isinstance(value, list):
        return [value, *(c for item in value for c in _containers(item))]
    if isinstance(value, dict):
        return [value, *(c for item in value.values() for c in _containers(item))]
    return []


@pytest.mark.parametrize(
    "value",
    [
        [],
        {},
        ["a", "b", 1, 2.5, True, None],
        {"a": 1, "b": "x", "c": None},
        {"depth": 2, "flags": ["x"], "deep": {"xs": [[1], [2, {"k": []}]]}},
        [{"a": [1]}, [2, [3]]],
        {"when": (1, 2), "set": [frozenset({1})]},  # not JSON data: copied deeply all the same
    ],
)
def test_each_call_gets_an_equal_value_sharing_no_container(value: Any) -> None:
    marker = fresh(value)
    assert isinstance(marker, Fresh) and repr(marker) == repr(value)
    first, second = marker.new(), marker.new()
    assert first == value and second == value
    ids = {id(c) for c in _containers(value)}
    firsts = {id(c) for c in _containers(first)}
    assert not ids & firsts and not firsts & {id(c) for c in _containers(second)}
    for c in _containers(first):  # mutating what one call got changes nothing later
        if isinstance(c, list):
            c.append("mutated")
        else:
            c["mutated"] = True
    assert marker.new() == value


def test_a_model_default_is_a_new_validated_instance_per_call() -> None:
    marker: Point = fresh({"x": 1, "tags": ["p"], "meta": {"k": [1]}}, Point)
    assert repr(marker) == "Point.model_validate({'x': 1, 'tags': ['p'], 'meta': {'k': [1]}})"
    first = marker.new()  # type: ignore[attr-defined]
    first.tags.append("mutated")
    first.meta["k"].append(2)
    second = marker.new()  # type: ignore[attr-defined]
    assert isinstance(second, Point) and second.model_dump() == {
        "x": 1,
        "tags": ["p"],
        "meta": {"k": [1]},
    }
    with pytest.raises(ValueError):
        fresh({"x": "not a number"}, Point)  # a bad default fails at once, not per call


def test_the_method_path_copies_only_omitted_mutable_defaults() -> None:
    got: list[dict[str, Any]] = []

    class Iface:
        async def m(
            self,
            a: str,
            n: int = 1,
            tags: list[str] = fresh(["t"]),  # noqa: B008 - the marker under test
            opts: dict[str, Any] = fresh({}),  # noqa: B008
        ) -> None: ...

    class Impl:
        async def _answer(self, method: str, args: dict[str, Any]) -> None:
            got.append(args)

        m = Answer(Iface.m)

    mine = ["mine"]

    async def calls() -> None:
        await Impl().m("x")
        await Impl().m("y", tags=mine)
        await Impl().m("z", 2, mine, {})

    asyncio.run(calls())
    assert got[0] == {"a": "x", "n": 1, "tags": ["t"], "opts": {}}
    assert got[1]["tags"] is mine and got[2]["tags"] is mine  # a caller's own value: as it is
    got[0]["tags"].append("mutated")
    asyncio.run(Impl().m("w"))
    assert got[3]["tags"] == ["t"]
