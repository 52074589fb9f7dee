"""JSON Schema validation of each spec file against the schema of its kind (Draft 2020-12).

Most files are valid, and ``jsonschema`` spends ~1 ms on each (2 s for 1,000 modules): a file is
first checked by ``jsonschema-rs`` (Rust, ~100x faster), and only a file it finds invalid goes
through ``jsonschema``, whose errors the diagnostics are made of. So a diagnostic never depends
on the fast validator; and the fast one agrees with ``jsonschema`` on what is valid (the shipped
schemas' patterns are ASCII, anchored, ``$`` the end of the text in both engines), which
``tests/validate/test_fast_schema.py`` checks on thousands of mutated spec files. Without
``jsonschema-rs`` (or ``SPECLOOM_SLOW_SCHEMA=1``), every file goes through ``jsonschema``.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import Any, cast

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource

from ..errors import Diagnostic, did_you_mean
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


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """``pattern`` with JSON Schema's (ECMA-262) ``$``: the end of the text, not before a final
    newline as in Python, so that a name like ``"count\\n"`` does not pass as snake_case."""
    if not validator.is_type(instance, "string"):
        return
    strict = (
        pattern[:-1] + r"\Z" if pattern.endswith("$") and not pattern.endswith("\\$") else pattern
    )
    if re.search(strict, instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_SpecValidator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@cache
def validator_for(kind: str) -> Any:
    """The validator of one spec kind (Draft 2020-12, with ECMA-262 ``$`` in patterns)."""
    return _SpecValidator(schema_for(kind), registry=_registry())


# Draft 2020-12 keywords: an unsupported one is not a typo of a supported one (``allOf`` is not a
# misspelt ``anyOf``), so it gets no did-you-mean hint.
JSON_SCHEMA_KEYWORDS = frozenset(
    "$schema $id $ref $anchor $dynamicRef $dynamicAnchor $vocabulary $comment $defs definitions "
    "allOf anyOf oneOf not if then else dependentSchemas prefixItems items contains properties "
    "patternProperties additionalProperties propertyNames unevaluatedItems unevaluatedProperties "
    "type enum const multipleOf maximum exclusiveMaximum minimum exclusiveMinimum maxLength "
    "minLength pattern maxItems minItems uniqueItems maxContains minContains maxProperties "
    "minProperties required dependentRequired title description default deprecated readOnly "
    "writeOnly examples format contentEncoding contentMediaType contentSchema".split()
)


def _unknown_key(
    doc: SpecDocument, path: tuple[Any, ...], key: str, allowed: list[str]
) -> Diagnostic:
    where = _dotted(path)
    line, col = doc.at((*path, key), key=True)
    if key in JSON_SCHEMA_KEYWORDS and "type" in allowed:  # a data schema
        msg = f"unknown key {key!r} at {where}: a JSON Schema keyword specloom does not support"
        hint = "supported keys: " + ", ".join(allowed)
    else:
        msg = f"unknown key {key!r} at {where}"
        hint = did_you_mean(key, allowed, "allowed keys: " + ", ".join(allowed))
    return Diagnostic(doc.shown, line, col, "E_SCHEMA", msg, hint)


_STYLES = {"^[a-z][a-z0-9_]*$": "snake_case", "^[A-Z][A-Za-z0-9]*$": "PascalCase"}


def _dotted(path: Any) -> str:
    parts = [f"[{p}]" if isinstance(p, int) else f".{p}" for p in path]
    return "".join(parts).lstrip(".") or "(top level)"


def _diagnostics(doc: SpecDocument, err: ValidationError) -> list[Diagnostic]:
    """The findings of one schema error: one per unknown key, else one."""
    if err.context:
        err = best_match(err.context)
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        schema = err.schema if isinstance(err.schema, dict) else {}
        allowed = list(schema.get("properties", {}))
        path = tuple(err.absolute_path)
        extra = [k for k in err.instance if k not in allowed] or [""]
        return [_unknown_key(doc, path, str(k), allowed) for k in extra]
    return [_diagnostic(doc, err)]


def _diagnostic(doc: SpecDocument, err: ValidationError) -> Diagnostic:
    if err.context:
        err = best_match(err.context)
    path = tuple(err.absolute_path)
    where = _dotted(path)
    schema = err.schema if isinstance(err.schema, dict) else {}
    if err.validator == "required":
        line, col = doc.at(path)
        return Diagnostic(doc.shown, line, col, "E_SCHEMA", f"{err.message} at {where}")
    if "propertyNames" in err.relative_schema_path:  # a name (method, param, type...) is bad
        bad = err.instance if isinstance(err.instance, str) else ""
        line, col = doc.at((*path, bad), key=True)
        pattern = schema.get("pattern", "")
        style = _STYLES.get(pattern, f"matching {pattern}")
        return Diagnostic(
            doc.shown, line, col, "E_IDENTIFIER", f"invalid name {bad!r} at {where}: not {style}"
        )
    if err.validator == "not" and err.validator_value == {"required": ["returns", "raises"]}:
        line, col = doc.at(path)
        return Diagnostic(
            doc.shown, line, col, "E_SCHEMA", f"a step has both 'returns' and 'raises' at {where}"
        )
    line, col = doc.at(path)
    hint = schema.get("description", "")[:160]
    if err.validator == "enum" and isinstance(err.instance, str):
        choices = [str(v) for v in cast(list[Any], err.validator_value)]
        hint = did_you_mean(err.instance, choices, hint)
    return Diagnostic(doc.shown, line, col, "E_SCHEMA", f"{err.message} at {where}", hint)


def _misspelt_required(errors: list[ValidationError]) -> set[int]:
    """Ids of "'x' is a required property" errors explained by an unknown key close to 'x'.

    A typo (``sumary:``) is then reported once, as the unknown key with its did-you-mean hint.
    """
    unknown: dict[tuple[Any, ...], list[str]] = {}
    for e in errors:
        if e.validator == "additionalProperties" and isinstance(e.instance, dict):
            allowed = e.schema.get("properties", {}) if isinstance(e.schema, dict) else {}
            extra = [k for k in e.instance if k not in allowed]
            unknown.setdefault(tuple(e.absolute_path), []).extend(extra)
    drop = set()
    for e in errors:
        if e.validator == "required" and isinstance(e.instance, dict):
            missing = [k for k in cast(list[str], e.validator_value) if k not in e.instance]
            extra = unknown.get(tuple(e.absolute_path), [])
            if missing and all(difflib.get_close_matches(k, extra, n=1) for k in missing):
                drop.add(id(e))
    return drop


@cache
def fast_validator(kind: str) -> Any | None:
    """``jsonschema-rs``'s validator of one spec kind, or None (not installed, or turned off)."""
    if os.environ.get("SPECLOOM_SLOW_SCHEMA"):
        return None
    try:
        import jsonschema_rs
    except ImportError:
        return None
    registry = jsonschema_rs.Registry([(schema_for(k)["$id"], schema_for(k)) for k in SCHEMA_FILES])
    return jsonschema_rs.Draft202012Validator(
        schema_for(kind), registry=registry, validate_formats=False
    )


