"""In-process asyncio message bus: request/response routed by ``target_agent``, and events.

The in-process :class:`~specloom_runtime.transport.Transport` (the default; no server).

Each registered agent has a mailbox: a priority queue (critical > high > medium > low, FIFO
within a priority) and a concurrency limit. A request starts at once while the agent has a free
slot; otherwise it waits in the queue and is dispatched as slots free up, so a handler that calls
another agent (or its own) never deadlocks the bus. A caller waits at most ``timeout_ms``: then it
gets a ``timeout`` error envelope, the handler task is cancelled, and a request still queued is
dropped without running. Handler exceptions become error envelopes; ``request`` never raises for
remote failures.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from heapq import heappop, heappush
from types import TracebackType
from typing import Any, Self

from .envelope import PRIORITY_RANK, Envelope
from .errors import SpecloomError
from .transport.base import Handler, Observed, Observer, Route, Subscriber

__all__ = [
    "Bus",
    "Handler",
    "Observer",
    "Subscriber",
    "answer",
    "error_reply",
    "invalid_handler_reply",
    "timeout_reply",
]

logger = logging.getLogger(__name__)


def error_reply(request: Envelope, exc: BaseException) -> Envelope:
    """The error envelope answering ``request`` for an exception raised while serving it."""
    if isinstance(exc, SpecloomError):
        return request.make_error(exc.code, exc.message, exc.details)
    if isinstance(exc, NotImplementedError):
        return request.make_error("not_implemented", str(exc) or "not implemented", {})
    name = type(exc).__name__
    return request.make_error("internal_error", f"{name}: {exc}", {"exception": name})


def timeout_reply(request: Envelope) -> Envelope:
    """The ``timeout`` error envelope answering ``request`` at its deadline."""
    timeout_ms = request.timeout_ms
    return request.make_error(
        "timeout", f"no reply within {timeout_ms} ms", {"timeout_ms": timeout_ms}
    )


async def answer(handler: Handler, agent_id: str, request: Envelope) -> Envelope:
    """Await ``handler(request)``: its reply, or the error envelope of what went wrong (an
    exception, or a reply that does not answer ``request``). Cancellation propagates."""
    try:
        reply = await handler(request)
    except Exception as exc:
        if not isinstance(exc, SpecloomError | NotImplementedError):
            logger.exception("handler of %r failed", agent_id)
        return error_reply(request, exc)
    if (
        not isinstance(reply, Envelope)
        or reply.correlation_id != request.correlation_id
        or reply.message_type not in ("response", "error")
    ):
        return invalid_handler_reply(request, agent_id, reply)
    return reply


def invalid_handler_reply(request: Envelope, agent_id: str, reply: object) -> Envelope:
    return request.make_error(
        "internal_error",
        f"handler of {agent_id!r} returned an invalid reply",
        {"reply_type": type(reply).__name__},
    )


class _Job:
    """One request waiting in or served by a mailbox. ``future``: where the in-process caller
    waits (None when the reply goes elsewhere, e.g. over NATS to ``reply_to``)."""

    __slots__ = ("__weakref__", "deadline", "envelope", "future", "reply_to", "task", "timer")

    def __init__(
        self,
        envelope: Envelope,
        future: asyncio.Future[Envelope] | None,
        deadline: float,
        reply_to: str = "",
    ) -> None:
        self.envelope = envelope
        self.future = future
        self.deadline = deadline
        self.reply_to = reply_to
        self.task: asyncio.Task[Any] | None = None
        self.timer: asyncio.TimerHandle | None = None


def _expire(job: _Job) -> None:
    """The deadline of a job whose caller waits on its future: answer ``timeout``, stop it."""
    future = job.future
    if future is not None and not future.done():
        future.set_result(timeout_reply(job.envelope))
    if job.task is not None:
        job.task.cancel()


def _expire_inline(job: _Job) -> None:
    """The deadline of a request served in its caller's task: mark it, cancel the handler."""
    job.deadline = -1.0
    if job.task is not None:
        job.task.cancel()


