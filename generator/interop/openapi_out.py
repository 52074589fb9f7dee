"""The provided contracts as an OpenAPI 3.1 document (``specloom export openapi``).

One operation per method of every contract version a module provides. By default a method is
``POST /api/<contract>/v<major>/<method>`` with its parameters as the JSON body; a method's
``http: {method, path}`` maps it to a REST route under ``/api/<contract>/v<major>`` (``{name}``
segments are path parameters; for GET and DELETE the other parameters come from the query).

Schemas are the spec's own JSON Schema (OpenAPI 3.1 uses Draft 2020-12): shared types become
``components.schemas`` with ``#/types/Name`` rewritten to ``#/components/schemas/Name`` and
nothing else changed. Declared errors answer with RFC 9457 problem details
(``application/problem+json``) at their status (``errors.<Name>.http.status`` in the contract,
else a default from the error's name, see :func:`default_status`).

Each operation carries ``x-specloom`` (contract, version, method, required scope, where each
parameter comes from, error statuses): the route table the generated gateway and HTTP mock serve.
The generated package holds this same document (``<package>/openapi.json``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..model.spec import MISSING, Contract, Method, SpecSet, Step
from ..names import contract_slug

OPENAPI_VERSION = "3.1.0"
TYPES_REF = "#/types/"
COMPONENTS_REF = "#/components/schemas/"
PROBLEM = "application/problem+json"
BODY_METHODS = ("POST", "PUT", "PATCH")
# Dotted: a shared type's name is PascalCase, so these never clash with one.
PROBLEM_NAME = "specloom.Problem"
VALIDATION_PROBLEM_NAME = "specloom.ValidationProblem"
PATH_PARAM = re.compile(r"\{([a-z][a-z0-9_]*)\}")

# Statuses the gateway itself answers with, whatever the method (documented on every operation).
STANDARD_RESPONSES: tuple[tuple[str, str], ...] = (
    ("400", "The body is not a JSON object"),
    ("401", "No bearer token, or a wrong or expired one"),
    ("403", "The token lacks the scope of this operation"),
    ("413", "The body is larger than the gateway's limit"),
    ("422", "The parameters break the method's schema (every error, with its JSON pointer)"),
    ("500", "The implementation failed unexpectedly"),
    ("501", "The method is not implemented yet"),
    ("502", "The provider answered with a result that breaks the contract"),
    ("503", "No module serves the contract (no responder)"),
    ("504", "The provider did not answer in time"),
)

# Default status of a declared error by words in its name; first match wins, else 409. A declared
# error answers a request that passed the schema (422 is for those that do not) and that the
# provider refuses in its current state: 409 Conflict. 401 and 403 are never defaults: they are
# the gateway's own answers about the caller's token, not about a token passed as data; nor is a
# 5xx: a declared error is an answer of a working provider (set one with http.status if wanted).
_STATUS_WORDS: tuple[tuple[tuple[str, ...], int], ...] = (
    (("NotFound", "Missing", "NoSuch", "Unknown"), 404),
    (("Duplicate", "Exists", "Conflict", "Mismatch", "AlreadyDone", "InUse"), 409),
    (("Limit", "Quota", "TooMany", "Throttled"), 429),
    (("Gone", "Deleted"), 410),
    (("TooLarge",), 413),
)


def default_status(error: str) -> int:
    """The HTTP status of a declared error that sets none: by words in its name, else 409."""
    for words, status in _STATUS_WORDS:
        if any(w in error for w in words):
            return status
    return 409


def contract_segment(name: str) -> str:
    """``CoreEngine`` -> ``core_engine`` (the URL segment of a contract)."""
    return contract_slug(name, 1).rsplit("_v", 1)[0]


def base_path(c: Contract) -> str:
    return f"/api/{contract_segment(c.name)}/v{c.version}"


def route_of(c: Contract, m: Method) -> tuple[str, str]:
    """``(HTTP method, path)`` of a contract method."""
    http = m.http
    if http:
        return str(http.get("method", "POST")).upper(), base_path(c) + str(http["path"])
    return "POST", f"{base_path(c)}/{m.name}"


def error_status(c: Contract, error: str) -> int:
    decl = c.error(error)
    status = decl.status if decl is not None else None
    return status if status is not None else default_status(error)


def rewrite_refs(schema: Any) -> Any:
    """A deep copy of ``schema`` with ``#/types/Name`` refs pointing into components.schemas."""
    if isinstance(schema, Mapping):
        out = {}
        for k, v in schema.items():
            if k == "$ref" and isinstance(v, str) and v.startswith(TYPES_REF):
                out[k] = COMPONENTS_REF + v[len(TYPES_REF) :]
            else:
                out[k] = rewrite_refs(v)
        return out
    if isinstance(schema, list):
        return [rewrite_refs(v) for v in schema]
    return copy.deepcopy(schema)


