"""The ASGI app of the HTTP edge (Starlette): gateway and HTTP mock share it.

Every operation of the generated OpenAPI document is a route. A request is authenticated
(bearer token, unless the app has no authority: the mock), its parameters are gathered from the
path, the query and the JSON body and validated against the document's schemas (422 with the
JSON pointer of every error) before anything is forwarded; the result is validated against the
return schema (502 when it breaks it). Errors are RFC 9457 problem details.

Also: ``GET /openapi.json``, ``GET /healthz``, ``GET /metrics`` (Prometheus text of the default
registry), ``WS /ws/events`` (bus envelopes as JSON), ``GET /`` (the web page).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from prometheus_client import REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Match, Route, WebSocketRoute, compile_path
from starlette.websockets import WebSocket, WebSocketDisconnect

from ..envelope import Envelope
from ..errors import DeclaredError, SpecloomError
from .auth import AuthError, TokenAuthority
from .backends import Backend, MockBackend, PreferError, parse_prefer
from .problem import STATUS_OF_CODE, problem
from .routes import Route as ApiRoute
from .routes import RouteTable, pointer_errors

__all__ = ["EdgeSettings", "create_app"]

log = logging.getLogger("specloom.http")

REQUESTS = Counter(
    "specloom_http_requests_total",
    "HTTP requests answered by the gateway or mock, by operation and status",
    ["operation", "status"],
)
LATENCY = Histogram(
    "specloom_http_request_seconds",
    "Time to answer an HTTP operation (validation, auth, bus call)",
    ["operation"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


@dataclass(frozen=True)
class EdgeSettings:
    max_body_bytes: int = 1 << 20
    timeout_ms: int = 5000
    cors_origins: tuple[str, ...] = ()
    title: str = ""
    mode: str = "gateway"  # or "mock"
    extra: Mapping[str, Any] = field(default_factory=dict)


def _request_id(request: Request | WebSocket) -> str:
    given = request.headers.get("x-request-id", "")
    return given if _REQUEST_ID.fullmatch(given) else secrets.token_hex(8)


class _Edge:
    def __init__(
        self,
        table: RouteTable,
        backend: Backend,
        authority: TokenAuthority | None,
        settings: EdgeSettings,
    ) -> None:
        self.table = table
        self.backend = backend
        self.authority = authority
        self.settings = settings
        self.doc_bytes = json.dumps(table.doc, separators=(",", ":")).encode("utf-8")
        self.mock = isinstance(backend, MockBackend)

    # --- operations ------------------------------------------------------------------------

    def endpoint(self, route: ApiRoute) -> Any:
        op = f"{route.key}.{route.method}"
        counters: dict[int, Any] = {}
        latency = LATENCY.labels(op)

        async def handle(request: Request) -> Response:
            started = time.perf_counter()
            rid = _request_id(request)
            response = await self._operation(route, request, rid)
            response.headers["x-request-id"] = rid
            status = response.status_code
            counter = counters.get(status)
            if counter is None:
                counter = counters[status] = REQUESTS.labels(op, str(status))
            counter.inc()
            elapsed = time.perf_counter() - started
            latency.observe(elapsed)
            log.info(
                "request_id=%s %s %s -> %d in %.1f ms",
                rid,
                request.method,
                request.scope["path"],
                response.status_code,
                elapsed * 1000,
            )
            return response

        return handle

    async def _operation(self, route: ApiRoute, request: Request, rid: str) -> Response:
        where = request.scope["path"]
        if self.authority is not None:
            try:
                header = request.headers.get("authorization")
                self.authority.check(header, route.scope, route.method)
            except AuthError as exc:
                headers = {"www-authenticate": 'Bearer realm="api"'} if exc.status == 401 else {}
                code = "unauthorized" if exc.status == 401 else "forbidden"
                return problem(exc.status, code, exc.detail, request_id=rid, headers=headers)
        body: Any = None
        if route.has_body:
            raw, too_big = await self._read(request)
            if too_big:
                return problem(
                    413,
                    "body_too_large",
                    f"the body is larger than {self.settings.max_body_bytes} bytes",
                    request_id=rid,
                    instance=where,
                )
            if raw.strip():
                try:
                    body = json.loads(raw)
                except (ValueError, UnicodeDecodeError):
                    return problem(
                        400, "invalid_json", "the body is not JSON", request_id=rid, instance=where
                    )
                if not isinstance(body, dict):
                    return problem(
                        400,
                        "invalid_json",
                        "the body must be a JSON object of the parameters",
                        request_id=rid,
                        instance=where,
                    )
        params = route.gather(
            request.path_params, request.query_params.multi_items(), body, self.table.components
        )
        errors = pointer_errors(route.params, params)
        if errors:
            return problem(
                422,
                "invalid_params",
                f"the parameters of {route.key}.{route.method} break its schema",
                request_id=rid,
                instance=where,
                extra={"errors": errors},
            )
        params = integral(params)
        try:
            if self.mock:
                assert isinstance(self.backend, MockBackend)
                result = await self.backend.call(
                    route.key,
                    route.method,
                    params,
                    timeout_ms=self.settings.timeout_ms,
                    session=request.headers.get(MockBackend.SESSION_HEADER, "default"),
                    prefer=parse_prefer(request.headers.get("prefer")),
                    error_statuses=route.errors,
                )
            else:
                result = await self.backend.call(
                    route.key, route.method, params, timeout_ms=self.settings.timeout_ms
                )
        except PreferError as exc:
            return problem(400, "prefer_unsatisfiable", str(exc), request_id=rid, instance=where)
        except SpecloomError as exc:
            return self._error(route, exc, rid, where)
        result_errors = pointer_errors(route.result, result)
        if result_errors:
            log.error("request_id=%s %s.%s broke its return schema", rid, route.key, route.method)
            return problem(
                502,
                "contract_violation",
                f"{route.key}.{route.method} returned a result that breaks the contract",
                request_id=rid,
                instance=where,
                extra={"errors": result_errors},
            )
        return Response(
            json.dumps(result, separators=(",", ":"), ensure_ascii=False),
            media_type="application/json",
        )

    async def _read(self, request: Request) -> tuple[bytes, bool]:
        limit = self.settings.max_body_bytes
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return b"", True
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return b"", True
            chunks.append(chunk)
        return b"".join(chunks), False

    def _error(self, route: ApiRoute, exc: SpecloomError, rid: str, where: str) -> Response:
        if isinstance(exc, DeclaredError) and exc.code in route.errors:
            return problem(
                route.errors[exc.code],
                exc.code,
                exc.message,
                request_id=rid,
                instance=where,
                extra={"details": exc.details} if exc.details else None,
            )
        status = STATUS_OF_CODE.get(exc.code, 500)
        extra: dict[str, Any] | None = None
        if status == 422:
            errors = [
                {
                    "pointer": "".join(f"/{p}" for p in e.get("loc", ())),
                    "detail": str(e.get("msg", "")),
                }
                for e in exc.details.get("errors", [])
            ]
            extra = {"errors": errors}
        if status >= 500:
            log.warning("request_id=%s %s.%s: %s %s", rid, route.key, route.method, exc.code, exc)
        detail = exc.message if status < 500 or status in (503, 504) else f"{exc.code}"
        return problem(status, exc.code, detail, request_id=rid, instance=where, extra=extra)

    # --- other endpoints -------------------------------------------------------------------

    async def openapi(self, request: Request) -> Response:
        return Response(self.doc_bytes, media_type="application/json")

    async def healthz(self, request: Request) -> Response:
        modules = self.backend.health()
        ok = all(m.get("status") in ("ok", "mock", "pending") for m in modules)
        return JSONResponse(
            {
                "status": "ok" if ok else "degraded",
                "mode": self.settings.mode,
                "modules": [
                    {
                        "module": m.get("module"),
                        "agent": m.get("agent"),
                        "contracts": m.get("contracts", []),
                        "mode": m.get("mode"),
                        "status": m.get("status"),
                    }
                    for m in modules
                ],
            }
        )

    def _allowed(self, request: Request | WebSocket, scope: str) -> AuthError | None:
        if self.authority is None:
            return None
        header = request.headers.get("authorization")
        if not header and "token" in request.query_params:
            header = "Bearer " + request.query_params["token"]
        try:
            self.authority.check(header, scope)
        except AuthError as exc:
            return exc
        return None

    async def metrics(self, request: Request) -> Response:
        denied = self._allowed(request, "metrics")
        if denied is not None:
            code = "unauthorized" if denied.status == 401 else "forbidden"
            return problem(denied.status, code, denied.detail)
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    async def events(self, websocket: WebSocket) -> None:
        denied = self._allowed(websocket, "events")
        if denied is not None:
            await websocket.close(code=4401 if denied.status == 401 else 4403)
            return
        await websocket.accept()
        queue: asyncio.Queue[Envelope] = asyncio.Queue(maxsize=1000)
        only_events = websocket.query_params.get("all") not in ("1", "true")

        def push(envelope: Envelope) -> None:
            if only_events and envelope.message_type != "event":
                return
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(envelope)

        remove = self.backend.observe(push)
        receiver = asyncio.ensure_future(websocket.receive())
        try:
            while True:
                getter = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait(
                    {getter, receiver}, return_when=asyncio.FIRST_COMPLETED
                )
                if receiver in done:
                    getter.cancel()
                    message = receiver.result()
                    if message.get("type") == "websocket.disconnect":
                        break
                    receiver = asyncio.ensure_future(websocket.receive())
                    continue
                envelope = getter.result()
                await websocket.send_text(envelope.model_dump_json())
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            remove()
            receiver.cancel()

    async def page(self, request: Request) -> Response:
        html = _static("index.html").decode("utf-8")
        title = self.settings.title or self.table.doc.get("info", {}).get("title", "")
        return HTMLResponse(html.replace("{{TITLE}}", _html_escape(title)))

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        kinds = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
        suffix = name[name.rfind(".") :] if "." in name else ""
        if suffix not in kinds or not re.fullmatch(r"[a-z0-9_-]+\.[a-z]+", name):
            return problem(404, "not_found", "no such file")
        try:
            data = _static(name)
        except FileNotFoundError:
            return problem(404, "not_found", "no such file")
        return Response(data, media_type=kinds[suffix], headers={"cache-control": "no-cache"})

    # --- mock only -------------------------------------------------------------------------

    async def mock_calls(self, request: Request) -> Response:
        assert isinstance(self.backend, MockBackend)
        session = request.headers.get(MockBackend.SESSION_HEADER, "default")
        return JSONResponse({"session": session, "calls": self.backend.calls(session)})

    async def mock_reset(self, request: Request) -> Response:
        assert isinstance(self.backend, MockBackend)
        every = request.query_params.get("all") in ("1", "true")
        session = None if every else request.headers.get(MockBackend.SESSION_HEADER, "default")
        return JSONResponse({"reset": await self.backend.reset(session)})


def integral(value: Any) -> Any:
    """``value`` with floats that are whole numbers as ints: the same JSON number (JSON Schema
    counts 2.0 as an integer), in the form the providers' strict models accept."""
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, dict):
        return {k: integral(v) for k, v in value.items()}
    if isinstance(value, list):
        return [integral(v) for v in value]
    return value


