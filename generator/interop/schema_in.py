"""JSON Schema as other documents write it (2020-12, draft-07, OpenAPI 3.0/3.1) -> the data
schema subset specloom's spec files accept.

What maps exactly is kept (types, type arrays, ``nullable``, ``const``, ``enum``, ``anyOf``,
``oneOf``, bounds, ``pattern``, the checked formats, ``additionalProperties``...). What the
subset cannot express is never dropped silently: each is a :class:`Note` with its location, and
the importers print them. ``allOf`` of objects is merged into one object (properties and
``required`` united), which is what it means for the object schemas people write with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..model.format_rules import CHECKS

__all__ = ["Note", "SchemaConverter", "type_name"]

_KEEP = frozenset(
    {"title", "description", "default", "enum", "const", "minLength", "maxLength", "pattern",
     "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems",
     "maxItems", "uniqueItems", "required", "deprecated"}
)  # fmt: skip
_QUIET = frozenset(
    {"$schema", "$id", "$comment", "$anchor", "xml", "externalDocs", "readOnly", "writeOnly",
     "discriminator", "contentMediaType", "contentEncoding", "x-examples"}
)  # fmt: skip
_INT_FORMATS = {"int32": 2**31, "int64": 2**63}
_NUMBER_FORMATS = frozenset({"float", "double", "decimal"})


@dataclass(frozen=True)
class Note:
    """Something the import could not carry over exactly: where and what."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def type_name(text: str) -> str:
    """A PascalCase type name (``pet_store.Pet-v2`` -> ``PetStorePetV2``)."""
    parts = re.findall(r"[A-Za-z0-9]+", text)
    name = "".join(p[:1].upper() + p[1:] for p in parts) or "Type"
    return "T" + name if name[0].isdigit() else name