def params_schema(m: Method, names: Iterable[str] | None = None) -> dict[str, Any]:
    """The JSON Schema of a method's parameters as one object (``names``: only those)."""
    chosen = [p for p in m.params if names is None or p.name in set(names)]
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {p.name: rewrite_refs(p.schema) for p in chosen},
    }
    required = [p.name for p in chosen if p.required]
    if required:
        schema["required"] = required
    return schema


def returns_schema(m: Method) -> dict[str, Any]:
    return rewrite_refs(m.returns) if m.returns is not None else {"type": "null"}


def _has_var(value: Any) -> bool:
    if isinstance(value, Mapping):
        return "$var" in value or any(_has_var(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_var(v) for v in value)
    return False


def _example_key(name: str, index: int, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower() or "example"
    key = base if index == 0 else f"{base}-{index + 1}"
    n = 2
    while key in used:
        key, n = f"{base}-{index + 1}-{n}", n + 1
    used.add(key)
    return key


def _steps(c: Contract, m: Method) -> list[tuple[str, int, Step]]:
    out = []
    for ex in c.examples:
        calls = [s for s in ex.steps if s.call == m.name]
        for i, s in enumerate(calls):
            out.append((ex.name, i, s))
    return out


def _operation(c: Contract, m: Method) -> dict[str, Any]:
    verb, path = route_of(c, m)
    path_names = PATH_PARAM.findall(path)
    in_body = verb in BODY_METHODS
    query_names = [] if in_body else [p.name for p in m.params if p.name not in path_names]
    body_names = [p.name for p in m.params if p.name not in path_names] if in_body else []
    op: dict[str, Any] = {
        "operationId": f"{c.name}_v{c.version}_{m.name}",
        "summary": m.summary,
        "tags": [c.key],
    }
    if m.description:
        op["description"] = m.description
    if m.deprecated or c.deprecated:
        op["deprecated"] = True
    parameters = []
    for where, names in (("path", path_names), ("query", query_names)):
        for name in names:
            p = m.param(name)
            assert p is not None  # checked by validate.semantic (http mapping)
            entry: dict[str, Any] = {
                "name": name,
                "in": where,
                "required": where == "path" or p.required,
                "schema": rewrite_refs(p.schema),
            }
            if p.schema.get("description"):
                entry["description"] = p.schema["description"]
            parameters.append(entry)
    if parameters:
        op["parameters"] = parameters
    request_examples: dict[str, Any] = {}
    response_examples: dict[str, Any] = {}
    used_req: set[str] = set()
    used_res: set[str] = set()
    for ex_name, i, step in _steps(c, m):
        if _has_var(step.args):
            continue
        summary = ex_name if i == 0 else f"{ex_name} (call {i + 1})"
        args = dict(step.args)
        if in_body:
            body = {k: v for k, v in args.items() if k in body_names}
            request_examples[_example_key(ex_name, i, used_req)] = {
                "summary": summary,
                "value": body,
            }
        if (
            step.returns is not MISSING
            and step.match == "exact"
            and not step.raises
            and not _has_var(step.returns)
        ):
            response_examples[_example_key(ex_name, i, used_res)] = {
                "summary": summary,
                "value": step.returns,
            }
    if in_body:
        body_schema = params_schema(m, body_names)
        content: dict[str, Any] = {"schema": body_schema}
        if request_examples:
            content["examples"] = request_examples
        op["requestBody"] = {
            "required": bool(body_schema.get("required")),
            "content": {"application/json": content},
        }
    ok: dict[str, Any] = {"schema": returns_schema(m)}
    if response_examples:
        ok["examples"] = response_examples
    responses: dict[str, Any] = {
        "200": {"description": "The result", "content": {"application/json": ok}}
    }
    by_status: dict[int, list[str]] = {}
    for err in m.errors:
        by_status.setdefault(error_status(c, err), []).append(err)
    standard = dict(STANDARD_RESPONSES)
    for status in sorted({*by_status, *map(int, standard)}):
        codes = by_status.get(status, [])
        if codes:
            summaries = {e.name: e.summary for e in c.errors}
            lines = [f"`{code}`: {summaries.get(code, '')}" for code in codes]
            text = "Declared error: " + "; ".join(lines)
            if str(status) in standard:
                text += f". Or: {standard[str(status)]}"
        else:
            text = standard[str(status)]
        ref = VALIDATION_PROBLEM_NAME if status == 422 and not codes else PROBLEM_NAME
        responses[str(status)] = {
            "description": text,
            "content": {PROBLEM: {"schema": {"$ref": COMPONENTS_REF + ref}}},
        }
    op["responses"] = responses
    op["x-specloom"] = {
        "contract": c.name,
        "version": c.version,
        "method": m.name,
        "scope": f"{c.name}@{c.version}",
        "path_params": path_names,
        "query_params": query_names,
        "errors": {err: error_status(c, err) for err in m.errors},
        "returns_none": m.returns is None,
    }
    return op


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details, with the error code and the correlation id.",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "description": "A URI naming the problem type."},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "code": {
            "type": "string",
            "description": "The declared error's name, or a standard code (invalid_params, ...).",
        },
        "correlation_id": {"type": "string"},
        "details": {"type": "object"},
    },
}

