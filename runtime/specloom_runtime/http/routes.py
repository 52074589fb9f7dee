"""The route table of the HTTP edge, read from the generated OpenAPI document.

``specloom generate`` writes ``<package>/openapi.json``; every operation carries ``x-specloom``
(contract, version, method, scope, where each parameter comes from, error statuses). The gateway
and the HTTP mock serve exactly that document and validate with its schemas (Draft 2020-12, via
``jsonschema``), so what a client reads is what the server checks.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .fastcheck import Check, compile_check, json_schema_validator

__all__ = ["Route", "RouteTable", "load_openapi", "pointer_errors"]

_SEGMENT = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_INT = re.compile(r"-?(0|[1-9][0-9]*)")
_NUM = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def load_openapi(package: str) -> dict[str, Any]:
    """The OpenAPI document generated into ``package`` (``<package>/openapi.json``)."""
    text = resources.files(package).joinpath("openapi.json").read_text("utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def pointer_errors(validator: Draft202012Validator, value: Any) -> list[dict[str, str]]:
    """Every error of ``value``, each ``{"pointer": RFC 6901 pointer, "detail": message}``.

    A missing required property points at where it belongs, an unexpected one at itself.
    """
    errors = validator.iter_errors(value)
    first = next(errors, None)
    if first is None:
        return []
    out: list[dict[str, str]] = []
    for err in sorted([first, *errors], key=lambda e: list(map(str, e.path))):
        out.extend(_pointers(err))
    return out


def _pointers(err: ValidationError) -> list[dict[str, str]]:
    base = "".join("/" + _escape(str(p)) for p in err.absolute_path)
    wanted: Any = err.validator_value
    schema: Any = err.schema
    if err.validator == "required" and isinstance(err.instance, dict):
        missing = [p for p in wanted if p not in err.instance]
        return [
            {"pointer": f"{base}/{_escape(p)}", "detail": f"{p!r} is required"} for p in missing
        ]
    if err.validator == "additionalProperties" and isinstance(err.instance, dict):
        known = schema.get("properties", {}) if isinstance(schema, dict) else {}
        extra = [p for p in err.instance if p not in known]
        if extra and isinstance(schema, dict) and schema.get("additionalProperties") is False:
            return [
                {"pointer": f"{base}/{_escape(p)}", "detail": f"unexpected property {p!r}"}
                for p in extra
            ]
    return [{"pointer": base, "detail": err.message}]


def _coerce(text: str, schema: Mapping[str, Any], components: Mapping[str, Any]) -> Any:
    """A path or query string as the JSON value its schema wants (unchanged when it is not one,
    so validation reports it)."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
        target = components.get(ref.rsplit("/", 1)[1])
        return _coerce(text, target, components) if isinstance(target, Mapping) else text
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else list(kinds or [])
    if "enum" in schema and not kinds:
        names = {"str": "string", "int": "integer", "float": "number", "bool": "boolean"}
        kinds = sorted({names.get(type(v).__name__, "") for v in schema["enum"]})
    if "string" in kinds:
        return text
    if "integer" in kinds and _INT.fullmatch(text):
        return int(text)
    if "number" in kinds and _NUM.fullmatch(text):
        if not any(c in text for c in ".eE"):
            return int(text)
        value = float(text)  # a whole number as an int: what the providers' strict models take
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if "boolean" in kinds and text in ("true", "false"):
        return text == "true"
    return text


def _only(doc: Mapping[str, Any], keep: set[str]) -> dict[str, Any]:
    """The document with only the operations (and tags) of the contracts in ``keep``."""
    paths: dict[str, Any] = {}
    for path, item in doc.get("paths", {}).items():
        ops = {
            verb: op
            for verb, op in item.items()
            if f"{op['x-specloom']['contract']}@{op['x-specloom']['version']}" in keep
        }
        if ops:
            paths[path] = ops
    tags = [t for t in doc.get("tags", []) if t.get("name") in keep]
    return {**doc, "paths": paths, "tags": tags}