class _Operations(BaseRoute):
    """Every operation of the table as one route: a dict lookup for fixed paths (most of them),
    the templates' patterns for the others; 405 with ``Allow`` for a known path."""

    def __init__(self, table: RouteTable, edge: _Edge) -> None:
        self.fixed: dict[str, dict[str, Any]] = {}
        self.templated: list[tuple[re.Pattern[str], dict[str, Any]]] = []
        patterns: dict[str, dict[str, Any]] = {}
        for r in table:
            handler = edge.endpoint(r)
            if "{" in r.path:
                patterns.setdefault(r.path, {})[r.http_method] = handler
            else:
                self.fixed.setdefault(r.path, {})[r.http_method] = handler
        for path, verbs in patterns.items():
            regex, _, _ = compile_path(path)
            self.templated.append((regex, verbs))

    def _find(self, path: str) -> tuple[dict[str, Any] | None, dict[str, str]]:
        verbs = self.fixed.get(path)
        if verbs is not None:
            return verbs, {}
        for regex, verbs in self.templated:
            found = regex.match(path)
            if found:
                return verbs, found.groupdict()
        return None, {}

    def matches(self, scope: Any) -> tuple[Match, Any]:
        if scope["type"] != "http":
            return Match.NONE, {}
        verbs, params = self._find(scope["path"])
        if verbs is None:
            return Match.NONE, {}
        child = {"path_params": {**scope.get("path_params", {}), **params}, "endpoint": self}
        return (Match.FULL if scope["method"] in verbs else Match.PARTIAL), child

    async def handle(self, scope: Any, receive: Any, send: Any) -> None:
        verbs, _ = self._find(scope["path"])
        assert verbs is not None
        handler = verbs.get(scope["method"])
        if handler is None:
            allow = ", ".join(sorted(verbs))
            response = problem(
                405,
                "method_not_allowed",
                f"no operation {scope['method']} {scope['path']}",
                headers={"allow": allow},
            )
        else:
            response = await handler(Request(scope, receive))
        await response(scope, receive, send)


