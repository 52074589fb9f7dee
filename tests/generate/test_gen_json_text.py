"""``dumps_indented`` writes exactly what ``json.dumps(value, indent=2)`` writes (the OpenAPI
document goes through it): nested and empty containers, escapes, non-ASCII, numbers, and keys
that are not strings."""

from __future__ import annotations

import json
import math
import random

from kit import FLAGSHIP_SPECS

from generator.interop.openapi_out import build_openapi
from generator.render.json_text import dumps_indented
from generator.validate import validate_specs

CASES: list[object] = [
    {}, [], "", 0, -1, 2**70, 1.5, 1e300, -0.0, math.inf, math.nan, True, False, None,
    {"a": {}, "b": [], "c": [{}], "d": [[]], "e": {"f": {"g": [1, {"h": None}]}}},
    ["quote\"", "back\\slash", "new\nline", "tab\t", "\x00\x1f", "é ✓ 😀", "\u2028", "</script>"],
    {"é": "ü", "": "", " ": [True, False, None]}, ({"t": (1, 2)},), {1: "a", 2.5: "b"},
    {True: 1, None: 2}, [{"x": [1]}, {"y": {}}],
]  # fmt: skip


def test_same_text_as_json_dumps() -> None:
    for case in CASES:
        assert dumps_indented(case) == json.dumps(case, indent=2), case


def test_same_text_on_random_documents() -> None:
    rng = random.Random(16)

    def value(depth: int) -> object:
        kind = rng.randrange(8 if depth < 4 else 4)
        if kind == 0:
            return rng.choice(["", "a", "é", '"', "\n", "x" * rng.randrange(30)])
        if kind == 1:
            return rng.choice([0, -7, 10**20, 0.1, -2.5e-8, True, False, None])
        if kind in (2, 3):
            return rng.random()
        if kind < 6:
            return [value(depth + 1) for _ in range(rng.randrange(4))]
        return {rng.choice("abcdefg") * rng.randrange(1, 3): value(depth + 1) for _ in range(3)}

    for _ in range(300):
        doc = value(0)
        assert dumps_indented(doc) == json.dumps(doc, indent=2)


def test_the_flagship_openapi_document() -> None:
    result = validate_specs(FLAGSHIP_SPECS)
    assert result.spec is not None
    doc = build_openapi(result.spec)
    assert dumps_indented(doc) == json.dumps(doc, indent=2)
