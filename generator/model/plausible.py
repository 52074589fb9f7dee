"""Plausible mock answers: what the synthesiser is offered first.

The synthesiser (``synthesize``) builds a schema-valid value and tries a schema's ``default``
first. Before it runs, :func:`offer` gives every object property of a return schema (and of the
shared types it uses) a first candidate: the schema's own ``examples[0]``, else a value the
contract's examples use for a property of that name (``title: Groceries``), so a mock answers
``{"title": "Groceries"}`` rather than ``{"title": "title"}``. A candidate that does not fit the
schema is skipped by the synthesiser (it checks every candidate), so answers stay valid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["offer", "samples_of"]

_FIXED = frozenset({"default", "const", "enum"})


def samples_of(values: Iterable[Any]) -> dict[str, list[Any]]:
    """Property name -> the plain values example data gives it (first seen first)."""
    out: dict[str, list[Any]] = {}

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if any(isinstance(k, str) and k.startswith("$") for k in value):
                for key in ("$like", "$partial", "$eachLike"):
                    if key in value:
                        walk(value[key])
                return
            for k, v in value.items():
                if isinstance(v, str | int | float) and not isinstance(v, bool) and v != "":
                    bucket = out.setdefault(str(k), [])
                    if v not in bucket:
                        bucket.append(v)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    for value in values:
        walk(value)
    return out


def offer(schema: Any, samples: Mapping[str, list[Any]], name: str = "") -> Any:
    """A copy of ``schema`` where a property without a fixed value has a first candidate."""
    if not isinstance(schema, Mapping):
        return schema
    out = dict(schema)
    if not _FIXED & out.keys() and "$ref" not in out:
        examples = out.get("examples")
        if isinstance(examples, list) and examples:
            out["default"] = examples[0]
        elif name in samples and _scalar_schema(out):
            out["default"] = samples[name][0]
        elif name and isinstance(out.get("type"), list) and "null" in out["type"]:
            out["default"] = None  # a nullable property no example shows: unset
        elif name and _plain_string(out):
            out["default"] = _word(name)
    props = out.get("properties")
    if isinstance(props, Mapping):
        out["properties"] = {k: offer(v, samples, str(k)) for k, v in props.items()}
    for key in ("items", "additionalProperties"):
        if isinstance(out.get(key), Mapping):
            out[key] = offer(out[key], samples)
    for key in ("anyOf", "oneOf", "allOf"):
        if isinstance(out.get(key), list):
            out[key] = [offer(v, samples, name) for v in out[key]]
    return out


# A first guess for a free-text property no example shows (never its own name).
_WORDS = {
    "name": "Ada Lovelace", "title": "First draft", "label": "First draft",
    "description": "A short description.", "summary": "A short summary.",
    "body": "Some text.", "text": "Some text.", "message": "Hello.", "content": "Some text.",
    "comment": "Looks good.", "note": "Remember the milk.", "status": "active",
    "kind": "default", "type": "default", "version": "1.0.0", "path": "/items/1",
}  # fmt: skip


def _word(name: str) -> str:
    if name in _WORDS:
        return _WORDS[name]
    if name == "id" or name.endswith("_id"):
        return f"{name.removesuffix('_id') or 'id'}-1".replace("_", "-")
    return f"{name.replace('_', ' ')} 1"


def _plain_string(schema: Mapping[str, Any]) -> bool:
    kinds = schema.get("type")
    return (kinds == "string" or kinds == ["string"]) and not {"pattern", "format"} & set(schema)


def _scalar_schema(schema: Mapping[str, Any]) -> bool:
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return bool({"string", "integer", "number"} & set(kinds))


def offering(
    resolve: Callable[[str], Mapping[str, Any]], samples: Mapping[str, list[Any]]
) -> Callable[[str], Mapping[str, Any]]:
    """``resolve`` with :func:`offer` applied to every shared type it returns."""
    cache: dict[str, Mapping[str, Any]] = {}

    def wrapped(name: str) -> Mapping[str, Any]:
        if name not in cache:
            cache[name] = offer(resolve(name), samples)
        return cache[name]

    return wrapped
