"""The NATS transport: envelopes as JSON messages on a NATS server (``pip install
'specloom-runtime[nats]'``).

Subjects are in :mod:`specloom_runtime.transport.subjects`. A request is a NATS request/reply
whose body is the envelope's JSON (the same bytes as ``Envelope.model_dump_json()``); the reply
body is the response or error envelope. What each case becomes:

- no process subscribed to the subject: the server's no-responders status, turned at once into a
  ``service_unavailable`` error envelope (not a timeout);
- no reply within ``timeout_ms``: a ``timeout`` error envelope, on the caller's clock;
- a message over ``max_bytes`` or not a valid envelope: the host answers ``invalid_envelope``
  (when the message has a reply subject) and keeps serving;
- replicas of a module subscribe in the same queue group, so each request reaches one of them;
- closing the transport answers the requests still waiting for a reply ``service_unavailable``.

Callers share one wildcard inbox subscription per connection (a counter names each request's
reply subject). Deadlines are kept in one queue per timeout value, ``(deadline, token)`` in
order, under one timer that fires at the earliest deadline (and at least every 0.25 s, when
answered requests leave the queue). A host subscribes each endpoint itself, in the agent's queue
group, and starts each request eagerly in the subscription callback: a handler that never
suspends is served there, with no task and no timer; one that suspends continues in a task under
a deadline that cancels it at ``timeout_ms``.

Each hosted agent is also a service of the NATS services protocol: ``$SRV.PING``, ``$SRV.INFO``
and ``$SRV.STATS`` list the modules, their endpoints (one per contract method) and request
counts, for standard NATS tooling. The runtime answers them itself
(:mod:`specloom_runtime.transport.discovery`, the shapes ``nats.micro`` produces), without
micro's per-request path; ``num_errors`` stays 0: error replies are envelopes, counted by the
runtime's metrics.

Priority: each hosting process serves its queue by priority (critical first, FIFO within one),
``concurrency`` requests at a time. The broker itself has no priorities: a low-priority request
already running, or queued in another replica, is not overtaken; priority orders work only where
it waits, inside one process.

With a ``signer`` (:mod:`specloom_runtime.signing`; ``connect`` takes it from the environment)
every request, reply and event is signed, and a host rejects an unsigned, forged, tampered or
replayed request before it reaches the work queue: an ``unauthorized`` error reply and a
``Runtime@1.security_violation`` event. Callers reject unsigned, forged or tampered replies the
same way (``unauthorized``, "reply rejected: ..."), subscribers such events.

Events are published on their subject; a subscriber with a ``group`` (the module's agent id)
shares one queue-group subscription with its replicas. With ``durable_events=True`` events go to
a JetStream stream (``<system>_events``, created if missing) and grouped subscribers read them
through a durable pull consumer named after the group and topic (replicas fetch from the same
one, and each event is acknowledged after its callback ran), so a module restarted later still
receives what was published while it was down.
"""

from __future__ import annotations

import asyncio
import collections
import contextvars
import itertools
import logging
import re
import time
import types
from collections.abc import Awaitable, Callable, Coroutine, Generator, Sequence
from types import TracebackType
from typing import Any, Self

import nats
import nats.errors
import nats.js.errors
from nats.aio.client import Client as NatsClient
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from pydantic import BaseModel, ConfigDict, ValidationError

from .. import __version__
from ..bus import _Job, _Mailbox, error_reply, invalid_handler_reply, timeout_reply
from ..envelope import Envelope, Payload, utc_timestamp
from ..errors import SpecloomError, validation_details
from ..signing import Signer
from .base import Handler, Observed, Route, Subscriber
from .discovery import Endpoint, Service
from .subjects import agent_subject, event_subject, request_subject, rpc_group, rpc_subject

__all__ = ["DEFAULT_MAX_BYTES", "SECURITY_TOPIC", "NatsTransport"]

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 1024 * 1024
#: Topic of the events a transport publishes when it rejects an envelope (signing).
SECURITY_TOPIC = "Runtime@1.security_violation"
_SERVICE_NAME = re.compile(r"[^A-Za-z0-9_-]")


class _Probe(BaseModel):
    """What can be read from a message that is not a valid envelope, to address the error."""

    model_config = ConfigDict(extra="ignore")
    source_agent: str = "unknown"
    target_agent: str = "unknown"
    correlation_id: str = "unknown"


