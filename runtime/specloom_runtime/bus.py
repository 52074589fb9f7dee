"""In-process asyncio message bus: request/response routed by ``target_agent``, and events.

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
from collections.abc import Awaitable, Callable
from heapq import heappop, heappush
from types import TracebackType
from typing import Self

from .envelope import PRIORITY_RANK, Envelope
from .errors import SpecloomError

__all__ = ["Bus", "Handler", "Observer", "Subscriber", "error_reply"]

Handler = Callable[[Envelope], Awaitable[Envelope]]
Subscriber = Callable[[Envelope], Awaitable[None]]
Observer = Callable[[Envelope], None]

logger = logging.getLogger(__name__)


def error_reply(request: Envelope, exc: BaseException) -> Envelope:
    """The error envelope answering ``request`` for an exception raised while serving it."""
    if isinstance(exc, SpecloomError):
        return request.make_error(exc.code, exc.message, exc.details)
    if isinstance(exc, NotImplementedError):
        return request.make_error("not_implemented", str(exc) or "not implemented", {})
    name = type(exc).__name__
    return request.make_error("internal_error", f"{name}: {exc}", {"exception": name})


class _Job:
    __slots__ = ("deadline", "envelope", "future", "task")

    def __init__(
        self, envelope: Envelope, future: asyncio.Future[Envelope], deadline: float
    ) -> None:
        self.envelope = envelope
        self.future = future
        self.deadline = deadline
        self.task: asyncio.Task[None] | None = None


def _expire(job: _Job) -> None:
    if not job.future.done():
        timeout_ms = job.envelope.timeout_ms
        job.future.set_result(
            job.envelope.make_error(
                "timeout", f"no reply within {timeout_ms} ms", {"timeout_ms": timeout_ms}
            )
        )
    if job.task is not None:
        job.task.cancel()


class _Mailbox:
    """Priority queue, concurrency limit and running handler tasks of one agent."""

    __slots__ = ("agent_id", "handler", "limit", "queue", "running", "seq", "tasks")

    def __init__(self, agent_id: str, handler: Handler, limit: int) -> None:
        self.agent_id = agent_id
        self.handler = handler
        self.limit = limit
        self.running = 0
        self.seq = 0
        self.queue: list[tuple[int, int, _Job]] = []
        self.tasks: set[asyncio.Task[None]] = set()

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
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self.tasks.discard(task)
        self.running -= 1
        if self.queue:
            self._pump(task.get_loop())

    def _pump(self, loop: asyncio.AbstractEventLoop) -> None:
        now = loop.time()
        while self.queue and self.running < self.limit:
            job = heappop(self.queue)[2]
            if job.future.done():  # timed out or abandoned while queued: drop it
                continue
            if job.deadline <= now:
                _expire(job)
                continue
            self._start(job, loop)

    async def _serve(self, job: _Job) -> None:
        request = job.envelope
        future = job.future
        try:
            reply = await self.handler(request)
            if (
                not isinstance(reply, Envelope)
                or reply.correlation_id != request.correlation_id
                or reply.message_type not in ("response", "error")
            ):
                reply = request.make_error(
                    "internal_error",
                    f"handler of {self.agent_id!r} returned an invalid reply",
                    {"reply_type": type(reply).__name__},
                )
        except asyncio.CancelledError:
            if not future.done():
                future.set_result(request.make_error("internal_error", "handler cancelled", {}))
            raise
        except Exception as exc:
            if not isinstance(exc, SpecloomError | NotImplementedError):
                logger.exception("handler of %r failed", self.agent_id)
            reply = error_reply(request, exc)
        if not future.done():
            future.set_result(reply)

    def drain(self, reason: str) -> None:
        """Answer every queued request with ``unknown_target`` (agent gone or bus closed)."""
        queue, self.queue = self.queue, []
        for _, _, job in queue:
            if not job.future.done():
                job.future.set_result(
                    job.envelope.make_error("unknown_target", reason, {"agent": self.agent_id})
                )


class Bus:
    """In-process message bus. Usable at once; ``close()`` cancels in-flight work.

    ``concurrency`` is the default number of requests an agent serves at the same time.
    """

    def __init__(self, *, concurrency: int = 16) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be >= 1")
        self._concurrency = concurrency
        self._mailboxes: dict[str, _Mailbox] = {}
        self._inflight: dict[str, _Job] = {}
        self._subscribers: dict[str, list[Subscriber]] = {}
        self._observers: list[Observer] = []
        self._closed = False

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Open the bus (it is open after construction; this re-opens a closed bus)."""
        self._closed = False

    async def close(self) -> None:
        """Fail waiting requests, cancel running handlers and wait for them to finish."""
        self._closed = True
        for mailbox in self._mailboxes.values():
            mailbox.drain("bus closed")
        for job in list(self._inflight.values()):
            if not job.future.done():
                job.future.set_result(job.envelope.make_error("internal_error", "bus closed", {}))
        tasks = [task for mailbox in self._mailboxes.values() for task in mailbox.tasks]
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)

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

    def register(self, agent_id: str, handler: Handler, *, concurrency: int | None = None) -> None:
        """Route requests whose ``target_agent`` is ``agent_id`` to ``handler``."""
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
            reply = await self._dispatch(envelope, mailbox)
        if self._observers:
            self._observe(reply)
        return reply

    async def _dispatch(self, envelope: Envelope, mailbox: _Mailbox) -> Envelope:
        correlation_id = envelope.correlation_id
        inflight = self._inflight
        if correlation_id in inflight:
            raise ValueError(f"correlation id {correlation_id!r} is already in flight")
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

    # -- events ----------------------------------------------------------------------------

    def subscribe(self, topic: str, callback: Subscriber) -> Callable[[], None]:
        """Deliver events of ``topic`` (``"*"``: every event) to ``callback``.

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

    # -- observation -----------------------------------------------------------------------

    def on_envelope(self, callback: Observer) -> Callable[[], None]:
        """Call ``callback`` synchronously with every envelope crossing the bus.

        Sees requests, their responses or errors (including ``unknown_target`` and ``timeout``)
        and events. Returns a function that removes the observer.
        """
        self._observers.append(callback)

        def remove() -> None:
            if callback in self._observers:
                self._observers.remove(callback)

        return remove

    def _observe(self, envelope: Envelope) -> None:
        for observer in tuple(self._observers):
            try:
                observer(envelope)
            except Exception:
                logger.exception("envelope observer %r failed", observer)

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
