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
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import parse_qsl

from prometheus_client import REGISTRY, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route, WebSocketRoute, compile_path
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket, WebSocketDisconnect

from ..envelope import Envelope, new_correlation_id
from ..errors import DeclaredError, SpecloomError
from .auth import AuthError, TokenAuthority
from .backends import Backend, MockBackend, PreferError, parse_prefer
from .problem import STATUS_OF_CODE, Parts, problem, problem_parts
from .routes import Route as ApiRoute
from .routes import RouteTable

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
_SESSION = MockBackend.SESSION_HEADER.encode("ascii")


@dataclass(frozen=True)
class EdgeSettings:
    max_body_bytes: int = 1 << 20
    timeout_ms: int = 5000
    cors_origins: tuple[str, ...] = ()
    title: str = ""
    mode: str = "gateway"  # or "mock"
    extra: Mapping[str, Any] = field(default_factory=dict)


Handler = Callable[[Scope, Receive, Send, dict[str, str]], Awaitable[None]]


class _Disconnected(Exception):
    """The client left before its request body arrived: nobody to answer."""


class _Head:
    """The request headers an operation reads, picked from the ASGI scope in one pass (the
    first of repeated ones, as Starlette's ``Headers.get``)."""

    __slots__ = ("authorization", "content_length", "prefer", "request_id", "session")

    def __init__(self, raw: Iterable[tuple[bytes, bytes]]) -> None:
        self.authorization: str | None = None
        self.content_length: str | None = None
        self.prefer: str | None = None
        self.request_id: str | None = None
        self.session: str | None = None
        for name, value in raw:
            if name == b"authorization":
                if self.authorization is None:
                    self.authorization = value.decode("latin-1")
            elif name == b"content-length":
                if self.content_length is None:
                    self.content_length = value.decode("latin-1")
            elif name == b"x-request-id":
                if self.request_id is None:
                    self.request_id = value.decode("latin-1")
            elif name == b"prefer":
                if self.prefer is None:
                    self.prefer = value.decode("latin-1")
            elif name == _SESSION and self.session is None:
                self.session = value.decode("latin-1")


def _json_float(text: str) -> int | float:
    """A JSON number with a fraction or exponent: an int when it is a whole number (JSON
    Schema counts 2.0 as an integer), in the form the providers' strict models accept."""
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