VALIDATION_PROBLEM_SCHEMA: dict[str, Any] = {
    "allOf": [{"$ref": COMPONENTS_REF + PROBLEM_NAME}],
    "type": "object",
    "properties": {
        "errors": {
            "type": "array",
            "description": "Every error, with the JSON pointer of the value it is about.",
            "items": {
                "type": "object",
                "required": ["pointer", "detail"],
                "properties": {
                    "pointer": {"type": "string", "description": "RFC 6901 JSON pointer."},
                    "detail": {"type": "string"},
                },
            },
        }
    },
}


def provided_contracts(spec: SpecSet, only: Iterable[str] | None = None) -> list[Contract]:
    """Every contract version some module provides, by name and version (``only``: those keys)."""
    keys = {r.key for m in spec.modules for r in m.provides}
    if only is not None:
        keys &= set(only)
    return [c for c in spec.contracts if c.key in keys]


def build_openapi(spec: SpecSet, only: Iterable[str] | None = None) -> dict[str, Any]:
    """The OpenAPI 3.1 document of the provided contracts (deterministic, JSON-ready)."""
    system = spec.system
    info: dict[str, Any] = {
        "title": system.title if system else "specloom system",
        "version": system.version if system else "0.0.0",
    }
    if system and system.description:
        info["description"] = system.description
    contracts = provided_contracts(spec, only)
    paths: dict[str, dict[str, Any]] = {}
    for c in contracts:
        for m in c.methods:
            verb, path = route_of(c, m)
            paths.setdefault(path, {})[verb.lower()] = _operation(c, m)
    schemas: dict[str, Any] = {t.name: rewrite_refs(t.schema) for t in spec.types}
    schemas[PROBLEM_NAME] = PROBLEM_SCHEMA
    schemas[VALIDATION_PROBLEM_NAME] = VALIDATION_PROBLEM_SCHEMA
    tags = []
    for c in contracts:
        tag: dict[str, Any] = {"name": c.key}
        if c.description:
            tag["description"] = c.description
        tags.append(tag)
    return {
        "openapi": OPENAPI_VERSION,
        "info": info,
        "tags": tags,
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": (
                        "A token from `python -m <package> token`; its `scope` claim lists the "
                        "contracts it may call (`Contract@major`) or `*`."
                    ),
                }
            },
        },
        "security": [{"bearerAuth": []}],
    }