def _html_escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _static(name: str) -> bytes:
    return resources.files(__package__).joinpath("static", name).read_bytes()


def create_app(
    table: RouteTable,
    backend: Backend,
    *,
    authority: TokenAuthority | None,
    settings: EdgeSettings | None = None,
) -> Starlette:
    """The Starlette app serving ``table`` through ``backend`` (started in its lifespan)."""
    settings = settings or EdgeSettings()
    edge = _Edge(table, backend, authority, settings)
    routes: list[BaseRoute] = [
        Route("/openapi.json", edge.openapi, methods=["GET"]),
        Route("/healthz", edge.healthz, methods=["GET"]),
        Route("/metrics", edge.metrics, methods=["GET"]),
        Route("/", edge.page, methods=["GET"]),
        Route("/static/{name}", edge.asset, methods=["GET"]),
        WebSocketRoute("/ws/events", edge.events),
    ]
    if edge.mock:
        routes += [
            Route("/__mock/calls", edge.mock_calls, methods=["GET"]),
            Route("/__mock/reset", edge.mock_reset, methods=["POST"]),
        ]
    routes.append(_Operations(table, edge))
    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                allow_headers=[
                    "authorization",
                    "content-type",
                    "prefer",
                    "x-request-id",
                    MockBackend.SESSION_HEADER,
                ],
                expose_headers=["x-request-id"],
            )
        )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await backend.start()
        try:
            yield
        finally:
            await backend.stop()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        code = "not_found" if status == 404 else "method_not_allowed"
        headers = dict(getattr(exc, "headers", None) or {})
        return problem(
            status, code, f"no operation {request.method} {request.url.path}", headers=headers
        )

    app.add_exception_handler(404, not_found)
    app.add_exception_handler(405, not_found)
    return app