class _Mailbox:
    """Priority queue, concurrency limit and running handler tasks of one agent.

    ``submit`` starts a job at once while a slot is free, else queues it by priority; a task
    that ends frees its slot in its own ``finally`` (no done callback) and starts the next
    queued job. Subclasses change how a job is served and answered (:meth:`_serve`) and what a
    job dropped from the queue gets (:meth:`_drop`).
    """

    __slots__ = (
        "agent_id",
        "closing",
        "handler",
        "inline",
        "limit",
        "queue",
        "running",
        "seq",
        "tasks",
    )

    def __init__(self, agent_id: str, handler: Handler, limit: int) -> None:
        self.agent_id = agent_id
        self.handler = handler
        self.limit = limit
        self.running = 0
        self.seq = 0
        self.queue: list[tuple[int, int, _Job]] = []
        self.tasks: set[asyncio.Task[Any]] = set()
        self.inline: set[asyncio.Task[Any]] = set()  # callers' tasks running a handler inline
        self.closing: set[_Job] = set()  # inline jobs that close() cancels

    def submit(self, job: _Job, loop: asyncio.AbstractEventLoop) -> None:
        if self.running < self.limit and not self.queue:
            self._start(job, loop)
        else:
            self.seq += 1
            heappush(self.queue, (PRIORITY_RANK[job.envelope.priority], self.seq, job))

    def _start(self, job: _Job, loop: asyncio.AbstractEventLoop) -> None:
        self.running += 1
        task = loop.create_task(self._serve(job))
        job.task = task
        self.tasks.add(task)

    def _release(self, job: _Job) -> None:
        """A job's task ends: free its slot, start what waits. Called in the task's finally."""
        task = job.task
        if task in self.tasks:
            self.tasks.discard(task)
            self.running -= 1
        if self.queue and self.running < self.limit:
            self._pump(asyncio.get_running_loop())

    def reap(self) -> None:
        """Free the slots of tasks that were cancelled before they ever ran (their ``finally``
        never did): call after cancelling and awaiting :attr:`tasks`."""
        for task in [t for t in self.tasks if t.done()]:
            self.tasks.discard(task)
            self.running -= 1

    def _pump(self, loop: asyncio.AbstractEventLoop) -> None:
        now = loop.time()
        while self.queue and self.running < self.limit:
            job = heappop(self.queue)[2]
            if job.future is not None and job.future.done():  # timed out or abandoned: drop
                continue
            if job.deadline <= now:
                self._drop(job)
                continue
            self._start(job, loop)

    def _drop(self, job: _Job) -> None:
        """A queued job whose deadline passed before it could start."""
        _expire(job)

    async def _serve(self, job: _Job) -> None:
        request = job.envelope
        future = job.future
        assert future is not None
        try:
            reply = await answer(self.handler, self.agent_id, request)
        except asyncio.CancelledError:
            if not future.done():
                future.set_result(request.make_error("internal_error", "handler cancelled", {}))
            raise
        finally:
            self._release(job)
        if not future.done():
            future.set_result(reply)

    def drain(self, reason: str) -> None:
        """Answer every queued request with ``unknown_target`` (agent gone or bus closed)."""
        queue, self.queue = self.queue, []
        for _, _, job in queue:
            self._answer_queued(
                job, job.envelope.make_error("unknown_target", reason, {"agent": self.agent_id})
            )

    def _answer_queued(self, job: _Job, reply: Envelope) -> None:
        if job.future is not None and not job.future.done():
            job.future.set_result(reply)


