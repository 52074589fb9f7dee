"""RFC 9457 problem details (``application/problem+json``) for every error the edge answers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

__all__ = ["PROBLEM_TYPE", "STATUS_OF_CODE", "TITLES", "Parts", "problem", "problem_parts"]

PROBLEM_TYPE = "application/problem+json"
_PROBLEM = PROBLEM_TYPE.encode("ascii")
BASE = "https://specloom.dev/problems/"

TITLES = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    410: "Gone",
    413: "Content Too Large",
    422: "Unprocessable Content",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}

# Standard runtime error codes -> HTTP status.
STATUS_OF_CODE = {
    "invalid_params": 422,
    "timeout": 504,
    "unknown_target": 503,
    "service_unavailable": 503,
    "no_responders": 503,
    "contract_violation": 502,
    "not_implemented": 501,
    "unknown_method": 502,
}


Parts = tuple[int, bytes, list[tuple[bytes, bytes]]]
"""An answer as ASGI wants it: status, body, raw headers (content-type and length included)."""


def problem_parts(
    status: int,
    code: str,
    detail: str = "",
    *,
    request_id: str = "",
    correlation_id: str = "",
    instance: str = "",
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Parts:
    """A problem body: ``correlation_id`` is the bus envelope's id (when the request was
    forwarded), ``request_id`` the HTTP request's (also the ``x-request-id`` header)."""
    body: dict[str, Any] = {
        "type": BASE + code,
        "title": TITLES.get(status, "Error"),
        "status": status,
        "code": code,
    }
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    if correlation_id:
        body["correlation_id"] = correlation_id
    if request_id:
        body["request_id"] = request_id
    if extra:
        body.update(extra)
    data = json.dumps(body, separators=(",", ":")).encode("utf-8")
    raw = [(b"content-type", _PROBLEM), (b"content-length", str(len(data)).encode("ascii"))]
    if request_id:
        raw.append((b"x-request-id", request_id.encode("latin-1")))
    for name, value in (headers or {}).items():
        raw.append((name.lower().encode("latin-1"), value.encode("latin-1")))
    return status, data, raw


def problem(
    status: int,
    code: str,
    detail: str = "",
    *,
    request_id: str = "",
    correlation_id: str = "",
    instance: str = "",
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """:func:`problem_parts` as a Starlette response."""
    status, data, raw = problem_parts(
        status,
        code,
        detail,
        request_id=request_id,
        correlation_id=correlation_id,
        instance=instance,
        extra=extra,
        headers=headers,
    )
    response = Response(data, status_code=status)
    response.raw_headers = raw
    return response
