"""``specloom import openapi FILE``: an OpenAPI 3.0/3.1 document -> a spec folder.

- ``components.schemas`` become shared types (``types/<api>.yaml``), refs rewired to
  ``#/types/Name``;
- operations become methods of one contract per tag (the first tag; untagged operations are
  grouped by their first path segment); the method name is the ``operationId`` in snake_case, or
  ``<verb>_<path words>``; path, query and JSON-body parameters become params (an optional one
  without a default becomes nullable with default null; the body is ``body``);
- the first 2xx JSON response is the result (none for 204), the 4xx/5xx responses become the
  method's declared errors (``NotFound``, ``BadRequest``..., by status);
- an example per method: the documented request examples (else a value synthesized from the
  schemas) and the documented response example when there is one;
- one module per contract provides it, so that generate gives every contract a mock and tests.

Headers and cookies, security, servers and callbacks have no place in a contract: they are
reported as notes, as is every schema keyword that cannot be carried over.
"""

from __future__ import annotations

import http
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import SpecloomError
from ..model.synth import SynthError, synthesize
from .schema_in import Note, SchemaConverter, type_name

__all__ = ["ImportResult", "import_openapi"]

_VERBS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
_SCHEMA_REF = re.compile(r"^#/components/schemas/(.+)$")


@dataclass
class ImportResult:
    """Spec files to write (relative path -> YAML data) and the notes of what was not kept."""

    files: dict[str, Any] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)


def snake(text: str) -> str:
    words = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+", text)
    name = "_".join(w.lower() for w in words) or "op"
    return "m_" + name if name[0].isdigit() else name


def _error_name(status: str, response: Any) -> str:
    try:
        return type_name(http.HTTPStatus(int(status)).phrase)
    except ValueError:
        return "ServerError" if status.upper().startswith("5") else "RequestError"


def import_openapi(doc: Any, *, source: str = "openapi") -> ImportResult:
    if not isinstance(doc, Mapping) or not str(doc.get("openapi", "")).startswith("3."):
        raise SpecloomError(f"{source}: not an OpenAPI 3.x document (no 'openapi: 3.x' key)")
    result = ImportResult()
    schemas = (doc.get("components") or {}).get("schemas") or {}
    names = {raw: type_name(raw) for raw in schemas}
    if len(set(names.values())) != len(names):
        raise SpecloomError(f"{source}: two component schemas map to the same type name")

    def ref(target: str, base: str) -> str:
        match = _SCHEMA_REF.match(target)
        if not match or match.group(1) not in names:
            raise KeyError("only #/components/schemas/<name> is supported")
        return f"#/types/{names[match.group(1)]}"

    def resolve(target: str, base: str) -> Mapping[str, Any] | None:
        match = _SCHEMA_REF.match(target)
        found = schemas.get(match.group(1)) if match else None
        return found if isinstance(found, Mapping) else None

    conv = SchemaConverter(ref, resolve)
    types = {
        names[raw]: conv.convert(s, f"{source}#/components/schemas/{raw}")
        for raw, s in schemas.items()
    }
    info = doc.get("info") or {}
    title = str(info.get("title") or "API")
    system = snake(title)
    version = str(info.get("version") or "1.0.0")
    major = re.match(r"\d+", version)
    contract_version = max(1, int(major.group(0))) if major else 1

    groups: dict[str, dict[str, Any]] = {}
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, Mapping):
            continue
        shared = item.get("parameters") or []
        for verb in _VERBS:
            op = item.get(verb)
            if not isinstance(op, Mapping):
                continue
            where = f"{source}#/paths/{path}/{verb}"
            tags = op.get("tags") or []
            segment = next((p for p in str(path).split("/") if p and "{" not in p), "root")
            group = type_name(str(tags[0]) if tags else segment)
            method_name = snake(str(op.get("operationId") or f"{verb} {path}"))
            contract = groups.setdefault(group, {"methods": {}, "errors": {}, "examples": []})
            if method_name in contract["methods"]:
                method_name = snake(f"{method_name} {verb}")
            method, example, method_errors = _operation(op, shared, where, conv, doc, types)
            contract["methods"][method_name] = method
            for err in method.get("errors", []):
                summary = method_errors.get(err) or f"HTTP error {err}."
                contract["errors"].setdefault(err, {"summary": summary})
            contract["examples"].append({"name": f"{method_name} ({verb.upper()} {path})",
                                         "steps": [{"call": method_name, **example}]})  # fmt: skip
    for key in ("security", "servers", "webhooks", "callbacks"):
        if doc.get(key):
            result.notes.append(Note(f"{source}#/{key}", "not part of a contract; not imported"))

    result.files["system.yaml"] = {
        "specloom": 1,
        "system": {
            "name": system,
            "title": title,
            "version": version if re.fullmatch(r"\d+\.\d+\.\d+.*", version) else "1.0.0",
            **({"description": str(info["description"])} if info.get("description") else {}),
        },
    }
    if types:
        result.files[f"types/{system}.yaml"] = {
            "description": f"Schemas of {title} (components.schemas).",
            "types": types,
        }
    for number, (group, body) in enumerate(sorted(groups.items()), start=1):
        contract_doc: dict[str, Any] = {
            "contract": group,
            "version": contract_version,
            "description": f"{group} operations of {title}.",
            "methods": body["methods"],
        }
        if body["errors"]:
            contract_doc["errors"] = body["errors"]
        contract_doc["examples"] = body["examples"]
        slug = snake(group)
        result.files[f"contracts/{slug}.v{contract_version}.yaml"] = contract_doc
        result.files[f"modules/{number:02d}-{slug}.yaml"] = {
            "module": slug,
            "number": number,
            "title": group,
            "scope": f"Serves the {group} operations of {title}.",
            "provides": [f"{group}@{contract_version}"],
            "brief": f"Implement the {group} operations imported from the OpenAPI document.",
        }
    result.notes[:0] = conv.notes
    return result