@dataclass(frozen=True)
class Route:
    """One operation: where it listens and what it calls."""

    http_method: str
    path: str  # OpenAPI template, e.g. /api/notes/v1/notes/{note_id}
    contract: str
    version: int
    method: str
    scope: str
    path_params: tuple[str, ...]
    query_params: tuple[str, ...]
    errors: Mapping[str, int]
    has_body: bool
    params: Draft202012Validator = field(repr=False, compare=False)
    result: Draft202012Validator = field(repr=False, compare=False)
    params_ok: Check = field(repr=False, compare=False)
    """Fast yes/no of ``params`` (same answer): the errors are asked for only on a no."""
    result_ok: Check = field(repr=False, compare=False)
    param_schemas: Mapping[str, Mapping[str, Any]] = field(repr=False, compare=False)
    operation: Mapping[str, Any] = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        return f"{self.contract}@{self.version}"

    @property
    def starlette_path(self) -> str:
        return self.path

    def param_errors(self, value: Any) -> list[dict[str, str]]:
        """:func:`pointer_errors` of the parameters (none, fast, for valid ones)."""
        return [] if self.params_ok(value) else pointer_errors(self.params, value)

    def result_errors(self, value: Any) -> list[dict[str, str]]:
        """:func:`pointer_errors` of a result (none, fast, for a valid one)."""
        return [] if self.result_ok(value) else pointer_errors(self.result, value)

    def gather(
        self,
        path_values: Mapping[str, str],
        query: Iterable[tuple[str, str]],
        body: Mapping[str, Any] | None,
        components: Mapping[str, Any],
    ) -> dict[str, Any]:
        """The method's parameters from the path, the query string and the JSON body."""
        params: dict[str, Any] = dict(body or {})
        for name in self.path_params:
            if name in path_values:
                params[name] = _coerce(path_values[name], self.param_schemas[name], components)
        for name, text in query:
            if name in self.query_params:
                params[name] = _coerce(text, self.param_schemas[name], components)
            elif not self.has_body:
                params[name] = text  # an unknown query parameter: validation names it
        return params


class RouteTable:
    """Every operation of an OpenAPI document generated by specloom."""

    def __init__(self, doc: Mapping[str, Any], only: Iterable[str] | None = None) -> None:
        keep = set(only) if only is not None else None
        self.doc = doc if keep is None else _only(doc, keep)
        self.components: Mapping[str, Any] = doc.get("components", {}).get("schemas", {})
        routes = []
        for path, item in doc.get("paths", {}).items():
            for verb, op in item.items():
                ext = op.get("x-specloom")
                if not isinstance(ext, Mapping):
                    continue
                if keep is not None and f"{ext['contract']}@{ext['version']}" not in keep:
                    continue
                routes.append(self._route(path, verb, op, ext))
        self.routes: tuple[Route, ...] = tuple(routes)

    def _validator(self, schema: Mapping[str, Any]) -> Draft202012Validator:
        root = {**schema, "components": {"schemas": self.components}}
        validator: Draft202012Validator = json_schema_validator()(root)
        return validator

    def _route(self, path: str, verb: str, op: Mapping[str, Any], ext: Mapping[str, Any]) -> Route:
        has_body = "requestBody" in op
        param_schemas: dict[str, Mapping[str, Any]] = {}
        for p in op.get("parameters", []):
            param_schemas[p["name"]] = p["schema"]
        # One schema of all parameters: the body's, plus the path and query ones. Schemas are
        # inlined (refs into the document are resolved once here, not per request); refs to
        # shared types resolve inside each validator's own root (``components`` beside them).
        properties: dict[str, Any] = {}
        required: list[str] = []
        if has_body:
            body_schema = op["requestBody"]["content"]["application/json"]["schema"]
            properties.update(body_schema.get("properties", {}))
            required += list(body_schema.get("required", []))
        for p in op.get("parameters", []):
            properties[p["name"]] = p["schema"]
            if p.get("required"):
                required.append(p["name"])
        schema: dict[str, Any] = {
            "type": "object",
            "properties": properties,
            "additionalProperties": False,
        }
        if required:
            schema["required"] = required
        params = self._validator(schema)
        result_schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        result = self._validator(result_schema)
        return Route(
            http_method=verb.upper(),
            path=path,
            contract=ext["contract"],
            version=int(ext["version"]),
            method=ext["method"],
            scope=ext.get("scope", f"{ext['contract']}@{ext['version']}"),
            path_params=tuple(ext.get("path_params", ())),
            query_params=tuple(ext.get("query_params", ())),
            errors=dict(ext.get("errors", {})),
            has_body=has_body,
            params=params,
            result=result,
            params_ok=compile_check(schema, self.components),
            result_ok=compile_check(result_schema, self.components),
            param_schemas=param_schemas,
            operation=op,
        )

    def __iter__(self) -> Any:
        return iter(self.routes)

    def __len__(self) -> int:
        return len(self.routes)