def _invalid_reply(data: bytes, agent: str, message: str, details: dict[str, Any]) -> Envelope:
    try:
        probe = _Probe.model_validate_json(data)
    except ValidationError:
        probe = _Probe()
    payload = Payload(
        action="custom",
        data={"code": "invalid_envelope", "message": message, "details": details},
    )
    return Envelope(
        timestamp=utc_timestamp(),
        source_agent=(probe.target_agent or agent)[:200] or "unknown",
        target_agent=(probe.source_agent or "unknown")[:200] or "unknown",
        message_type="error",
        correlation_id=(probe.correlation_id or "unknown")[:200] or "unknown",
        payload=payload,
    )


_to_json = Envelope.__pydantic_serializer__.to_json
_validate_json = Envelope.model_validate_json
_REPLY_TYPES = ("response", "error")
_STATUS = "Status"  # the header of a NATS status message (nats.js.api.Header.STATUS)
_NO_RESPONDERS = "503"  # its value when no subscriber took a request


def _dump(envelope: Envelope) -> bytes:
    """The envelope's JSON, the bytes of ``envelope.model_dump_json().encode()``."""
    return _to_json(envelope)


#: Longest time between two sweeps of a deadline queue (answered requests leave it then).
_SWEEP = 0.25

#: What a request still waiting for its reply gets when the transport closes.
_CLOSED: Any = object()


@types.coroutine
def _resume(coro: Coroutine[Any, Any, None], waiter: Any) -> Generator[Any, Any, None]:
    """The rest of a coroutine whose first step already ran and yielded ``waiter``, as a
    Task would have driven it (values sent in, exceptions and cancellation thrown in)."""
    yielded = waiter
    while True:
        try:
            sent = yield yielded
        except BaseException as exc:  # noqa: BLE001 - cancellation goes to the coroutine
            try:
                yielded = coro.throw(exc)
            except StopIteration:
                return
        else:
            try:
                yielded = coro.send(sent)
            except StopIteration:
                return


class _HostMailbox(_Mailbox):
    """The work queue of an agent hosted on NATS: each job is answered by publishing its reply
    to the request's reply subject, from the task that served it (no future, no callback).

    A served job has one deadline timer that cancels its handler at ``timeout_ms`` (the reply
    is then ``timeout``; the caller has given up on its own clock by then). A queued job whose
    deadline passes is dropped when its turn comes: it never runs.
    """

    __slots__ = ("transport",)

    def __init__(self, agent_id: str, handler: Handler, limit: int, transport: NatsTransport):
        super().__init__(agent_id, handler, limit)
        self.transport = transport

    def _start(self, job: _Job, loop: asyncio.AbstractEventLoop) -> None:
        # Eager start: the first step of the job runs here, in the subscription callback, in a
        # context of its own. A handler that never suspends (and a publish that does not wait)
        # is served with no task and no deadline timer; one that suspends continues in a task
        # (same context) with one deadline timer that cancels it at ``timeout_ms``.
        self.running += 1
        context = contextvars.copy_context()
        coro = self._serve(job)
        try:
            waiter = context.run(coro.send, None)
        except StopIteration:
            return
        task = loop.create_task(_resume(coro, waiter), context=context)
        job.task = task
        self.tasks.add(task)
        job.timer = loop.call_at(job.deadline, task.cancel)

    def _release(self, job: _Job) -> None:
        task = job.task
        if task is None:  # served in its first step: it never had a task
            self.running -= 1
            if self.queue and self.running < self.limit:
                self._pump(asyncio.get_running_loop())
            return
        super()._release(job)

    async def _serve(self, job: _Job) -> None:
        request = job.envelope
        loop = asyncio.get_running_loop()
        try:
            try:
                # answer(), inline: one frame less per request
                reply = await self.handler(request)
                if (
                    type(reply) is not Envelope
                    and not isinstance(reply, Envelope)
                    or reply.correlation_id != request.correlation_id
                    or reply.message_type not in _REPLY_TYPES
                ):
                    reply = invalid_handler_reply(request, self.agent_id, reply)
            except Exception as exc:
                if not isinstance(exc, SpecloomError | NotImplementedError):
                    logger.exception("handler of %r failed", self.agent_id)
                reply = error_reply(request, exc)
            except asyncio.CancelledError:
                task = job.task
                if task is None or loop.time() < job.deadline or task.uncancel() > 0:
                    # not our deadline (close() gave up on it, or its task is being stopped)
                    self.transport._reply(
                        job.reply_to, request.make_error("internal_error", "handler cancelled", {})
                    )
                    raise
                reply = timeout_reply(request)
            finally:
                if job.timer is not None:
                    job.timer.cancel()
            transport = self.transport
            nc = transport._nc
            if transport._observers or transport.signer is not None or nc is None:
                await transport._send(job.reply_to, reply)
            elif job.reply_to:  # _send, inline
                try:
                    await nc.publish(job.reply_to, _to_json(reply))
                except Exception as exc:  # noqa: BLE001 - a lost connection must not kill it
                    logger.warning("reply not sent: %s", exc or type(exc).__name__)
        finally:
            self._release(job)  # after the reply went out: close() waits for it

    def _drop(self, job: _Job) -> None:
        self.transport._reply(job.reply_to, timeout_reply(job.envelope))

    def _answer_queued(self, job: _Job, reply: Envelope) -> None:
        self.transport._reply(job.reply_to, reply)


