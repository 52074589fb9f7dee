"""RFC 9457 problem details (``application/problem+json``) for every error the edge answers."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from starlette.responses import Response

__all__ = ["PROBLEM_TYPE", "STATUS_OF_CODE", "TITLES", "problem"]

PROBLEM_TYPE = "application/problem+json"
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


def problem(
    status: int,
    code: str,
    detail: str = "",
    *,
    request_id: str = "",
    instance: str = "",
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
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
    if request_id:
        body["correlation_id"] = request_id
    if extra:
        body.update(extra)
    all_headers = {"x-request-id": request_id} if request_id else {}
    all_headers.update(headers or {})
    return Response(
        json.dumps(body, separators=(",", ":")),
        status_code=status,
        media_type=PROBLEM_TYPE,
        headers=all_headers,
    )
