"""The NATS transport over a real nats-server (the ``nats_server`` fixture): the same envelope and
the same semantics as the in-process bus, plus what only a broker has (no responders, queue
groups, garbage on a subject, durable events, the NATS services protocol)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any

import nats
import pytest
import specloom_runtime
from specloom_runtime import Envelope
from specloom_runtime.natsserver import LocalNatsServer
from specloom_runtime.service import current_caller
from specloom_runtime.transport import connect
from specloom_runtime.transport.nats_transport import NatsTransport
from specloom_runtime.transport.subjects import rpc_subject

SYSTEM = "sysx"


def run(coro_fn: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(asyncio.wait_for(coro_fn(), timeout=30))


def transport(server: LocalNatsServer, **options: Any) -> NatsTransport:
    t = connect(server.url, system=SYSTEM, token=server.token, **options)
    assert isinstance(t, NatsTransport)
    return t


class Database:
    def __init__(self, db: ModuleType, name: str = "db") -> None:
        self.db = db
        self.name = name
        self.calls = 0
        self.delay = 0.0

    async def create(self, table: str, data: dict[str, Any]) -> str:
        self.calls += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        return f"{self.name}:{table}-{self.calls}"

    async def read(self, table: str, id: str) -> dict[str, Any] | None:
        if table != "users":
            raise self.db.TableNotFound(f"no table {table}", {"table": table})
        return {"id": id}

    async def query(self, table: str, filters: list[Any]) -> list[dict[str, Any]]:
        return []


async def serve(rt: ModuleType, db: ModuleType, server: LocalNatsServer, impl: Any) -> Any:
    host_bus = transport(server)
    await host_bus.start()
    rt.ServiceHost("agent-02-database", host_bus, [(db.DATABASE_V1, impl)])
    await host_bus.ready()
    return host_bus


def test_round_trip_declared_error_and_invalid_params_across_two_connections(
    rt: ModuleType, db: ModuleType, nats_server: LocalNatsServer
) -> None:
    async def main() -> None:
        host_bus = await serve(rt, db, nats_server, Database(db))
        async with transport(nats_server) as caller:
            seen: list[Envelope] = []
            caller.on_envelope(seen.append)
            client = db.DatabaseV1Client(caller, "agent-03-core-engine", "agent-02-database")
            assert await client.create("users", {"name": "Ada"}) == "db:users-1"
            assert await client.read("users", "u1") == {"id": "u1"}
            with pytest.raises(db.TableNotFound) as err:
                await client.read("nope", "u1")
            assert err.value.details == {"table": "nope"}
            with pytest.raises(rt.InvalidParams):
                await client._call(db.DATABASE_V1, "create", {"table": "BAD NAME", "data": {}})
            request, reply = seen[0], seen[1]
            assert request.correlation_id == reply.correlation_id
            assert (reply.source_agent, reply.target_agent) == (
                "agent-02-database",
                "agent-03-core-engine",
            )
        await host_bus.close()

    run(main)


def test_no_responder_is_service_unavailable_at_once(
    db: ModuleType, rt: ModuleType, nats_server: LocalNatsServer
) -> None:
    async def main() -> None:
        async with transport(nats_server) as caller:
            client = db.DatabaseV1Client(
                caller, "agent-03-core-engine", "agent-02-database", timeout_ms=60_000
            )
            # a timeout would be RequestTimeout after 60 s (and fail the 30 s guard of run())
            with pytest.raises(rt.ServiceUnavailable):
                await client.create("users", {})

    run(main)


def test_timeout_is_the_callers_deadline(
    db: ModuleType, rt: ModuleType, nats_server: LocalNatsServer
) -> None:
    async def main() -> None:
        impl = Database(db)
        impl.delay = 5
        host_bus = await serve(rt, db, nats_server, impl)
        async with transport(nats_server) as caller:
            client = db.DatabaseV1Client(
                caller, "agent-03-core-engine", "agent-02-database", timeout_ms=50
            )
            with pytest.raises(rt.RequestTimeout):
                await client.create("users", {})
        await host_bus.close(drain_seconds=0.1)

    run(main)


def test_each_request_times_out_at_its_own_deadline_and_answered_ones_are_forgotten(
    db: ModuleType, rt: ModuleType, nats_server: LocalNatsServer
) -> None:
    """Deadlines are kept per timeout value (one timer per value): interleaved requests with
    different timeouts each fail at their own deadline, later ones with a shorter timeout
    before earlier ones with a longer; answered requests leave the deadline queues."""

    class Slow(Database):
        async def create(self, table: str, data: dict[str, Any]) -> str:
            if table == "slow":
                await asyncio.sleep(5)
            return table

    async def main() -> None:
        host_bus = await serve(rt, db, nats_server, Slow(db))
        async with transport(nats_server) as caller:
            base = db.DatabaseV1Client(caller, "agent-03-core-engine", "agent-02-database")
            loop = asyncio.get_running_loop()
            ended: dict[str, float] = {}

            async def call(name: str, timeout_ms: int) -> None:
                start = loop.time()
                with pytest.raises(rt.RequestTimeout):
                    await base._with_options(timeout_ms=timeout_ms).create("slow", {})
                ended[name] = loop.time() - start

            calls = [
                asyncio.ensure_future(call("long", 600)),
                asyncio.ensure_future(call("short", 150)),
                asyncio.ensure_future(call("medium", 300)),
                asyncio.ensure_future(call("short-2", 150)),
            ]
            # meanwhile, many answered requests with the default timeout
            assert (
                await asyncio.gather(*(base.create("fast", {}) for _ in range(200)))
                == ["fast"] * 200
            )
            await asyncio.gather(*calls)
            assert list(ended) == ["short", "short-2", "medium", "long"]
            for name, timeout in (("short", 0.15), ("medium", 0.3), ("long", 0.6)):
                assert timeout - 0.01 <= ended[name] < timeout + 0.25, (name, ended[name])
            await asyncio.sleep(0.35)  # a sweep has run since the last answer
            assert caller._waiting == {}
            assert sum(len(q) for q in caller._deadlines.values()) == 0
        await host_bus.close(drain_seconds=0.1)

    run(main)


def test_closing_the_caller_answers_its_waiting_requests_at_once(
    db: ModuleType, rt: ModuleType, nats_server: LocalNatsServer
) -> None:
    async def main() -> None:
        impl = Database(db)
        impl.delay = 5
        host_bus = await serve(rt, db, nats_server, impl)
        caller = transport(nats_server)
        await caller.start()
        client = db.DatabaseV1Client(
            caller, "agent-03-core-engine", "agent-02-database", timeout_ms=20_000
        )
        waiting = [asyncio.ensure_future(client.create("users", {})) for _ in range(3)]
        while impl.calls < 3:  # all three are being served (and will not answer for 5 s)
            await asyncio.sleep(0.01)
        await caller.close()
        for call in waiting:  # answered by the close, long before their 20 s deadline
            with pytest.raises(rt.ServiceUnavailable, match="transport was closed"):
                await asyncio.wait_for(call, 2)
        await host_bus.close(drain_seconds=0.1)

    run(main)


def test_garbage_and_oversized_messages_get_an_error_reply_and_the_host_stays_up(
    db: ModuleType, rt: ModuleType, nats_server: LocalNatsServer
) -> None:
    async def main() -> None:
        host_bus = await serve(rt, db, nats_server, Database(db))
        host_bus.max_bytes = 10_000
        subject = rpc_subject(SYSTEM, "Database", 1, "create")
        nc = await nats.connect(nats_server.url, token=nats_server.token)
        try:
            for garbage in (b"\xff\xfe not json", b"{}", b'{"correlation_id": "c-1"}', b"[" * 5000):
                reply = Envelope.model_validate_json((await nc.request(subject, garbage, 5)).data)
                assert reply.message_type == "error"
                assert reply.payload.data["code"] == "invalid_envelope"
            probe = json.loads((await nc.request(subject, b'{"correlation_id": "c-1"}', 5)).data)
            assert probe["correlation_id"] == "c-1"
            big = b" " * 20_000
            reply = Envelope.model_validate_json((await nc.request(subject, big, 5)).data)
            assert reply.payload.data["details"]["max_bytes"] == 10_000
        finally:
            await nc.close()
        async with transport(nats_server) as caller:
            client = db.DatabaseV1Client(caller, "agent-03-core-engine", "agent-02-database")
            assert await client.create("users", {}) == "db:users-1"
        await host_bus.close()

    run(main)


def test_replicas_share_the_load_through_the_queue_group(
    db: ModuleType, rt: ModuleType, nats_server: LocalNatsServer
) -> None:
    async def main() -> None:
        impls = [Database(db, f"r{i}") for i in range(3)]
        hosts = [await serve(rt, db, nats_server, impl) for impl in impls]
        async with transport(nats_server) as caller:
            client = db.DatabaseV1Client(caller, "agent-03-core-engine", "agent-02-database")
            answers = await asyncio.gather(*(client.create("users", {}) for _ in range(90)))
        assert len(answers) == 90
        assert sum(impl.calls for impl in impls) == 90  # each request served exactly once
        assert all(impl.calls > 0 for impl in impls), [impl.calls for impl in impls]
        for host in hosts:
            await host.close()

    run(main)


def test_events_reach_each_subscribing_module_once(nats_server: LocalNatsServer) -> None:
    async def main() -> None:
        got: dict[str, list[Envelope]] = {"a": [], "b": []}
        buses = [transport(nats_server) for _ in range(3)]
        for bus in buses:
            await bus.start()

        def keep(name: str) -> Callable[[Envelope], Awaitable[None]]:
            async def callback(envelope: Envelope) -> None:
                got[name].append(envelope)

            return callback

        buses[0].subscribe("Database@1.created", keep("a"), group="agent-a")
        buses[1].subscribe("Database@1.created", keep("a"), group="agent-a")  # a replica of a
        buses[2].subscribe("*", keep("b"), group="agent-b")
        for bus in buses:
            await bus.ready()
        async with transport(nats_server) as publisher:
            for i in range(5):
                event = Envelope.make_event("agent-02", "Database@1.created", {"i": i})
                assert await publisher.publish(event) == 1
        for _ in range(100):
            if len(got["a"]) == 5 and len(got["b"]) == 5:
                break
            await asyncio.sleep(0.02)
        assert sorted(e.payload.data["i"] for e in got["a"]) == list(range(5))
        assert sorted(e.payload.data["i"] for e in got["b"]) == list(range(5))
        for bus in buses:
            await bus.close()

    run(main)


def test_durable_events_wait_for_a_subscriber_that_was_down(nats_server: LocalNatsServer) -> None:
    async def main() -> None:
        got: list[int] = []

        async def callback(envelope: Envelope) -> None:
            got.append(envelope.payload.data["i"])

        first = transport(nats_server, durable_events=True)
        await first.start()
        first.subscribe("Notes@1.noted", callback, group="agent-notes")
        await first.ready()
        await first.close()  # the consumer is down; its durable consumer stays on the server
        async with transport(nats_server, durable_events=True) as publisher:
            for i in range(3):
                await publisher.publish(Envelope.make_event("agent-x", "Notes@1.noted", {"i": i}))
        again = transport(nats_server, durable_events=True)
        await again.start()
        again.subscribe("Notes@1.noted", callback, group="agent-notes")
        await again.ready()
        for _ in range(150):
            if len(got) == 3:
                break
            await asyncio.sleep(0.02)
        await again.close()
        assert got == [0, 1, 2]

    run(main)


async def _answers(nc: Any, subject: str, wait: float = 0.3) -> list[dict[str, Any]]:
    """Every answer to ``subject`` within ``wait`` seconds (one per service that answers)."""
    inbox = nc.new_inbox()
    got: list[dict[str, Any]] = []

    async def on_msg(msg: Any) -> None:
        got.append(json.loads(msg.data))

    sub = await nc.subscribe(inbox, cb=on_msg)
    await nc.publish(subject, b"", reply=inbox)
    await nc.flush()
    await asyncio.sleep(wait)
    await sub.unsubscribe()
    return got


def test_each_agent_answers_the_nats_services_protocol_as_nats_micro_does(
    db: ModuleType, rt: ModuleType, nats_server: LocalNatsServer
) -> None:
    """The runtime answers $SRV.PING/INFO/STATS itself (not through nats.micro): the answers
    parse with nats.micro's own response types, on all three subject forms, and STATS counts
    the requests each endpoint served."""
    from nats.micro.service import (
        INFO_RESPONSE_TYPE,
        PING_RESPONSE_TYPE,
        STATS_RESPONSE_TYPE,
        ServiceInfo,
        ServicePing,
        ServiceStats,
    )

    async def main() -> None:
        host_bus = await serve(rt, db, nats_server, Database(db))
        nc = await nats.connect(nats_server.url, token=nats_server.token)
        try:
            async with transport(nats_server) as caller:
                client = db.DatabaseV1Client(caller, "agent-03-core-engine", "agent-02-database")
                for _ in range(3):
                    await client.create("users", {})
                with pytest.raises(db.TableNotFound):
                    await client.read("nope", "1")
            name = "sysx-agent-02-database"
            pings = await _answers(nc, "$SRV.PING")
            assert [p["type"] for p in pings] == [PING_RESPONSE_TYPE]
            ping = ServicePing.from_dict(pings[0])
            assert (ping.name, ping.metadata["agent"]) == (name, "agent-02-database")
            assert ping.version == specloom_runtime.__version__
            for subject in (f"$SRV.INFO.{name}", f"$SRV.INFO.{name}.{ping.id}"):
                (raw,) = await _answers(nc, subject)
                assert raw["type"] == INFO_RESPONSE_TYPE
                info = ServiceInfo.from_dict(raw)
                assert (info.id, info.description) == (ping.id, "sysx agent agent-02-database")
                by_name = {e.name: e for e in info.endpoints}
                read = by_name["Database_v1_read"]
                assert read.subject == rpc_subject(SYSTEM, "Database", 1, "read")
                assert read.queue_group == "sysx.Database.v1"
                assert read.metadata == {"contract": "Database@1", "method": "read"}
                assert by_name["agent"].subject == "sysx.agent.agent-02-database"
                assert by_name["agent"].metadata is None
                assert info.metadata["system"] == SYSTEM
            assert await _answers(nc, "$SRV.INFO.some-other-service") == []
            (raw,) = await _answers(nc, f"$SRV.STATS.{name}")
            assert raw["type"] == STATS_RESPONSE_TYPE
            stats = ServiceStats.from_dict(raw)  # parses "started" with micro's own format
            assert stats.id == ping.id
            counts = {e.name: e.num_requests for e in stats.endpoints}
            assert counts["Database_v1_create"] == 3
            assert counts["Database_v1_read"] == 1  # a declared error is still one request
            assert counts["agent"] == 0
            create = next(e for e in stats.endpoints if e.name == "Database_v1_create")
            assert create.num_errors == 0 and create.last_error == ""
            assert create.processing_time >= create.average_processing_time > 0
            await host_bus.close()
            assert await _answers(nc, "$SRV.PING") == []  # a closed host leaves the protocol
        finally:
            await nc.close()

    run(main)


def test_a_busy_host_serves_waiting_requests_by_priority(
    db: ModuleType, rt: ModuleType, nats_server: LocalNatsServer
) -> None:
    """With its one slot taken, a host queues what arrives and serves it critical first, FIFO
    within a priority."""

    class Recording(Database):
        def __init__(self, db: ModuleType) -> None:
            super().__init__(db)
            self.order: list[str] = []
            self.release = asyncio.Event()

        async def create(self, table: str, data: dict[str, Any]) -> str:
            if table == "block":
                await self.release.wait()
            self.order.append(table)
            return table

    async def main() -> None:
        impl = Recording(db)
        host_bus = transport(nats_server)
        await host_bus.start()
        rt.ServiceHost("agent-02-database", host_bus, [(db.DATABASE_V1, impl)], concurrency=1)
        await host_bus.ready()
        async with transport(nats_server) as caller:
            base = db.DatabaseV1Client(caller, "agent-03-core-engine", "agent-02-database")
            blocker = asyncio.ensure_future(base.create("block", {}))
            while host_bus._hosted["agent-02-database"].mailbox.running == 0:
                await asyncio.sleep(0.005)
            calls = []
            for table, priority in [
                ("low_a", "low"),
                ("medium_a", "medium"),
                ("critical_a", "critical"),
                ("low_b", "low"),
                ("high_a", "high"),
                ("critical_b", "critical"),
            ]:
                client = base._with_options(priority=priority)
                calls.append(asyncio.ensure_future(client.create(table, {})))
                await asyncio.sleep(0.02)  # arrival order on the wire is the list's order
            mailbox = host_bus._hosted["agent-02-database"].mailbox
            while len(mailbox.queue) < 6:
                await asyncio.sleep(0.005)
            impl.release.set()
            assert await blocker == "block"
            await asyncio.gather(*calls)
        assert impl.order == [
            "block",
            "critical_a",
            "critical_b",
            "high_a",
            "medium_a",
            "low_a",
            "low_b",
        ]
        await host_bus.close()

    run(main)


def test_hosts_and_callers_reconnect_after_the_server_restarts(
    db: ModuleType, rt: ModuleType, tmp_path: Any
) -> None:
    async def main(server: LocalNatsServer) -> None:
        host_bus = await serve(rt, db, server, Database(db))
        async with transport(server) as caller:
            client = db.DatabaseV1Client(
                caller, "agent-03-core-engine", "agent-02-database", timeout_ms=500
            )
            assert await client.create("users", {}) == "db:users-1"
            await asyncio.to_thread(server.stop)
            with pytest.raises((rt.ServiceUnavailable, rt.RequestTimeout)):
                await client.create("users", {})  # the server is down: a clean error
            await asyncio.to_thread(server.start)  # same port, token and data
            for _ in range(200):  # both sides reconnect on their own and resubscribe
                try:
                    assert (await client.create("users", {})).startswith("db:users-")
                    break
                except (rt.ServiceUnavailable, rt.RequestTimeout):
                    await asyncio.sleep(0.05)
            else:
                raise AssertionError("no reconnection")
        await host_bus.close()

    with LocalNatsServer(data_dir=tmp_path / "nats") as server:
        run(lambda: main(server))


def test_a_handler_that_suspends_is_cancelled_at_its_own_deadline_and_keeps_its_caller(
    db: ModuleType, rt: ModuleType, nats_server: LocalNatsServer
) -> None:
    """The host runs a request's first step in the subscription callback and moves a handler
    that suspends into a task: that task keeps the request's context (current_caller) and is
    cancelled at the request's deadline; a handler that does not suspend is served at once."""

    class Slow(Database):
        def __init__(self, db: ModuleType) -> None:
            super().__init__(db)
            self.cancelled = asyncio.Event()
            self.callers: list[str | None] = []

        async def create(self, table: str, data: dict[str, Any]) -> str:
            if table == "slow":
                try:
                    await asyncio.sleep(5)
                except asyncio.CancelledError:
                    self.cancelled.set()
                    raise
            await asyncio.sleep(0)
            self.callers.append(current_caller.get())
            return f"{table}-ok"

    async def main() -> None:
        impl = Slow(db)
        host_bus = await serve(rt, db, nats_server, impl)
        async with transport(nats_server) as caller:
            client = db.DatabaseV1Client(
                caller, "agent-03-core-engine", "agent-02-database", timeout_ms=100
            )
            loop = asyncio.get_running_loop()
            t0 = loop.time()
            with pytest.raises(rt.RequestTimeout):
                await client.create("slow", {})
            await asyncio.wait_for(impl.cancelled.wait(), 2)
            assert loop.time() - t0 < 2  # cancelled at its deadline, not after the 5 s sleep
            results = await asyncio.gather(*(client.create(f"t{i}", {}) for i in range(20)))
            assert results == [f"t{i}-ok" for i in range(20)]
            assert impl.callers == ["agent-03-core-engine"] * 20
        await host_bus.close(drain_seconds=0.1)

    run(main)
