"""``json.dumps(value, indent=2)``, the same text, faster.

With ``indent`` set, the standard library encodes in pure Python (its C encoder only writes
compact JSON); the OpenAPI document of 1,000 modules took ~0.9 s that way. Here containers are
walked in Python and every scalar is encoded by the C encoder, which is what the slow path does
too, so the text is identical (tests/generate/test_gen_json_text.py).
"""

from __future__ import annotations

import json
from typing import Any

_scalar = json.JSONEncoder(allow_nan=True).encode  # the encoder json.dumps uses by default


def dumps_indented(value: Any) -> str:
    """``json.dumps(value, indent=2)``: same text."""
    out: list[str] = []
    try:
        _write(value, "\n", out)
    except _NotStringKey:  # int, float, bool or None keys: json's own rules for them
        return json.dumps(value, indent=2)
    return "".join(out)


def _write(value: Any, newline: str, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        first = True
        for key, item in value.items():
            if not isinstance(key, str):
                raise _NotStringKey
            out.append(("{" if first else ",") + inner + _scalar(key) + ": ")
            first = False
            _write(item, inner, out)
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        for i, item in enumerate(value):
            out.append(("[" if i == 0 else ",") + inner)
            _write(item, inner, out)
        out.append(newline + "]")
    else:
        out.append(_scalar(value))


class _NotStringKey(Exception):
    pass
