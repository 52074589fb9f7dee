"""The canonical key order of a spec file, read from the JSON Schema of its kind.

Keys a schema names in ``properties`` come in that order; the keys of a map the user names
(methods, params, types, properties, ...) keep the user's order, which means something (it is
the order of methods in the generated classes). Unknown keys go last, in their order.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..validate.schema import SCHEMA_FILES, schema_for

Schema = Mapping[str, Any]

# A data schema (JSON Schema) reads best as: what it is, its constraints, then its docs.
DATA_ORDER = [
    "$ref", "type", "format", "enum", "const", "pattern", "minLength", "maxLength",
    "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf",
    "items", "prefixItems", "minItems", "maxItems", "uniqueItems",
    "properties", "required", "additionalProperties",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
    "default", "examples", "title", "description", "deprecated",
]  # fmt: skip


def _is_data_schema(schema: Schema) -> bool:
    props = schema.get("properties")
    return isinstance(props, Mapping) and "type" in props and "minLength" in props


def _by_id() -> dict[str, Schema]:
    return {schema_for(k)["$id"]: schema_for(k) for k in SCHEMA_FILES}


class SchemaWalker:
    """Follows a data node through a kind's schema: ``$ref``s resolved, branches merged."""

    def __init__(self) -> None:
        self.docs = _by_id()

    def _resolve(self, ref: str, base: str) -> tuple[Schema, str]:
        target, _, pointer = ref.partition("#")
        doc_id = base
        if target:
            doc_id = base.rsplit("/", 1)[0] + "/" + target if "://" not in target else target
        node: Any = self.docs.get(doc_id, {})
        for part in [p for p in pointer.split("/") if p]:
            part = part.replace("~1", "/").replace("~0", "~")
            node = node.get(part, {}) if isinstance(node, Mapping) else {}
        return (node if isinstance(node, Mapping) else {}), doc_id

    def expand(self, schema: Schema, base: str, depth: int = 0) -> Iterator[tuple[Schema, str]]:
        """The schema and every schema it stands for (``$ref``, ``allOf``/``anyOf``/``oneOf``)."""
        if depth > 20 or not isinstance(schema, Mapping):
            return
        yield schema, base
        ref = schema.get("$ref")
        if isinstance(ref, str) and (ref.startswith("#/$defs") or ".json" in ref):
            target, doc = self._resolve(ref, base)
            yield from self.expand(target, doc, depth + 1)
        for key in ("allOf", "anyOf", "oneOf", "then", "else"):
            branches = schema.get(key)
            for sub in branches if isinstance(branches, list) else [branches] if branches else []:
                yield from self.expand(sub, base, depth + 1)

    def keys(self, schema: Schema, base: str) -> list[str]:
        """The keys an object of ``schema`` names, in the schema's order."""
        out: list[str] = []
        for sub, _ in self.expand(schema, base):
            if _is_data_schema(sub):
                out += [k for k in DATA_ORDER if k not in out]
            for key in sub.get("properties", {}) if isinstance(sub.get("properties"), dict) else {}:
                if key not in out:
                    out.append(key)
        return out

    def child(self, schema: Schema, base: str, key: str | int) -> list[tuple[Schema, str]]:
        """The schemas of a member (a key of an object, an index of an array)."""
        out = []
        for sub, doc in self.expand(schema, base):
            if isinstance(key, int):
                items = sub.get("items")
                if isinstance(items, Mapping):
                    out.append((items, doc))
                continue
            props = sub.get("properties")
            if isinstance(props, Mapping) and key in props:
                out.append((props[key], doc))
                continue
            extra = sub.get("additionalProperties")
            if isinstance(extra, Mapping):
                out.append((extra, doc))
            for pattern_schema in (sub.get("patternProperties") or {}).values():
                out.append((pattern_schema, doc))
        return out


def ranked(keys: list[Any], order: list[str]) -> list[Any]:
    """``keys`` in canonical order: named ones by ``order``, the others after, as they were."""
    position = {k: i for i, k in enumerate(order)}
    return sorted(keys, key=lambda k: (position.get(k, len(order)), keys.index(k)))


__all__ = ["SchemaWalker", "ranked"]