_DECODER = json.JSONDecoder(parse_float=_json_float)  # made once: json.loads(..., parse_float)
# would build a decoder per call


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
    #
    # The hot path is plain ASGI: the few headers an operation reads are picked from the scope
    # in one pass, the body is read from ``receive``, the answer is two ``send`` messages; no
    # Request/Response objects and no middleware layers (the front dispatcher answers before
    # Starlette's stack, see :class:`_EdgeApp`).

    def endpoint(self, route: ApiRoute) -> Handler:
        op = f"{route.key}.{route.method}"
        counters: dict[int, Any] = {}
        latency = LATENCY.labels(op)

        async def handle(scope: Scope, receive: Receive, send: Send, path: dict[str, str]) -> None:
            started = time.perf_counter()
            head = _Head(scope["headers"])
            given = head.request_id
            rid = given if given and _REQUEST_ID.fullmatch(given) else secrets.token_hex(8)
            try:
                (status, body, headers), cid = await self._operation(
                    route, scope, receive, head, path, rid
                )
            except _Disconnected:
                return
            except Exception:
                log.exception("request_id=%s %s failed", rid, op)
                (status, body, headers), cid = (
                    problem_parts(500, "internal_error", "internal error", request_id=rid),
                    "",
                )
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            counter = counters.get(status)
            if counter is None:
                counter = counters[status] = REQUESTS.labels(op, str(status))
            counter.inc()
            elapsed = time.perf_counter() - started
            latency.observe(elapsed)
            if log.isEnabledFor(logging.INFO):
                log.info(
                    "request_id=%s correlation_id=%s %s %s -> %d in %.1f ms",
                    rid,
                    cid or "-",
                    scope["method"],
                    scope["path"],
                    status,
                    elapsed * 1000,
                )

        return handle

    async def _operation(
        self,
        route: ApiRoute,
        scope: Scope,
        receive: Receive,
        head: _Head,
        path_values: dict[str, str],
        rid: str,
    ) -> tuple[Parts, str]:
        """The answer to one operation request, and the correlation id of the request envelope
        when it was forwarded ("" when it was refused before that)."""
        where: str = scope["path"]
        if self.authority is not None:
            try:
                self.authority.check(head.authorization, route.scope, route.method)
            except AuthError as exc:
                headers = {"www-authenticate": 'Bearer realm="api"'} if exc.status == 401 else {}
                code = "unauthorized" if exc.status == 401 else "forbidden"
                return problem_parts(
                    exc.status, code, exc.detail, request_id=rid, headers=headers
                ), ""
        body: Any = None
        if route.has_body:
            raw = await self._read(receive, head.content_length)
            if raw is None:
                return problem_parts(
                    413,
                    "body_too_large",
                    f"the body is larger than {self.settings.max_body_bytes} bytes",
                    request_id=rid,
                    instance=where,
                ), ""
            if raw.strip():
                try:
                    body = _DECODER.decode(raw.decode(json.detect_encoding(raw), "surrogatepass"))
                except (ValueError, UnicodeDecodeError):
                    return problem_parts(
                        400, "invalid_json", "the body is not JSON", request_id=rid, instance=where
                    ), ""
                if not isinstance(body, dict):
                    return problem_parts(
                        400,
                        "invalid_json",
                        "the body must be a JSON object of the parameters",
                        request_id=rid,
                        instance=where,
                    ), ""
        query = scope.get("query_string", b"")
        params = route.gather(
            path_values,
            parse_qsl(query.decode("latin-1"), keep_blank_values=True) if query else (),
            body,
            self.table.components,
        )
        errors = route.param_errors(params)
        if errors:
            return problem_parts(
                422,
                "invalid_params",
                f"the parameters of {route.key}.{route.method} break its schema",
                request_id=rid,
                instance=where,
                extra={"errors": errors},
            ), ""
        cid = new_correlation_id()
        try:
            if self.mock:
                assert isinstance(self.backend, MockBackend)
                result = await self.backend.call(
                    route.key,
                    route.method,
                    params,
                    timeout_ms=self.settings.timeout_ms,
                    correlation_id=cid,
                    session=head.session or "default",
                    prefer=parse_prefer(head.prefer),
                    error_statuses=route.errors,
                )
            else:
                result = await self.backend.call(
                    route.key,
                    route.method,
                    params,
                    timeout_ms=self.settings.timeout_ms,
                    correlation_id=cid,
                )
        except PreferError as exc:
            return problem_parts(
                400, "prefer_unsatisfiable", str(exc), request_id=rid, instance=where
            ), ""
        except SpecloomError as exc:
            return self._error(route, exc, rid, cid, where), cid
        result_errors = route.result_errors(result)
        if result_errors:
            log.error(
                "request_id=%s correlation_id=%s %s.%s broke its return schema",
                rid,
                cid,
                route.key,
                route.method,
            )
            return problem_parts(
                502,
                "contract_violation",
                f"{route.key}.{route.method} returned a result that breaks the contract",
                request_id=rid,
                correlation_id=cid,
                instance=where,
                extra={"errors": result_errors},
            ), cid
        data = json.dumps(result, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        raw_headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(data)).encode("ascii")),
            (b"x-request-id", rid.encode("ascii")),
        ]
        return (200, data, raw_headers), cid

    async def _read(self, receive: Receive, length: str | None) -> bytes | None:
        """The request body, or None when it is larger than the limit."""
        limit = self.settings.max_body_bytes
        if length is not None and length.isdigit() and int(length) > limit:
            return None
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected
            chunk: bytes = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            if not message.get("more_body", False):
                if not chunks:
                    return chunk
                chunks.append(chunk)
                return b"".join(chunks)
            chunks.append(chunk)

    def _error(self, route: ApiRoute, exc: SpecloomError, rid: str, cid: str, where: str) -> Parts:
        if isinstance(exc, DeclaredError) and exc.code in route.errors:
            return problem_parts(
                route.errors[exc.code],
                exc.code,
                exc.message,
                request_id=rid,
                correlation_id=cid,
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
            log.warning(
                "request_id=%s correlation_id=%s %s.%s: %s %s",
                rid,
                cid,
                route.key,
                route.method,
                exc.code,
                exc,
            )
        detail = exc.message if status < 500 or status in (503, 504) else f"{exc.code}"
        return problem_parts(
            status,
            exc.code,
            detail,
            request_id=rid,
            correlation_id=cid,
            instance=where,
            extra=extra,
        )

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


class _Operations:
    """Every operation of the table: a dict lookup for fixed paths (most of them), the
    templates' patterns for the others; 405 with ``Allow`` for a known path."""

    def __init__(self, table: RouteTable, edge: _Edge) -> None:
        self.fixed: dict[str, dict[str, Handler]] = {}
        self.templated: list[tuple[re.Pattern[str], dict[str, Handler]]] = []
        patterns: dict[str, dict[str, Handler]] = {}
        for r in table:
            handler = edge.endpoint(r)
            if "{" in r.path:
                patterns.setdefault(r.path, {})[r.http_method] = handler
            else:
                self.fixed.setdefault(r.path, {})[r.http_method] = handler
        for path, verbs in patterns.items():
            regex, _, _ = compile_path(path)
            self.templated.append((regex, verbs))

    def find(self, path: str) -> tuple[dict[str, Handler] | None, dict[str, str]]:
        verbs = self.fixed.get(path)
        if verbs is not None:
            return verbs, {}
        for regex, verbs in self.templated:
            found = regex.match(path)
            if found:
                return verbs, found.groupdict()
        return None, {}


class _Front:
    """Pure ASGI: an operation's request goes straight to its handler; anything else (the page,
    ``/openapi.json``, ``/metrics``, the WebSocket, unknown paths, lifespan) to Starlette."""

    def __init__(self, operations: _Operations, app: ASGIApp) -> None:
        self.operations = operations
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            verbs, path = self.operations.find(scope["path"])
            if verbs is not None:
                handler = verbs.get(scope["method"])
                if handler is not None:
                    await handler(scope, receive, send, path)
                    return
                allow = ", ".join(sorted(verbs))
                response = problem(
                    405,
                    "method_not_allowed",
                    f"no operation {scope['method']} {scope['path']}",
                    headers={"allow": allow},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class _EdgeApp(Starlette):
    """Starlette with the operations answered in front of its middleware stack (inside CORS,
    when CORS is configured)."""

    def __init__(
        self,
        operations: _Operations,
        cors: Mapping[str, Any] | None,
        **kwargs: Any,
    ) -> None:
        self._operations = operations
        self._cors = cors
        super().__init__(**kwargs)

    def build_middleware_stack(self) -> ASGIApp:
        app: ASGIApp = _Front(self._operations, super().build_middleware_stack())
        if self._cors is not None:
            app = CORSMiddleware(app, **self._cors)
        return app


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
    cors: dict[str, Any] | None = None
    if settings.cors_origins:
        cors = {
            "allow_origins": list(settings.cors_origins),
            "allow_methods": ["GET", "POST", "PUT", "PATCH", "DELETE"],
            "allow_headers": [
                "authorization",
                "content-type",
                "prefer",
                "x-request-id",
                MockBackend.SESSION_HEADER,
            ],
            "expose_headers": ["x-request-id"],
        }

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await backend.start()
        try:
            yield
        finally:
            await backend.stop()

    app = _EdgeApp(_Operations(table, edge), cors, routes=routes, lifespan=lifespan)

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
