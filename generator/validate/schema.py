"""JSON Schema validation of each spec file against the schema of its kind (Draft 2020-12)."""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from ..errors import Diagnostic
from ..load import SpecDocument

SCHEMA_FILES = ("system", "module", "contract", "types", "jsonschema-subset")


@cache
def schema_for(kind: str) -> dict[str, Any]:
    """The JSON Schema of one spec kind, as shipped in ``generator/schemas``."""
    text = resources.files("generator").joinpath("schemas", f"{kind}.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _registry() -> Registry:
    resources_ = [
        (schema_for(k)["$id"], Resource.from_contents(schema_for(k))) for k in SCHEMA_FILES
    ]
    return Registry().with_resources(resources_)


@cache
def validator_for(kind: str) -> Draft202012Validator:
    return Draft202012Validator(schema_for(kind), registry=_registry())


def _dotted(path: Any) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in path]
    return "".join(parts).lstrip(".") or "(top level)"


def _diagnostic(doc: SpecDocument, err: ValidationError) -> Diagnostic:
    if err.context:
        err = best_match(err.context)
    path = tuple(err.absolute_path)
    where = _dotted(path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    hint = ""
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        allowed = list(schema.get("properties", {}))
        extra = [k for k in err.instance if k not in allowed]
        key = extra[0] if extra else ""
        line, col = doc.at((*path, key), key=True)
        close = difflib.get_close_matches(key, allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "allowed keys: " + ", ".join(allowed)
        return Diagnostic(doc.shown, line, col, "E_SCHEMA", f"unknown key {key!r} at {where}", hint)
    if err.validator == "required":
        line, col = doc.at(path)
        return Diagnostic(doc.shown, line, col, "E_SCHEMA", f"{err.message} at {where}")
    if err.validator == "propertyNames":
        bad = err.instance if isinstance(err.instance, str) else ""
        line, col = doc.at((*path, bad), key=True)
        return Diagnostic(
            doc.shown, line, col, "E_IDENTIFIER", f"invalid name {bad!r} at {where}: {err.message}"
        )
    if err.validator == "not" and err.validator_value == {"required": ["returns", "raises"]}:
        line, col = doc.at(path)
        return Diagnostic(
            doc.shown, line, col, "E_SCHEMA", f"a step has both 'returns' and 'raises' at {where}"
        )
    line, col = doc.at(path)
    description = schema.get("description", "")
    return Diagnostic(
        doc.shown, line, col, "E_SCHEMA", f"{err.message} at {where}", description[:160]
    )


def check_schema(doc: SpecDocument) -> list[Diagnostic]:
    """All schema violations of one document, each located at its node."""
    errors = sorted(
        validator_for(doc.kind).iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))
    )
    return [_diagnostic(doc, e) for e in errors]