def _deref(node: Any, doc: Mapping[str, Any]) -> Any:
    """Follow a local ``$ref`` to a parameter, request body or response object."""
    for _ in range(16):
        if not (isinstance(node, Mapping) and isinstance(node.get("$ref"), str)):
            return node
        target: Any = doc
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target.get(part) if isinstance(target, Mapping) else None
        node = target
    return node


def _json_content(body: Any) -> Mapping[str, Any] | None:
    content = body.get("content") if isinstance(body, Mapping) else None
    if not isinstance(content, Mapping):
        return None
    for media, value in content.items():
        if "json" in str(media) and isinstance(value, Mapping):
            return value
    return None


def _example(media: Mapping[str, Any] | None) -> Any:
    if not media:
        return None
    if "example" in media:
        return media["example"]
    examples = media.get("examples")
    if isinstance(examples, Mapping):
        for ex in examples.values():
            if isinstance(ex, Mapping) and "value" in ex:
                return ex["value"]
    return None


def _operation(
    op: Mapping[str, Any],
    shared: list[Any],
    where: str,
    conv: SchemaConverter,
    doc: Mapping[str, Any],
    types: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    summary = str(op.get("summary") or op.get("description") or op.get("operationId") or "")
    method: dict[str, Any] = {"summary": summary.strip().splitlines()[0] if summary else "-"}
    if op.get("description") and op.get("summary"):
        method["description"] = str(op["description"])
    if op.get("deprecated"):
        method["deprecated"] = "deprecated in the OpenAPI document"
    params: dict[str, Any] = {}
    args: dict[str, Any] = {}
    by_key = {}
    for raw in [*shared, *(op.get("parameters") or [])]:
        p = _deref(raw, doc)
        if isinstance(p, Mapping):
            by_key[(p.get("in"), p.get("name"))] = p
    for (place, pname), p in by_key.items():
        at = f"{where}/parameters/{pname}"
        if place not in ("path", "query"):
            conv.note(at, f"{place} parameter {pname!r} has no place in a contract; skipped")
            continue
        name = snake(str(pname))
        schema = conv.convert(p.get("schema") or {}, at)
        if p.get("description") and "description" not in schema:
            schema["description"] = str(p["description"])
        if "example" in p:
            args[name] = p["example"]
        if not (p.get("required") or place == "path") and "default" not in schema:
            schema = _optional(schema)
        params[name] = schema
    body = _deref(op.get("requestBody"), doc)
    media = _json_content(body)
    if media is not None:
        schema = conv.convert(media.get("schema") or {}, f"{where}/requestBody")
        if not body.get("required"):
            schema = _optional(schema)
        params["body"] = schema
        if _example(media) is not None:
            args["body"] = _example(media)
    if params:
        method["params"] = params
    errors: dict[str, str] = {}
    returns: Any = None
    answer: Any = None
    for status, response in sorted((op.get("responses") or {}).items(), key=lambda kv: str(kv[0])):
        response = _deref(response, doc)
        code = str(status)
        if code.startswith("2") and returns is None and code != "204":
            ok = _json_content(response)
            if ok is not None:
                returns = conv.convert(ok.get("schema") or {}, f"{where}/responses/{code}")
                answer = _example(ok)
        elif code[:1] in ("4", "5") or code == "default":
            name = _error_name(code, response) if code != "default" else "UnexpectedError"
            text = str(response.get("description") or "").strip() if response else ""
            errors.setdefault(name, f"{text or name} (HTTP {code})")
    if returns is not None:
        method["returns"] = returns
    if errors:
        method["errors"] = list(errors)
    for name, schema in params.items():
        if name not in args and "default" not in schema:
            try:
                args[name] = synthesize(schema, resolve_ref=types.__getitem__, seed=name)
            except (SynthError, KeyError):
                conv.note(f"{where}/{name}", "no example value could be made for the example")
    step: dict[str, Any] = {"with": args} if args else {}
    if answer is not None:
        step["returns"] = answer
    return method, step, errors


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional parameter: absent means null (``default: null``)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        out = {**schema, "type": [kind, "null"]}
    elif isinstance(kind, list):
        out = {**schema, "type": kind if "null" in kind else [*kind, "null"]}
    elif schema.get("anyOf") and {"type": "null"} in schema["anyOf"]:
        out = dict(schema)
    else:
        extra = {k: schema.pop(k) for k in ("description",) if k in schema}
        out = {"anyOf": [schema, {"type": "null"}], **extra}
    if "enum" in out and None not in out["enum"]:
        out["enum"] = [*out["enum"], None]
    out["default"] = None
    return out
