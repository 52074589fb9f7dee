"""Keywords a spec may write but the generated models cannot enforce: a located error each.

The schemas accept ``not`` and ``if``/``then``/``else`` (so JSON Schema as people write it
loads), and ``allOf`` is merged when it is of objects (generator/model/shared_types.py); what is
left would be checked by ``validate`` and ignored at run time, so it is refused here instead of
being silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import Diagnostic
from ..model.spec import SpecSet
from .semantic import _data_schemas

_UNHONOURED = {
    "not": "'not' cannot be enforced by the generated models",
    "if": "'if'/'then'/'else' cannot be enforced by the generated models",
    "allOf": "'allOf' is supported for object schemas only (merged into one object)",
}
_HINTS = {
    "not": "express the allowed values positively (enum, pattern, bounds)",
    "if": "use oneOf/anyOf of object schemas told apart by a const property",
    "allOf": "make every branch an object schema (or a $ref to one)",
}
_DATA = frozenset({"default", "examples", "enum", "const"})


def _walk(node: Any, path: tuple[Any, ...]) -> Iterator[tuple[str, tuple[Any, ...]]]:
    if isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, (*path, i))
    elif isinstance(node, Mapping):
        for key, value in node.items():
            if key in _DATA:
                continue
            if key in ("then", "else") and "if" in node:
                continue
            if key in _UNHONOURED or key in ("then", "else"):
                yield ("if" if key in ("then", "else") else key), (*path, key)
            if key == "properties" and isinstance(value, Mapping):
                for name, sub in value.items():
                    yield from _walk(sub, (*path, key, name))
            else:
                yield from _walk(value, (*path, key))


def check_honoured(spec: SpecSet) -> list[Diagnostic]:
    diags = []
    for schema, origin, base in _data_schemas(spec):
        for key, path in _walk(schema, ()):
            diags.append(
                Diagnostic(
                    *origin.at(*base, *path, key=True),
                    "E_SCHEMA_UNSUPPORTED",
                    _UNHONOURED[key],
                    _HINTS[key],
                )
            )
    return diags
