"""The NATS services protocol (``$SRV.PING`` / ``$SRV.INFO`` / ``$SRV.STATS``) answered by the
runtime itself, for the agents a :class:`~specloom_runtime.transport.nats_transport.NatsTransport`
hosts.

The answers have the shapes ``nats.micro`` produces (types ``io.nats.micro.v1.*_response``,
one service per agent with an id, name, version, metadata, its endpoints and their request
counts), so ``nats micro ls``, ``health``/``list``/``metrics --nats`` read them as before. What
is not used is micro's request path: its per-request ``Request`` object, handler coroutine and
timing wrapper. The transport subscribes each endpoint itself and counts requests here
(:attr:`Endpoint.num_requests`, one integer increment per request).

``processing_time`` is what the subscription callback took for the requests of an endpoint
(the whole request for a handler that never suspends, the hand-over for one that does);
``num_errors`` stays 0: error replies are envelopes, counted by the runtime's metrics.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # nats-py is the NATS transport's optional dependency
    from nats.aio.client import Client as NatsClient
    from nats.aio.msg import Msg
    from nats.aio.subscription import Subscription

__all__ = [
    "INFO_RESPONSE_TYPE",
    "PING_RESPONSE_TYPE",
    "STATS_RESPONSE_TYPE",
    "Endpoint",
    "Service",
]

PREFIX = "$SRV"
PING_RESPONSE_TYPE = "io.nats.micro.v1.ping_response"
INFO_RESPONSE_TYPE = "io.nats.micro.v1.info_response"
STATS_RESPONSE_TYPE = "io.nats.micro.v1.stats_response"
_VERBS = ("PING", "INFO", "STATS")


class Endpoint:
    """One subject a service serves, in a queue group; counts its requests."""

    __slots__ = (
        "metadata",
        "name",
        "num_requests",
        "processing_time",
        "queue_group",
        "subject",
        "subscription",
    )

    def __init__(
        self, name: str, subject: str, queue_group: str, metadata: dict[str, str] | None
    ) -> None:
        self.name = name
        self.subject = subject
        self.queue_group = queue_group
        self.metadata = metadata
        self.num_requests = 0
        self.processing_time = 0  # nanoseconds
        self.subscription: Subscription | None = None

    def info(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "subject": self.subject,
            "queue_group": self.queue_group,
            "metadata": self.metadata,
        }

    def stats(self) -> dict[str, Any]:
        count = self.num_requests
        return {
            "name": self.name,
            "subject": self.subject,
            "queue_group": self.queue_group,
            "num_requests": count,
            "num_errors": 0,
            "last_error": "",
            "processing_time": self.processing_time,
            "average_processing_time": int(self.processing_time / count) if count else 0,
            "data": None,
        }


class Service:
    """One service of the NATS services protocol: its identity, endpoints and the
    subscriptions that answer ``$SRV.<verb>``, ``$SRV.<verb>.<name>`` and
    ``$SRV.<verb>.<name>.<id>``."""

    def __init__(
        self,
        nc: NatsClient,
        *,
        name: str,
        version: str,
        description: str,
        metadata: dict[str, str],
    ) -> None:
        self.nc = nc
        self.id = nc._nuid.next().decode()  # what nats.micro uses as a service id
        self.name = name
        self.version = version
        self.description = description
        self.metadata = metadata
        self.endpoints: list[Endpoint] = []
        self.started = datetime.now(UTC)
        self._control: list[Subscription] = []

    def identity(self) -> dict[str, Any]:
        return {
            "type": PING_RESPONSE_TYPE,
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "metadata": self.metadata,
        }

    def info(self) -> dict[str, Any]:
        return {
            "type": INFO_RESPONSE_TYPE,
            "id": self.id,
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "endpoints": [endpoint.info() for endpoint in self.endpoints],
            "metadata": self.metadata,
        }

    def stats(self) -> dict[str, Any]:
        started = self.started.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        return {
            "type": STATS_RESPONSE_TYPE,
            "name": self.name,
            "id": self.id,
            "version": self.version,
            "started": started,
            "endpoints": [endpoint.stats() for endpoint in self.endpoints],
            "metadata": self.metadata,
        }

    async def start(self) -> None:
        """Answer the control subjects (before any endpoint serves)."""
        answers: dict[str, Callable[[], dict[str, Any]]] = {
            "PING": self.identity,
            "INFO": self.info,
            "STATS": self.stats,
        }
        for verb in _VERBS:
            answer = answers[verb]

            async def on_control(msg: Msg, answer: Callable[[], dict[str, Any]] = answer) -> None:
                if msg.reply:
                    await self.nc.publish(msg.reply, json.dumps(answer()).encode())

            for subject in (
                f"{PREFIX}.{verb}",
                f"{PREFIX}.{verb}.{self.name}",
                f"{PREFIX}.{verb}.{self.name}.{self.id}",
            ):
                self._control.append(await self.nc.subscribe(subject, cb=on_control))
        self.started = datetime.now(UTC)

    async def add_endpoint(
        self,
        endpoint: Endpoint,
        on_msg: Callable[[Msg], Awaitable[None]],
    ) -> None:
        """Serve ``endpoint``'s subject in its queue group with ``on_msg``."""
        endpoint.subscription = await self.nc.subscribe(
            endpoint.subject, queue=endpoint.queue_group, cb=on_msg
        )
        self.endpoints.append(endpoint)

    async def stop(self) -> None:
        """Stop taking requests (endpoints first), then stop answering the control subjects."""
        endpoints, self.endpoints = self.endpoints, []
        control, self._control = self._control, []
        for endpoint in endpoints:
            if endpoint.subscription is not None:
                await endpoint.subscription.unsubscribe()
                endpoint.subscription = None
        for sub in control:
            await sub.unsubscribe()
