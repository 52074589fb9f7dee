"""JSON Schema as people write it -> the one form the rest of the pipeline reads.

Applied once, when the spec set is built (:func:`generator.model.spec.build_specset`):

- every ``$ref`` form becomes ``#/types/Name``: ``task.yaml#/types/Name`` (the file is only a
  reminder: type names are global), ``#/$defs/Name`` and ``#/definitions/Name`` (an entry of the
  types file's, or the type's own, ``$defs``/``definitions``), ``other.yaml#/$defs/Name``;
- every ``$defs`` / ``definitions`` entry of a types file (at the top or inside a type) becomes a
  shared type of that name (PascalCase), so it is a model like any other;
- ``allOf`` of object schemas is merged into one object (properties and ``required`` united,
  closed if any branch is closed), followed through ``#/types`` references;
- ``$comment``, ``$schema`` and ``$id`` are dropped (annotations).

``not`` and ``if``/``then``/``else`` stay: validate reports them where they are, as the generated
models cannot enforce them (never silently dropped); so does an ``allOf`` that is not of objects.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["DEF_KEYS", "def_type_name", "merge_all_of", "normalize_schema"]

DEF_KEYS = ("$defs", "definitions")
_DROP = frozenset({"$comment", "$schema", "$id"})
_DATA = frozenset({"default", "examples", "enum", "const"})
_DEF_REF = re.compile(r"^(?:[^#]*)#/(?:\$defs|definitions)/(.+)$")
_FILE_TYPE_REF = re.compile(r"^[^#]+#/types/([A-Z][A-Za-z0-9]*)$")


def def_type_name(key: str) -> str:
    """The shared-type name of a ``$defs`` entry: itself when PascalCase, else PascalCased."""
    if re.fullmatch(r"[A-Z][A-Za-z0-9]*", key):
        return key
    parts = re.findall(r"[A-Za-z0-9]+", key)
    name = "".join(p[:1].upper() + p[1:] for p in parts) or "Def"
    return "D" + name if name[0].isdigit() else name


def _ref(ref: str) -> str:
    match = _FILE_TYPE_REF.match(ref)
    if match:
        return f"#/types/{match.group(1)}"
    match = _DEF_REF.match(ref)
    if match:
        return f"#/types/{def_type_name(match.group(1))}"
    return ref


def normalize_schema(node: Any) -> Any:
    """``node`` with refs rewritten, ``$defs`` removed (hoisted by the caller), annotations
    dropped. ``allOf`` is merged later, when every type is known (:func:`merge_all_of`)."""
    if isinstance(node, list):
        return [normalize_schema(v) for v in node]
    if not isinstance(node, Mapping):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP or key in DEF_KEYS:
            continue
        if key == "$ref" and isinstance(value, str):
            out[key] = _ref(value)
        elif key in _DATA:
            out[key] = value
        elif key == "properties" and isinstance(value, Mapping):
            out[key] = {name: normalize_schema(sub) for name, sub in value.items()}
        else:
            out[key] = normalize_schema(value)
    return out


def merge_all_of(node: Any, resolve: Callable[[str], Any], depth: int = 0) -> Any:
    """``allOf`` of objects merged into one object, everywhere in ``node``. ``resolve(name)``
    gives a shared type's (normalized) schema. Other ``allOf`` stay, for validate to report."""
    if isinstance(node, list):
        return [merge_all_of(v, resolve, depth) for v in node]
    if not isinstance(node, Mapping) or depth > 32:
        return node
    out = {
        k: (v if k in _DATA else
            {n: merge_all_of(s, resolve, depth) for n, s in v.items()} if k == "properties"
            and isinstance(v, Mapping) else merge_all_of(v, resolve, depth))
        for k, v in node.items()
    }  # fmt: skip
    branches = out.get("allOf")
    if not isinstance(branches, list) or not branches:
        return out
    flat = [_flatten(b, resolve, depth) for b in branches]
    if any(f is None for f in flat):
        return out  # not all objects: reported by validate
    rest = {k: v for k, v in out.items() if k != "allOf"}
    if rest.get("type", "object") != "object":
        return out
    merged: dict[str, Any] = {"type": "object"}
    props: dict[str, Any] = {}
    required: list[str] = []
    closed = False
    for part in [rest, *[f for f in flat if f is not None]]:
        for key, value in part.items():
            if key == "properties" and isinstance(value, Mapping):
                for name, sub in value.items():
                    props.setdefault(name, sub)
            elif key == "required" and isinstance(value, list):
                required += [r for r in value if r not in required]
            elif key == "additionalProperties":
                closed = closed or value is False
            elif key != "type":
                merged.setdefault(key, value)
    if props:
        merged["properties"] = props
    if required:
        merged["required"] = required
    if closed:
        merged["additionalProperties"] = False
    return merged


def _flatten(branch: Any, resolve: Callable[[str], Any], depth: int) -> Mapping[str, Any] | None:
    """An object branch with its ``$ref`` followed, or None when it is not an object schema."""
    for _ in range(16):
        if not isinstance(branch, Mapping):
            return None
        ref = branch.get("$ref")
        if not isinstance(ref, str):
            break
        if not ref.startswith("#/types/"):
            return None
        branch = resolve(ref.removeprefix("#/types/"))
    if not isinstance(branch, Mapping):
        return None
    branch = merge_all_of(branch, resolve, depth + 1)
    if "allOf" in branch or branch.get("type", "object") != "object":
        return None
    if not (branch.keys() & {"properties", "required", "additionalProperties", "type"}):
        return None
    return branch
