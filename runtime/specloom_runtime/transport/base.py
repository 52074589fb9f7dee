"""The Transport seam: what carries envelopes between callers and service hosts.

Two transports implement it: :class:`specloom_runtime.bus.Bus` (in-process, the default, no
server) and :class:`~specloom_runtime.transport.nats_transport.NatsTransport` (a NATS server,
one process per module or more). Both carry the same :class:`Envelope` with the same semantics:

- ``request`` returns the response or error envelope and never raises for remote failures:
  ``timeout`` after the envelope's ``timeout_ms``, ``service_unavailable`` at once when no process
  serves the target (NATS: no responder), ``invalid_envelope`` for a malformed or oversized
  message, declared errors as the provider raised them;
- ``register`` serves an agent: requests wait in that agent's work queue (priority order,
  ``concurrency`` at a time) in the process that hosts it;
- ``publish``/``subscribe`` carry events by topic (``"<Contract>@<major>.<event>"``).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import Protocol, runtime_checkable

from ..envelope import Envelope

__all__ = ["Handler", "Observed", "Observer", "Route", "Subscriber", "Transport"]

logger = logging.getLogger(__name__)

Handler = Callable[[Envelope], Awaitable[Envelope]]
Subscriber = Callable[[Envelope], Awaitable[None]]
Observer = Callable[[Envelope], None]
Route = tuple[str, int, str]
"""``(contract, major version, method)`` an agent serves: how a broker routes requests to it."""


@runtime_checkable
class Transport(Protocol):
    """Carries envelopes; see the module docstring for the shared semantics."""

    #: ``"in-process"`` or ``"nats"``: what ``health`` reports.
    name: str

    async def start(self) -> None:
        """Connect (a broker) or open (in-process); usable afterwards."""

    async def ready(self) -> None:
        """Return once every ``register``/``subscribe`` so far takes messages."""

    async def close(self) -> None:
        """Stop taking messages, finish or fail in-flight work, disconnect."""

    @property
    def closed(self) -> bool: ...

    @property
    def agents(self) -> tuple[str, ...]:
        """Agents served by this transport object (in this process)."""
        ...

    def register(
        self,
        agent_id: str,
        handler: Handler,
        *,
        concurrency: int | None = None,
        routes: Sequence[Route] = (),
    ) -> None:
        """Serve requests for ``agent_id`` (and, on a broker, for ``routes``) with ``handler``."""

    def unregister(self, agent_id: str) -> None: ...

    async def request(self, envelope: Envelope) -> Envelope:
        """Send a request; its response or error envelope (never raises for remote errors)."""
        ...

    def subscribe(
        self, topic: str, callback: Subscriber, *, group: str | None = None
    ) -> Callable[[], None]:
        """Deliver events of ``topic`` (``"*"``: all) to ``callback``; ``group``: replicas of one
        module share a subscription (each event reaches one of them). Returns an unsubscriber."""
        ...

    async def publish(self, envelope: Envelope) -> int:
        """Publish an event; how many local subscribers handled it (a broker: 1 when sent)."""
        ...

    def on_envelope(self, callback: Observer) -> Callable[[], None]:
        """Call ``callback`` with every envelope this transport object sends or receives."""
        ...


class Observed:
    """What every transport shares: the envelope observers of :meth:`Transport.on_envelope`.

    A transport calls ``self._observe(envelope)`` (only ``if self._observers``, so a transport
    nobody watches pays nothing) for each envelope it sends or receives.
    """

    def __init__(self) -> None:
        self._observers: list[Observer] = []

    def on_envelope(self, callback: Observer) -> Callable[[], None]:
        """Call ``callback`` synchronously with every envelope this transport object sends or
        receives: requests, their responses or errors (also the ones the transport makes, such
        as ``timeout``) and events. A failing observer is logged and changes nothing. Returns a
        function that removes the observer."""
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