class Bus(Observed):
    """In-process message bus. Usable at once; ``close()`` cancels in-flight work.

    ``concurrency`` is the default number of requests an agent serves at the same time.
    """

    name = "in-process"

    def __init__(self, *, concurrency: int = 16) -> None:
        super().__init__()
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        self._concurrency = concurrency
        self._mailboxes: dict[str, _Mailbox] = {}
        self._inflight: dict[str, _Job] = {}
        self._subscribers: dict[str, list[Subscriber]] = {}
        self._closed = False

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Open the bus (it is open after construction; this re-opens a closed bus)."""
        self._closed = False

    async def ready(self) -> None:
        """Registrations take effect at once in-process: nothing to wait for."""

    async def close(self) -> None:
        """Fail waiting requests, cancel running handlers and wait for them to finish."""
        self._closed = True
        for mailbox in self._mailboxes.values():
            mailbox.drain("bus closed")
        for job in list(self._inflight.values()):
            if job.future is not None and not job.future.done():
                job.future.set_result(job.envelope.make_error("internal_error", "bus closed", {}))
        for job in list(self._inflight.values()):
            if job.future is None and job.task is not None:  # inline: the caller's own task
                for mailbox in self._mailboxes.values():
                    if job.task in mailbox.inline:
                        mailbox.closing.add(job)
                job.task.cancel()
        tasks = [task for mailbox in self._mailboxes.values() for task in mailbox.tasks]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        for mailbox in self._mailboxes.values():
            mailbox.reap()
        # Inline handlers run in their callers' tasks: wait (bounded) until they have left.
        me = asyncio.current_task()
        loop = asyncio.get_running_loop()
        end = loop.time() + 5.0
        while loop.time() < end and any(m.inline - {me} for m in self._mailboxes.values()):
            await asyncio.sleep(0.001)

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

    # -- agents ----------------------------------------------------------------------------

    def register(
        self,
        agent_id: str,
        handler: Handler,
        *,
        concurrency: int | None = None,
        routes: Sequence[Route] = (),
    ) -> None:
        """Route requests whose ``target_agent`` is ``agent_id`` to ``handler`` (``routes``
        matter to a broker; in-process the agent id routes)."""
        if not agent_id or agent_id == "*":
            raise ValueError(f"invalid agent id {agent_id!r}")
        if agent_id in self._mailboxes:
            raise ValueError(f"agent {agent_id!r} is already registered")
        limit = self._concurrency if concurrency is None else concurrency
        if limit < 1:
            raise ValueError("concurrency must be >= 1")
        self._mailboxes[agent_id] = _Mailbox(agent_id, handler, limit)

    def unregister(self, agent_id: str) -> None:
        """Remove an agent; its queued requests get ``unknown_target``, running ones finish."""
        mailbox = self._mailboxes.pop(agent_id, None)
        if mailbox is not None:
            mailbox.drain(f"agent {agent_id!r} left the bus")

    @property
    def agents(self) -> tuple[str, ...]:
        """Ids of the registered agents, in registration order."""
        return tuple(self._mailboxes)

    # -- request / response ----------------------------------------------------------------

    async def request(self, envelope: Envelope) -> Envelope:
        """Send a request and return its response or error envelope (never raises for those).

        Raises ``ValueError`` for a non-request envelope or a correlation id already in flight,
        ``RuntimeError`` on a closed bus.
        """
        if self._closed:
            raise RuntimeError("the bus is closed")
        if envelope.message_type != "request":
            raise ValueError(f"not a request: {envelope.message_type!r}")
        if self._observers:
            self._observe(envelope)
        mailbox = self._mailboxes.get(envelope.target_agent)
        if mailbox is None:
            target = envelope.target_agent
            reply = envelope.make_error(
                "unknown_target", f"no agent {target!r} on the bus", {"target_agent": target}
            )
        else:
            if (cid := envelope.correlation_id) in self._inflight:
                raise ValueError(f"correlation id {cid!r} is already in flight")
            if mailbox.running < mailbox.limit and not mailbox.queue:
                reply = await self._inline(envelope, mailbox)
            else:
                reply = await self._queued(envelope, mailbox)
        if self._observers:
            self._observe(reply)
        return reply

    async def _queued(self, envelope: Envelope, mailbox: _Mailbox) -> Envelope:
        """The slow path: no free slot, so the request waits in the mailbox's queue and a task
        serves it; the caller waits on a future under one deadline timer."""
        correlation_id = envelope.correlation_id
        inflight = self._inflight
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Envelope] = loop.create_future()
        deadline = loop.time() + envelope.timeout_ms / 1000
        job = _Job(envelope, future, deadline)
        timer = loop.call_at(deadline, _expire, job)
        inflight[correlation_id] = job
        try:
            mailbox.submit(job, loop)
            return await future
        except asyncio.CancelledError:
            if job.task is not None:  # the caller gave up: stop serving its request
                job.task.cancel()
            raise
        finally:
            timer.cancel()
            del inflight[correlation_id]

    async def _inline(self, envelope: Envelope, mailbox: _Mailbox) -> Envelope:
        """The fast path: a free slot, so the handler runs in the caller's task, under one
        deadline (no task, future or second timer). Same replies as the queued path: the
        timeout envelope at the deadline, an error envelope for a failure, ``bus closed`` when
        :meth:`close` cancels it."""
        task = asyncio.current_task()
        assert task is not None
        correlation_id = envelope.correlation_id
        job = _Job(envelope, None, 0.0)
        job.task = task
        self._inflight[correlation_id] = job
        mailbox.running += 1
        mailbox.inline.add(task)
        cancelling = task.cancelling()
        loop = asyncio.get_running_loop()
        timer = loop.call_at(loop.time() + envelope.timeout_ms / 1000, _expire_inline, job)
        try:
            reply = await mailbox.handler(envelope)
            if (
                not isinstance(reply, Envelope)
                or reply.correlation_id != correlation_id
                or reply.message_type not in ("response", "error")
            ):
                reply = invalid_handler_reply(envelope, mailbox.agent_id, reply)
        except asyncio.CancelledError:
            if task.cancelling() <= cancelling:
                raise
            if job.deadline < 0:  # our deadline, not the caller's cancellation
                task.uncancel()
                reply = timeout_reply(envelope)
            elif self._closed and job in mailbox.closing:
                task.uncancel()  # cancelled by close(), not by the caller: answer it
                reply = envelope.make_error("internal_error", "bus closed", {})
            else:
                raise
        except Exception as exc:
            if not isinstance(exc, SpecloomError | NotImplementedError):
                logger.exception("handler of %r failed", mailbox.agent_id)
            reply = error_reply(envelope, exc)
        finally:
            timer.cancel()
            mailbox.inline.discard(task)
            mailbox.closing.discard(job)
            mailbox.running -= 1
            del self._inflight[correlation_id]
            if mailbox.queue:
                mailbox._pump(loop)
        return reply

    # -- events ----------------------------------------------------------------------------

    def subscribe(
        self, topic: str, callback: Subscriber, *, group: str | None = None
    ) -> Callable[[], None]:
        """Deliver events of ``topic`` (``"*"``: every event) to ``callback`` (``group``
        matters to a broker, where replicas share one subscription).

        Returns a function that removes the subscription.
        """
        callbacks = self._subscribers.setdefault(topic, [])
        callbacks.append(callback)

        def unsubscribe() -> None:
            if callback in callbacks:
                callbacks.remove(callback)

        return unsubscribe

    async def publish(self, envelope: Envelope) -> int:
        """Deliver an event to the subscribers of its topic and of ``"*"``, concurrently.

        A failing subscriber is logged and does not stop the others. Returns how many
        subscribers handled the event without raising.
        """
        if self._closed:
            raise RuntimeError("the bus is closed")
        if envelope.message_type != "event":
            raise ValueError(f"not an event: {envelope.message_type!r}")
        if self._observers:
            self._observe(envelope)
        topic = envelope.topic
        callbacks: list[Subscriber] = []
        if topic is not None:
            callbacks.extend(self._subscribers.get(topic, ()))
        callbacks.extend(self._subscribers.get("*", ()))
        unique = list(dict.fromkeys(callbacks))
        if not unique:
            return 0
        if len(unique) == 1:
            return int(await _deliver(unique[0], envelope))
        results = await asyncio.gather(*(_deliver(cb, envelope) for cb in unique))
        return sum(results)

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return f"<Bus {state} agents={list(self._mailboxes)}>"


async def _deliver(callback: Subscriber, envelope: Envelope) -> bool:
    try:
        await callback(envelope)
    except Exception:
        logger.exception("subscriber %r failed on topic %r", callback, envelope.topic)
        return False
    return True