class _Hosted:
    """One agent served in this process: its work queue, its micro service, its subjects."""

    def __init__(self, agent_id: str, mailbox: _HostMailbox, routes: Sequence[Route]) -> None:
        self.agent_id = agent_id
        self.mailbox = mailbox
        self.routes = tuple(routes)
        self.service: Service | None = None


class NatsTransport(Observed):
    """Envelopes over a NATS server at ``url`` for the system ``system`` (its package name).

    ``token``/``user``/``password``: credentials of the server. ``concurrency``: requests each
    hosted agent serves at a time. ``max_bytes``: largest message a host accepts.
    """

    name = "nats"

    def __init__(
        self,
        url: str,
        *,
        system: str,
        token: str | None = None,
        user: str | None = None,
        password: str | None = None,
        concurrency: int = 16,
        max_bytes: int = DEFAULT_MAX_BYTES,
        durable_events: bool = False,
        client_name: str | None = None,
        signer: Signer | None = None,
    ) -> None:
        super().__init__()
        if not system.isidentifier():
            raise ValueError(f"invalid system name {system!r}")
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        self.url = url
        self.system = system
        self._auth = {"token": token, "user": user, "password": password}
        self._concurrency = concurrency
        self.max_bytes = max_bytes
        self.durable_events = durable_events
        self._client_name = client_name or f"{system}-runtime"
        self.signer = signer
        self._nc: NatsClient | None = None
        self._hosted: dict[str, _Hosted] = {}
        self._subscriptions: list[Subscription] = []
        self._pending: list[asyncio.Task[Any]] = []
        self._replies: set[asyncio.Task[None]] = set()
        self._fetchers: list[asyncio.Task[None]] = []
        self._closed = True
        self._stream_ready = False
        # Requests wait here, by the last token of their reply subject (see _request).
        self._inbox = ""
        self._waiting: dict[str, asyncio.Future[Msg | None]] = {}
        self._tokens = itertools.count(1)
        # Their deadlines: one queue per timeout_ms (requests with one timeout expire in the
        # order they were sent) and one timer per queue, not one per request (see _expire).
        self._deadlines: dict[int, collections.deque[tuple[float, str]]] = {}
        self._deadline_timers: dict[int, asyncio.TimerHandle] = {}
        #: Extra metadata of each agent's micro service (``$SRV.INFO``): agent id -> strings.
        #: Called when the service registers; ``serve`` reports process, mode and status here.
        self.metadata_for: Callable[[str], dict[str, str]] | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        if self._nc is not None and not self._closed:
            return

        async def on_error(exc: Exception) -> None:
            if self._nc is not None:  # the first connection's failure is raised below instead
                logger.warning("NATS %s: %s", self.url, exc or type(exc).__name__)

        async def on_disconnected() -> None:
            if not self._closed:
                logger.warning("NATS %s: disconnected, reconnecting", self.url)

        async def on_reconnected() -> None:
            logger.warning("NATS %s: reconnected", self.url)

        options: dict[str, Any] = {
            "servers": [self.url],
            "name": self._client_name,
            "allow_reconnect": True,
            "max_reconnect_attempts": 2,  # the first connection fails fast; see below
            "reconnect_time_wait": 0.25,
            "connect_timeout": 2,
            "error_cb": on_error,
            "disconnected_cb": on_disconnected,
            "reconnected_cb": on_reconnected,
        }
        options.update({k: v for k, v in self._auth.items() if v})
        try:
            self._nc = await nats.connect(**options)
        except (OSError, TimeoutError, nats.errors.Error) as exc:
            raise ConnectionError(f"cannot connect to NATS at {self.url}: {exc}") from None
        # Once connected, reconnect forever: a restarted server is found again.
        self._nc.options["max_reconnect_attempts"] = -1
        self._inbox = self._nc.new_inbox() + "."
        await self._nc.subscribe(self._inbox + "*", cb=self._on_reply)
        self._closed = False
        for hosted in self._hosted.values():
            self._pending.append(asyncio.ensure_future(self._serve(hosted)))

    async def ready(self) -> None:
        """Wait until every registration and subscription is in place on the server."""
        while self._pending:
            pending, self._pending = self._pending, []
            await asyncio.gather(*pending)
        if self._nc is not None and not self._closed:
            await self._nc.flush()

    async def close(self, drain_seconds: float = 5.0) -> None:
        """Stop taking requests, let running ones answer (up to ``drain_seconds``), then
        answer queued ones ``service_unavailable`` and disconnect."""
        if self._closed:
            return
        self._closed = True
        nc = self._nc
        for timer in self._deadline_timers.values():
            timer.cancel()
        self._deadline_timers.clear()
        self._deadlines.clear()
        for future in self._waiting.values():  # callers still waiting: answer them now
            if not future.done():
                future.set_result(_CLOSED)
        for task in self._pending + self._fetchers:
            task.cancel()
        await asyncio.gather(*self._pending, *self._fetchers, return_exceptions=True)
        self._pending, self._fetchers = [], []
        for hosted in self._hosted.values():
            if hosted.service is not None:
                try:
                    await hosted.service.stop()
                except Exception:  # noqa: BLE001 - a lost connection must not stop the close
                    logger.debug("stopping the service of %s failed", hosted.agent_id)
                hosted.service = None
        for sub in self._subscriptions:
            try:
                await sub.unsubscribe()
            except Exception:  # noqa: BLE001
                logger.debug("unsubscribe failed")
        self._subscriptions = []
        # Drain: queued requests still run as slots free up; wait for all of them (bounded).
        loop = asyncio.get_running_loop()
        end = loop.time() + drain_seconds
        mailboxes = [h.mailbox for h in self._hosted.values()]
        while loop.time() < end and any(m.tasks or m.queue for m in mailboxes):
            running = [t for m in mailboxes for t in m.tasks]
            if running:
                await asyncio.wait(running, timeout=max(0.0, end - loop.time()))
            else:
                await asyncio.sleep(0.01)
        for mailbox in mailboxes:
            mailbox.drain("service shutting down")
            late = list(mailbox.tasks)
            for task in late:
                task.cancel()
            if late:
                await asyncio.gather(*late, return_exceptions=True)
            mailbox.reap()
        if self._replies:
            await asyncio.gather(*self._replies, return_exceptions=True)
        if nc is not None:
            try:
                await nc.drain()
            except Exception:  # noqa: BLE001
                await nc.close()
        self._nc = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def connected(self) -> bool:
        return self._nc is not None and self._nc.is_connected

    @property
    def agents(self) -> tuple[str, ...]:
        return tuple(self._hosted)

    def _client(self) -> NatsClient:
        if self._nc is None or self._closed:
            raise RuntimeError("the NATS transport is not started")
        return self._nc

    # -- serving ---------------------------------------------------------------------------

    def register(
        self,
        agent_id: str,
        handler: Handler,
        *,
        concurrency: int | None = None,
        routes: Sequence[Route] = (),
    ) -> None:
        if not agent_id or agent_id == "*" or not re.fullmatch(r"[A-Za-z0-9_-]+", agent_id):
            raise ValueError(f"invalid agent id {agent_id!r}")
        if agent_id in self._hosted:
            raise ValueError(f"agent {agent_id!r} is already registered")
        limit = self._concurrency if concurrency is None else concurrency
        if limit < 1:
            raise ValueError("concurrency must be >= 1")
        hosted = _Hosted(agent_id, _HostMailbox(agent_id, handler, limit, self), routes)
        self._hosted[agent_id] = hosted
        if not self._closed:
            self._pending.append(asyncio.ensure_future(self._serve(hosted)))

    async def _serve(self, hosted: _Hosted) -> None:
        nc = self._client()
        service = Service(
            nc,
            name=_SERVICE_NAME.sub("_", f"{self.system}-{hosted.agent_id}"),
            version=__version__,
            description=f"{self.system} agent {hosted.agent_id}",
            metadata={
                "system": self.system,
                "agent": hosted.agent_id,
                **(self.metadata_for(hosted.agent_id) if self.metadata_for else {}),
            },
        )
        hosted.service = service
        await service.start()
        endpoints = [
            Endpoint(
                f"{contract}_v{version}_{method}",
                rpc_subject(self.system, contract, version, method),
                rpc_group(self.system, contract, version),
                {"contract": f"{contract}@{version}", "method": method},
            )
            for contract, version, method in hosted.routes
        ]
        endpoints.append(
            Endpoint(
                "agent",
                agent_subject(self.system, hosted.agent_id),
                f"{self.system}.agent.{hosted.agent_id}",
                None,
            )
        )
        for endpoint in endpoints:
            await service.add_endpoint(endpoint, self._on_msg(hosted, endpoint))

    def _on_msg(self, hosted: _Hosted, endpoint: Endpoint) -> Callable[[Msg], Awaitable[None]]:
        """The subscription callback of one endpoint: count the request, serve it."""
        on_request = self._on_request
        clock = time.perf_counter_ns

        async def on_msg(msg: Msg) -> None:
            start = clock()
            endpoint.num_requests += 1
            on_request(hosted, msg.data, msg.reply, msg.subject)
            endpoint.processing_time += clock() - start

        return on_msg

    def _on_request(self, hosted: _Hosted, data: bytes, reply_to: str, subject: str) -> None:
        if len(data) > self.max_bytes:
            self._reply(
                reply_to,
                _invalid_reply(
                    b"{}",
                    hosted.agent_id,
                    f"message of {len(data)} bytes exceeds the limit of {self.max_bytes}",
                    {"bytes": len(data), "max_bytes": self.max_bytes},
                ),
            )
            return
        try:
            envelope = _validate_json(data)
        except ValidationError as exc:
            details = validation_details(exc)
            self._reply(reply_to, _invalid_reply(data, hosted.agent_id, "not an envelope", details))
            return
        if envelope.message_type != "request":
            err = envelope.make_error(
                "invalid_envelope", f"not a request: {envelope.message_type!r}", {}
            )
            self._reply(reply_to, err)
            return
        if self.signer is not None:
            reason = self.signer.check(envelope)
            if reason is not None:  # deny by default: never reaches the implementation
                self._reply(reply_to, envelope.make_error("unauthorized", reason, {}))
                self._security_event(hosted.agent_id, reason, subject, envelope)
                return
        if self._observers:
            self._observe(envelope)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + envelope.timeout_ms / 1000
        hosted.mailbox.submit(_Job(envelope, None, deadline, reply_to), loop)

    async def _send(self, reply_to: str, envelope: Envelope) -> None:
        """Publish a served request's reply (in the task that served it)."""
        if self._observers:
            self._observe(envelope)
        nc = self._nc
        if not reply_to or nc is None:
            return
        if self.signer is not None:
            envelope = self.signer.sign(envelope)
        try:
            await nc.publish(reply_to, _dump(envelope))
        except Exception as exc:  # noqa: BLE001 - a lost connection must not kill the host
            logger.warning("reply not sent: %s", exc or type(exc).__name__)

    def _reply(self, reply_to: str, envelope: Envelope) -> None:
        """Publish a reply from outside a task that can await it (rejections, drops)."""
        if not reply_to or self._nc is None:
            return
        if self.signer is not None:
            envelope = self.signer.sign(envelope)
        task = asyncio.ensure_future(self._nc.publish(reply_to, _dump(envelope)))
        self._replies.add(task)
        task.add_done_callback(self._replied)

    def _replied(self, task: asyncio.Task[None]) -> None:
        self._replies.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.warning("reply not sent: %s", task.exception())

    def _security_event(
        self, agent: str, reason: str, subject: str, envelope: Envelope | None
    ) -> None:
        """Publish ``Runtime@1.security_violation`` for a rejected envelope (and log it)."""
        data = {
            "reason": reason,
            "subject": subject,
            "source_agent": envelope.source_agent if envelope else "",
            "correlation_id": envelope.correlation_id if envelope else "",
        }
        logger.warning("rejected an envelope on %s: %s", subject, reason)
        if self._nc is None or self._closed:
            return
        event = Envelope.make_event(agent, SECURITY_TOPIC, data)
        if self.signer is not None:
            event = self.signer.sign(event)
        task = asyncio.ensure_future(
            self._nc.publish(event_subject(self.system, SECURITY_TOPIC), _dump(event))
        )
        self._replies.add(task)
        task.add_done_callback(self._replied)

    def unregister(self, agent_id: str) -> None:
        hosted = self._hosted.pop(agent_id, None)
        if hosted is None:
            return
        hosted.mailbox.drain(f"agent {agent_id!r} left")
        if hosted.service is not None and not self._closed:
            self._pending.append(asyncio.ensure_future(hosted.service.stop()))
            hosted.service = None

    # -- calling ---------------------------------------------------------------------------

    async def request(self, envelope: Envelope) -> Envelope:
        # Request/reply on one wildcard inbox subscription, as nats-py's ``request`` does, but
        # with a counter for the token and one deadline timer: its ``request`` draws a NUID and
        # random bytes per call and waits through ``asyncio.wait_for``. One coroutine from the
        # caller's await to the reply.
        if envelope.message_type != "request":
            raise ValueError(f"not a request: {envelope.message_type!r}")
        nc = self._nc
        if nc is None or self._closed:
            raise RuntimeError("the NATS transport is not started")
        if self.signer is not None:
            envelope = self.signer.sign(envelope)
        if self._observers:
            self._observe(envelope)
        subject = request_subject(self.system, envelope)
        token = f"{next(self._tokens):x}"
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Msg | None] = loop.create_future()
        waiting = self._waiting
        waiting[token] = future
        timeout_ms = envelope.timeout_ms
        deadline = loop.time() + timeout_ms / 1000
        queue = self._deadlines.get(timeout_ms)
        if queue is None:
            queue = self._deadlines[timeout_ms] = collections.deque()
        queue.append((deadline, token))
        if timeout_ms not in self._deadline_timers:
            at = min(deadline, loop.time() + _SWEEP)
            self._deadline_timers[timeout_ms] = loop.call_at(at, self._expire, timeout_ms)
        try:
            await nc.publish(subject, _to_json(envelope), reply=self._inbox + token)
            msg = await future
        except nats.errors.MaxPayloadError as exc:
            reply = envelope.make_error(
                "invalid_envelope", f"request too large for the server: {exc}", {}
            )
        except (
            nats.errors.ConnectionClosedError,
            nats.errors.ConnectionReconnectingError,
            nats.errors.ConnectionDrainingError,
            nats.errors.OutboundBufferLimitError,
        ):
            reply = envelope.make_error(
                "service_unavailable", "not connected to NATS", {"url": self.url}
            )
        else:
            reply = self._read_reply(envelope, subject, msg)
        finally:
            waiting.pop(token, None)
        if self._observers:
            self._observe(reply)
        return reply

    def _expire(self, timeout_ms: int) -> None:
        """The timer of the requests with ``timeout_ms``: those whose deadline passed get no
        reply (``timeout``); answered ones are forgotten; the timer moves to the oldest
        request still waiting, and comes back at least every ``_SWEEP`` s so that the queue
        holds little more than the requests in flight."""
        queue = self._deadlines.get(timeout_ms)
        self._deadline_timers.pop(timeout_ms, None)
        if queue is None:
            return
        waiting = self._waiting
        loop = asyncio.get_running_loop()
        now = loop.time()
        while queue:
            deadline, token = queue[0]
            if token in waiting:
                if deadline > now + 1e-6:  # a timer may run a hair early
                    break
                future = waiting.pop(token)
                if not future.done():
                    future.set_result(None)
            queue.popleft()
        if not queue:
            del self._deadlines[timeout_ms]
            return
        at = min(queue[0][0], now + _SWEEP)
        self._deadline_timers[timeout_ms] = loop.call_at(at, self._expire, timeout_ms)

    async def _on_reply(self, msg: Msg) -> None:
        future = self._waiting.pop(msg.subject[len(self._inbox) :], None)
        if future is not None and not future.done():
            future.set_result(msg)

    def _read_reply(self, envelope: Envelope, subject: str, msg: Msg | None) -> Envelope:
        """The reply envelope of ``envelope`` from what arrived on its inbox (None: nothing
        within its deadline)."""
        if msg is None:
            return timeout_reply(envelope)
        if msg is _CLOSED:
            return envelope.make_error(
                "service_unavailable", "the NATS transport was closed", {"url": self.url}
            )
        headers = msg.headers
        if headers and headers.get(_STATUS) == _NO_RESPONDERS:
            return envelope.make_error(
                "service_unavailable",
                f"no process serves {subject}",
                {"subject": subject, "target_agent": envelope.target_agent},
            )
        try:
            reply = _validate_json(msg.data)
        except ValidationError as exc:
            return envelope.make_error(
                "internal_error", "the reply is not an envelope", validation_details(exc)
            )
        if reply.correlation_id != envelope.correlation_id or reply.message_type not in (
            "response",
            "error",
        ):
            return envelope.make_error(
                "internal_error",
                "the reply does not answer the request",
                {"correlation_id": reply.correlation_id, "message_type": reply.message_type},
            )
        if self.signer is not None:
            reason = self.signer.check(reply)
            if reason is not None:  # an unsigned, forged, tampered or replayed reply
                self._security_event(envelope.source_agent, reason, msg.subject, reply)
                return envelope.make_error("unauthorized", f"reply rejected: {reason}", {})
        return reply

    # -- events ----------------------------------------------------------------------------

    async def _stream(self) -> Any:
        js = self._client().jetstream()
        if not self._stream_ready:
            name = f"{self.system}_events"
            try:
                await js.stream_info(name)
            except nats.js.errors.NotFoundError:
                await js.add_stream(name=name, subjects=[f"{self.system}.events.>"])
            self._stream_ready = True
        return js

    def subscribe(
        self, topic: str, callback: Subscriber, *, group: str | None = None
    ) -> Callable[[], None]:
        subject = event_subject(self.system, topic)
        holder: list[Any] = []

        async def on_msg(msg: Msg) -> None:
            try:
                envelope = Envelope.model_validate_json(msg.data)
            except ValidationError:
                logger.warning("dropped an invalid event on %s", msg.subject)
                if self.durable_events and group:
                    await msg.ack()
                return
            if self.signer is not None and envelope.topic != SECURITY_TOPIC:
                reason = self.signer.check(envelope)
                if reason is not None:
                    self._security_event(group or "subscriber", reason, msg.subject, envelope)
                    if self.durable_events and group:
                        await msg.ack()
                    return
            if envelope.message_type == "event":
                if self._observers:
                    self._observe(envelope)
                try:
                    await callback(envelope)
                except Exception:
                    logger.exception("subscriber failed on %s", msg.subject)
            if self.durable_events and group:
                await msg.ack()

        async def start() -> None:
            nc = self._client()
            if self.durable_events and group:
                # A pull consumer: the module's replicas fetch from one durable consumer, which
                # keeps what was published while none of them ran.
                js = await self._stream()
                durable = _SERVICE_NAME.sub("_", f"{group}-{topic}")
                psub = await js.pull_subscribe(subject, durable=durable)
                self._fetchers.append(asyncio.ensure_future(self._fetch(psub, on_msg)))
                holder.append(psub)
                return
            sub = await nc.subscribe(subject, queue=group or "", cb=on_msg)
            holder.append(sub)
            self._subscriptions.append(sub)

        self._pending.append(asyncio.ensure_future(start()))

        def unsubscribe() -> None:
            for sub in holder:
                if sub in self._subscriptions:
                    self._subscriptions.remove(sub)
                    asyncio.ensure_future(sub.unsubscribe())

        return unsubscribe

    async def _fetch(self, psub: Any, on_msg: Callable[[Msg], Awaitable[None]]) -> None:
        while not self._closed:
            try:
                msgs = await psub.fetch(batch=16, timeout=0.5)
            except (TimeoutError, nats.errors.TimeoutError):
                continue
            except (nats.errors.ConnectionClosedError, nats.errors.ConnectionReconnectingError):
                await asyncio.sleep(0.1)
                continue
            for msg in msgs:
                await on_msg(msg)

    async def publish(self, envelope: Envelope) -> int:
        if envelope.message_type != "event":
            raise ValueError(f"not an event: {envelope.message_type!r}")
        topic = envelope.topic
        if topic is None:
            raise ValueError("an event needs a topic")
        if self.signer is not None:
            envelope = self.signer.sign(envelope)
        if self._observers:
            self._observe(envelope)
        subject = event_subject(self.system, topic)
        if self.durable_events:
            js = await self._stream()
            await js.publish(subject, _dump(envelope))
        else:
            await self._client().publish(subject, _dump(envelope))
        return 1

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<NatsTransport {self.url} {state} agents={list(self._hosted)}>"
