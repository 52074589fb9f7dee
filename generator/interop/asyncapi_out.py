"""``specloom export asyncapi``: the system's messaging as an AsyncAPI 3.0 document.

Channels follow the NATS subjects of the services design (docs in DESIGN.md, "Services and
transports"): a request to ``Contract@major.method`` travels on
``<system>.rpc.<Contract>.v<major>.<method>`` and is answered on the requester's reply inbox
(a dynamic channel, ``address: null``); the event ``<event>`` of ``Contract@major`` is published
on ``<system>.events.<Contract>.v<major>.<event>``. Message payloads are what travels as
``payload.data`` of the envelope: the method's parameters as an object, ``{"result": ...}`` for a
reply, and the event payload. Shared types are ``components.schemas``.
"""

from __future__ import annotations

from typing import Any

from ..model.spec import Contract, Method, SpecSet
from .refs import rewrite_refs, types_to

_TO_COMPONENTS = types_to("#/components/schemas/")


def _schema(schema: Any) -> Any:
    return rewrite_refs(schema, _TO_COMPONENTS)


def _params(method: Method) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {p.name: _schema(dict(p.schema)) for p in method.params},
        "required": [p.name for p in method.params if p.required],
        "additionalProperties": False,
    }


def _reply(method: Method) -> dict[str, Any]:
    result = _schema(dict(method.returns)) if method.returns is not None else {"type": "null"}
    return {
        "type": "object",
        "properties": {"result": result},
        "required": ["result"],
    }


def _slug(c: Contract) -> str:
    return f"{c.name}_v{c.version}"


def export_asyncapi(spec: SpecSet) -> dict[str, Any]:
    system = spec.system
    name = system.name if system is not None else "specloom"
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    provided = {r.key for m in spec.modules for r in m.provides}
    for c in sorted(spec.contracts, key=lambda c: (c.name, c.version)):
        if provided and c.key not in provided:
            continue
        base = _slug(c)
        for m in c.methods:
            key = f"{base}_{m.name}"
            messages[f"{key}_request"] = {
                "name": f"{key}_request",
                "title": f"{c.key}.{m.name} request",
                "summary": m.summary,
                "contentType": "application/json",
                "payload": _params(m),
            }
            messages[f"{key}_reply"] = {
                "name": f"{key}_reply",
                "title": f"{c.key}.{m.name} reply",
                "contentType": "application/json",
                "payload": _reply(m),
            }
            channels[key] = {
                "address": f"{name}.rpc.{c.name}.v{c.version}.{m.name}",
                "messages": {"request": {"$ref": f"#/components/messages/{key}_request"}},
            }
            channels[f"{key}_reply"] = {
                "address": None,
                "description": "The requester's NATS reply inbox.",
                "messages": {"reply": {"$ref": f"#/components/messages/{key}_reply"}},
            }
            operation: dict[str, Any] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{key}"},
                "summary": m.summary,
                "messages": [{"$ref": f"#/channels/{key}/messages/request"}],
                "reply": {
                    "channel": {"$ref": f"#/channels/{key}_reply"},
                    "messages": [{"$ref": f"#/channels/{key}_reply/messages/reply"}],
                },
            }
            if m.description:
                operation["description"] = m.description
            operations[key] = operation
        for e in c.events:
            key = f"{base}_event_{e.name}"
            payload = _schema(dict(e.payload)) if e.payload is not None else {"type": "object"}
            messages[key] = {
                "name": key,
                "title": f"{c.key} event {e.name}",
                "summary": e.summary,
                "contentType": "application/json",
                "payload": payload,
            }
            channels[key] = {
                "address": f"{name}.events.{c.name}.v{c.version}.{e.name}",
                "messages": {"event": {"$ref": f"#/components/messages/{key}"}},
            }
            operations[f"{key}_publish"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{key}"},
                "summary": e.summary,
                "messages": [{"$ref": f"#/channels/{key}/messages/event"}],
            }
    info: dict[str, Any] = {
        "title": system.title if system is not None else name,
        "version": system.version if system is not None else "0.0.0",
    }
    if system is not None and system.description:
        info["description"] = system.description
    schemas = {t.name: _schema(dict(t.schema)) for t in spec.types}
    return {
        "asyncapi": "3.0.0",
        "info": info,
        "defaultContentType": "application/json",
        "servers": {
            "nats": {
                "host": "127.0.0.1:4222",
                "protocol": "nats",
                "description": "Any NATS server all services connect to (--nats URL).",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": dict(sorted(schemas.items())), "messages": messages},
    }
