"""``specloom export jsonschema``: the shared types as one JSON Schema (2020-12) document.

Every type is a ``$defs`` entry; ``#/types/Name`` becomes ``#/$defs/Name``. The document
validates any one of the types (``anyOf``) and each type alone by ``#/$defs/Name``.
"""

from __future__ import annotations

from typing import Any

from ..model.spec import SpecSet
from .refs import rewrite_refs, types_to

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def export_jsonschema(spec: SpecSet) -> dict[str, Any]:
    name = spec.system.name if spec.system is not None else "specloom"
    defs = {t.name: rewrite_refs(dict(t.schema), types_to("#/$defs/")) for t in spec.types}
    doc: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"urn:specloom:{name}:types",
        "title": f"Shared types of {name}",
        "$defs": dict(sorted(defs.items())),
    }
    if defs:
        doc["anyOf"] = [{"$ref": f"#/$defs/{n}"} for n in sorted(defs)]
    return doc