def _fast_valid(doc: SpecDocument) -> bool:
    fast = fast_validator(doc.kind)
    if fast is None:
        return False
    try:
        return bool(fast.is_valid(doc.data))
    except Exception:  # a value it cannot take (e.g. an integer past 64 bits): the slow path
        return False


def check_schema(doc: SpecDocument) -> list[Diagnostic]:
    """All schema violations of one document, each located at its node."""
    if _fast_valid(doc):
        return []
    errors = sorted(
        validator_for(doc.kind).iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))
    )
    drop = _misspelt_required(errors)
    return [d for e in errors if id(e) not in drop for d in _diagnostics(doc, e)]


_SUBSET_REF = "jsonschema-subset.json#/$defs/"
# The key that tells each kind of spec file apart (generator.load.files.KINDS), for editors.
_MARKERS = {"system": "specloom", "module": "module", "contract": "contract", "types": "types"}


def standalone_schema(kind: str) -> dict[str, Any]:
    """The schema of one kind with everything it refers to inside (``$defs``), so that it
    resolves on its own: saved to a file, pasted into an editor, or fetched by URL."""

    def local(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                k: (
                    "#/$defs/" + v.removeprefix(_SUBSET_REF)
                    if k == "$ref" and isinstance(v, str) and v.startswith(_SUBSET_REF)
                    else local(v)
                )
                for k, v in node.items()
            }
        if isinstance(node, list):
            return [local(v) for v in node]
        return node

    out = cast(dict[str, Any], local(schema_for(kind)))
    if kind != "jsonschema-subset":
        out["$defs"] = {**schema_for("jsonschema-subset")["$defs"], **out.get("$defs", {})}
    return out


def bundle_schema() -> dict[str, Any]:
    """Every kind in one schema. The kind is chosen by the file's marker key (``if``/``then``),
    not by an ``anyOf`` of all kinds, so an editor reports the one kind's precise errors."""
    branches: list[dict[str, Any]] = []
    for kind, marker in _MARKERS.items():
        branches.append({"if": {"required": [marker]}, "then": {"$ref": f"#/$defs/{kind}"}})
    defs: dict[str, Any] = dict(schema_for("jsonschema-subset")["$defs"])
    for kind in _MARKERS:
        one = standalone_schema(kind)
        for key in ("$defs", "$schema", "$id"):  # refs inside resolve against the bundle
            one.pop(key, None)
        defs[kind] = one
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://specloom.dev/schema/1/spec.json",
        "title": "any specloom spec file",
        "description": "A spec file, told by its first key: "
        + ", ".join(f"{m!r} ({k})" for k, m in _MARKERS.items()),
        "type": "object",
        "anyOf": [{"required": [m]} for m in _MARKERS.values()],
        "allOf": branches,
        "$defs": defs,
    }


def schema_document(kind: str | None = None) -> dict[str, Any]:
    """What ``specloom schema [KIND]`` prints: one kind's schema, or every kind as one bundle
    (for editors' yaml-language-server); each resolves on its own."""
    return standalone_schema(kind) if kind else bundle_schema()