class SchemaConverter:
    """Converts schemas; ``ref`` maps a ``$ref`` to ``#/types/Name`` (or raises KeyError),
    ``resolve`` gives the raw schema a ``$ref`` points to (for ``allOf`` merging)."""

    def __init__(
        self,
        ref: Callable[[str, str], str],
        resolve: Callable[[str, str], Mapping[str, Any] | None],
    ) -> None:
        self.ref = ref
        self.resolve = resolve
        self.notes: list[Note] = []

    def note(self, where: str, message: str) -> None:
        self.notes.append(Note(where, message))

    def convert(self, node: Any, where: str, base: str = "") -> Any:
        """``node`` as a subset schema; ``base`` is the document a relative ``$ref`` is in."""
        if node is True:
            return {}
        if node is False:
            self.note(where, "the schema 'false' (nothing allowed) cannot be expressed here")
            return {}
        if not isinstance(node, Mapping):
            self.note(where, f"not a schema: {node!r}; any value is allowed instead")
            return {}
        if "$ref" in node:
            try:
                out: dict[str, Any] = {"$ref": self.ref(str(node["$ref"]), base)}
            except KeyError as exc:
                self.note(where, f"$ref {node['$ref']!r} does not resolve ({exc.args[0]})")
                return {}
            siblings = {k: v for k, v in node.items() if k != "$ref" and k not in _QUIET}
            for key in siblings:
                if key not in ("description", "title"):
                    self.note(where, f"{key!r} next to $ref is not kept")
            return out
        if "allOf" in node:
            return self.all_of(node, where, base)
        out = {}
        nullable = node.get("nullable") is True
        for key, value in node.items():
            at = f"{where}/{key}"
            if key in _KEEP:
                out[key] = value
            elif key == "type":
                out[key] = value
            elif key in ("anyOf", "oneOf") and isinstance(value, list):
                out[key] = [self.convert(v, f"{at}/{i}", base) for i, v in enumerate(value)]
            elif key == "items":
                if isinstance(value, list):  # draft-07 tuple form
                    self.note(at, "tuple items are not supported; items left open")
                else:
                    out[key] = self.convert(value, at, base)
            elif key == "properties" and isinstance(value, Mapping):
                out[key] = {str(n): self.convert(s, f"{at}/{n}", base) for n, s in value.items()}
            elif key == "additionalProperties":
                out[key] = value if isinstance(value, bool) else self.convert(value, at, base)
            elif key == "format":
                self.format(str(value), node, out, at)
            elif key == "example":
                out["examples"] = [value]
            elif key == "examples" and isinstance(value, list):
                out[key] = value
            elif key in ("nullable", "$defs", "definitions") or key in _QUIET:
                continue  # nullable: below; $defs: hoisted into types by the importer
            elif key.startswith("x-"):
                continue
            else:
                self.note(at, f"keyword {key!r} cannot be expressed in specloom; dropped")
        self.exclusive_bounds(out)
        if nullable:
            out = _nullable(out)
        if "type" in out and isinstance(out["type"], list) and len(out["type"]) == 1:
            out["type"] = out["type"][0]
        return out

    def format(self, fmt: str, node: Mapping[str, Any], out: dict[str, Any], at: str) -> None:
        if fmt in CHECKS:
            out["format"] = fmt
        elif fmt in _INT_FORMATS:
            limit = _INT_FORMATS[fmt]
            out.setdefault("minimum", -limit)
            out.setdefault("maximum", limit - 1)
        elif fmt in _NUMBER_FORMATS:
            pass  # every JSON number: the format only names a machine representation
        else:
            self.note(at, f"format {fmt!r} is not checked by specloom; dropped")

    @staticmethod
    def exclusive_bounds(out: dict[str, Any]) -> None:
        """OpenAPI 3.0 / draft-04 boolean exclusive bounds -> the numeric form."""
        for flag, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
            if isinstance(out.get(flag), bool):
                if out.pop(flag) and bound in out:
                    out[flag] = out.pop(bound)

    def all_of(self, node: Mapping[str, Any], where: str, base: str) -> dict[str, Any]:
        branches = node["allOf"]
        rest = {k: v for k, v in node.items() if k != "allOf"}
        if not isinstance(branches, list) or not branches:
            self.note(where, "allOf must be a non-empty list; ignored")
            return self.convert(rest, where, base)
        if len(branches) == 1 and not (rest.keys() - {"description", "title"} - _QUIET):
            merged = self.convert(branches[0], f"{where}/allOf/0", base)
            return {**merged, **{k: rest[k] for k in ("description", "title") if k in rest}}
        parts = [rest] + [self.flatten(b, base, f"{where}/allOf/{i}") for i, b in
                          enumerate(branches)]  # fmt: skip
        props: dict[str, Any] = {}
        required: list[str] = []
        out: dict[str, Any] = {"type": "object"}
        closed = False
        for part in parts:
            for key, value in part.items():
                if key == "properties" and isinstance(value, Mapping):
                    for name, sub in value.items():
                        props.setdefault(str(name), sub)
                elif key == "required" and isinstance(value, list):
                    required += [r for r in value if r not in required]
                elif key == "additionalProperties":
                    closed = closed or value is False
                elif key == "type" and value != "object":
                    self.note(where, "allOf of non-object schemas cannot be merged; dropped")
                    return {}
                elif key in ("description", "title"):
                    out.setdefault(key, value)
                elif key not in ("type", "allOf") and key not in _QUIET:
                    out.setdefault(key, value)
        raw = {**out, "properties": props, "required": required}
        if closed:
            raw["additionalProperties"] = False
        if not required:
            del raw["required"]
        return self.convert(raw, where, base)

    def flatten(self, branch: Any, base: str, where: str, depth: int = 0) -> Mapping[str, Any]:
        """A branch of allOf with its ``$ref`` followed (and nested allOf merged)."""
        if not isinstance(branch, Mapping) or depth > 16:
            return {}
        if "$ref" in branch:
            target = self.resolve(str(branch["$ref"]), base)
            if target is None:
                self.note(where, f"$ref {branch['$ref']!r} does not resolve")
                return {}
            return self.flatten(target, base, where, depth + 1)
        if "allOf" in branch:
            merged: dict[str, Any] = {"properties": {}, "required": []}
            for i, sub in enumerate(branch["allOf"]):
                flat = self.flatten(sub, base, f"{where}/allOf/{i}", depth + 1)
                merged["properties"].update(flat.get("properties") or {})
                merged["required"] += list(flat.get("required") or [])
            return merged
        return branch


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` that also accepts null (OpenAPI 3.0 ``nullable: true``)."""
    kind = schema.get("type")
    if "enum" in schema and None not in schema["enum"]:
        schema = {**schema, "enum": [*schema["enum"], None]}
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    if isinstance(kind, list):
        return {**schema, "type": [*kind, *(["null"] if "null" not in kind else [])]}
    return {"anyOf": [schema, {"type": "null"}]}
