"""The spec format reference, rendered as Markdown from the shipped JSON Schemas.

``python -m generator.reference > docs/spec-reference.md`` regenerates the page; a test keeps it
current, so every key users can write is documented exactly where the validator reads it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from .validate.schema import schema_for

KINDS = (
    ("system", "system.yaml"),
    ("module", "modules/*.yaml"),
    ("contract", "contracts/*.yaml"),
    ("types", "types/*.yaml"),
    ("jsonschema-subset", "data schemas (params, returns, types, config)"),
)


def _type_of(node: dict[str, Any]) -> str:
    if "$ref" in node:
        ref = node["$ref"]
        return "data schema" if ref.endswith("/schema") else ref.rsplit("/", 1)[-1]
    if "const" in node:
        return f"`{json.dumps(node['const'])}`"
    if "enum" in node:
        return " \\| ".join(f"`{json.dumps(v)}`" for v in node["enum"])
    if "anyOf" in node:
        return " or ".join(_type_of(n) for n in node["anyOf"])
    t = node.get("type", "any")
    if t == "array" and isinstance(node.get("items"), dict):
        return f"list of {_type_of(node['items'])}"
    if t == "object" and isinstance(node.get("additionalProperties"), dict):
        return f"map of {_type_of(node['additionalProperties'])}"
    return str(t) if not isinstance(t, list) else " or ".join(t)


def _constraints(node: dict[str, Any]) -> str:
    parts = []
    for key in ("pattern", "minimum", "maximum", "minLength", "minItems", "minProperties"):
        if key in node:
            parts.append(f"{key} `{node[key]}`")
    names = node.get("propertyNames", {}).get("pattern")
    if names:
        parts.append(f"keys match `{names}`")
    items = node.get("items")
    if isinstance(items, dict) and "pattern" in items:
        parts.append(f"items match `{items['pattern']}`")
    return ", ".join(parts)


def _rows(
    node: dict[str, Any], prefix: str, required: set[str]
) -> Iterator[tuple[str, str, str, str]]:
    for key, sub in node.get("properties", {}).items():
        path = f"{prefix}{key}"
        desc = sub.get("description", "")
        extra = _constraints(sub)
        yield (
            f"`{path}`" + (" *(required)*" if key in required else ""),
            _type_of(sub).replace("|", "\\|") if "enum" not in sub else _type_of(sub),
            desc.replace("|", "\\|").replace("\n", " "),
            extra.replace("|", "\\|"),
        )
        if sub.get("type") == "object" and "properties" in sub:
            yield from _rows(sub, f"{path}.", set(sub.get("required", [])))
        add = sub.get("additionalProperties")
        if isinstance(add, dict) and add.get("type") == "object" and "properties" in add:
            yield from _rows(add, f"{path}.<name>.", set(add.get("required", [])))
        items = sub.get("items")
        if isinstance(items, dict) and items.get("type") == "object" and "properties" in items:
            yield from _rows(items, f"{path}[].", set(items.get("required", [])))
            steps = items.get("properties", {}).get("steps", {}).get("items")
            if isinstance(steps, dict) and "properties" in steps:
                yield from _rows(steps, f"{path}[].steps[].", set(steps.get("required", [])))


def render_reference() -> str:
    out = [
        "# Spec format reference (format version 1)",
        "",
        "Generated from the JSON Schemas shipped in `generator/schemas/` "
        "(`python -m generator.reference > docs/spec-reference.md`); `specloom schema KIND` "
        "prints each schema for editors. A spec folder holds one `system.yaml` and any number of "
        "module, contract and types files; a file's kind is told by its first key.",
        "",
    ]
    for kind, where in KINDS:
        schema = schema_for(kind)
        node = schema if kind != "jsonschema-subset" else schema["$defs"]["schema"]
        out += [f"## {schema.get('title', kind)}", "", f"Where: {where}.", ""]
        out += [schema.get("description", ""), ""]
        out += ["| key | type | meaning | constraints |", "|---|---|---|---|"]
        for row in _rows(node, "", set(node.get("required", []))):
            out.append("| " + " | ".join(row) + " |")
        out.append("")
    from .validate.matchers import REFERENCE

    out += REFERENCE.splitlines()
    out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    print(render_reference(), end="")
