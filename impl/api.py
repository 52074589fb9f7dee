"""Implementation of module api (API Layer): the endpoint table, request validation, responses.

What it does:

- Endpoints map ``(path, HTTP method)`` to a bus route ``Contract@major.method``. A route must
  be a method of a contract this module consumes, read from the generated system wiring (so
  CoreEngine@1 in this system; UnknownRoute otherwise). Registering a path for methods of which
  one already goes to another route is EndpointConflict and changes nothing.
- The default endpoints are registered at start-up: ``POST /tasks`` -> process_task,
  ``GET /status`` -> get_status, ``PUT /config`` -> configure (CoreEngine@1).
- validate_request accepts exactly an object ``{method, path, headers?, query?, body?}`` whose
  method and path match an endpoint (a ``{name}`` segment matches any one non-empty segment),
  with headers an object of strings, query an object and body an object; anything else is
  false, never an error.

Limits: no HTTP or WebSocket server runs (the implementation stays in-process and offline), so
no request is forwarded to its route; an HTTP front end would call validate_request, then the
route through the consumed contract's client, then format_response.
"""

from __future__ import annotations

from typing import Any, Literal

from orchestra.contracts.api_v1 import EndpointConflict, FormatResponseResult, UnknownRoute
from orchestra.modules.api import ApiBase
from orchestra.system import MODULES

HttpMethod = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
REQUEST_KEYS = {"method", "path", "headers", "query", "body"}
DEFAULT_ENDPOINTS: tuple[tuple[str, str, HttpMethod], ...] = (
    ("/tasks", "CoreEngine@1.process_task", "POST"),
    ("/status", "CoreEngine@1.get_status", "GET"),
    ("/config", "CoreEngine@1.configure", "PUT"),
)


class ApiImpl(ApiBase):
    """API Layer: an endpoint table over the routes of the consumed contracts."""

    _routes: frozenset[str]
    _endpoints: dict[tuple[str, str], str]

    async def on_start(self) -> None:
        module = next(d for d in MODULES if d.name == self.MODULE)
        self._routes = frozenset(
            f"{dep.contract.key}.{method}"
            for dep in module.consumes
            for method in dep.contract.methods
        )
        self._endpoints = {}
        for path, handler, method in DEFAULT_ENDPOINTS:
            await self.register_endpoint(path, handler, [method])

    async def register_endpoint(self, path: str, handler: str, methods: list[HttpMethod]) -> bool:
        """Register new endpoint

        Registers `path` for the given HTTP methods, forwarding to the route `handler`.
        Registering the same path, handler and methods again is a no-op that returns true. Path
        segments in braces (`/tasks/{id}`) match any single segment."""
        if handler not in self._routes:
            raise UnknownRoute(
                f"{handler} is not a method of a consumed contract",
                {"handler": handler, "routes": sorted(self._routes)},
            )
        taken = {
            method: self._endpoints[(path, method)]
            for method in methods
            if self._endpoints.get((path, method), handler) != handler
        }
        if taken:
            raise EndpointConflict(
                f"{path} is registered to another handler for {', '.join(sorted(taken))}",
                {"path": path, "handlers": taken},
            )
        for method in methods:
            self._endpoints[(path, method)] = handler
        return True

    async def validate_request(self, request: Any) -> bool:
        """Validate incoming request

        True when `request` is an object {method, path, headers?, query?, body?} whose method
        and path match a registered endpoint (body, when present, an object); false otherwise.
        Never raises for a malformed request: that is what it detects."""
        if not isinstance(request, dict) or not REQUEST_KEYS.issuperset(request):
            return False
        method, path = request.get("method"), request.get("path")
        headers = request.get("headers", {})
        if (
            not isinstance(method, str)
            or not isinstance(path, str)
            or not path.startswith("/")
            or not isinstance(headers, dict)
            or not all(isinstance(value, str) for value in headers.values())
            or not isinstance(request.get("query", {}), dict)
            or not isinstance(request.get("body", {}), dict)
        ):
            return False
        return any(
            method == registered and _matches(pattern, path)
            for pattern, registered in self._endpoints
        )

    async def format_response(self, data: Any) -> FormatResponseResult:
        """Format response

        Wraps a result in the API's response body: {"success": true, "data": data}."""
        return FormatResponseResult(success=True, data=data)


def _matches(pattern: str, path: str) -> bool:
    """Whether ``path`` matches the endpoint ``pattern`` (``{name}`` is any one segment)."""
    wanted, given = pattern.split("/"), path.split("/")
    return len(wanted) == len(given) and all(
        w == g or (w.startswith("{") and w.endswith("}") and g != "")
        for w, g in zip(wanted, given, strict=True)
    )
