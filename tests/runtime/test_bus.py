"""The in-process bus: routing, priorities, concurrency, timeouts, errors, events, observers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any

import pytest


def run(coro_fn: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(asyncio.wait_for(coro_fn(), timeout=20))


def req(rt: ModuleType, target: str = "a", tag: Any = None, **options: Any) -> Any:
    return rt.Envelope.make_request(
        "caller", target, "Test", 1, "custom_op", {"tag": tag}, **options
    )


def code_of(reply: Any) -> str:
    assert reply.message_type == "error", reply
    return str(reply.payload.data["code"])


def test_request_response_round_trip(rt: ModuleType) -> None:
    async def main() -> None:
        async def echo(env: Any) -> Any:
            return env.make_response(env.payload.data["tag"])

        async with rt.Bus() as bus:
            bus.register("a", echo)
            assert bus.agents == ("a",)
            request = req(rt, tag=42)
            reply = await bus.request(request)
            assert reply.message_type == "response"
            assert reply.payload.data == {"result": 42}
            assert reply.correlation_id == request.correlation_id
            assert (reply.source_agent, reply.target_agent) == ("a", "caller")

    run(main)


def test_unknown_target(rt: ModuleType) -> None:
    async def main() -> None:
        bus = rt.Bus()
        request = req(rt, target="nobody")
        reply = await bus.request(request)
        assert code_of(reply) == "unknown_target"
        assert reply.correlation_id == request.correlation_id
        assert reply.payload.data["details"] == {"target_agent": "nobody"}

    run(main)


def test_register_rejects_duplicates_and_bad_ids(rt: ModuleType) -> None:
    async def handler(env: Any) -> Any:
        return env.make_response(None)

    bus = rt.Bus()
    bus.register("a", handler)
    for bad in ("a", "", "*"):
        with pytest.raises(ValueError):
            bus.register(bad, handler)
    bus.unregister("a")
    assert bus.agents == ()


def test_on_envelope_sees_request_and_reply_with_same_correlation(rt: ModuleType) -> None:
    async def main() -> None:
        seen: list[Any] = []

        async def echo(env: Any) -> Any:
            return env.make_response("ok")

        def broken_observer(env: Any) -> None:
            raise RuntimeError("observer bug must not break the bus")

        bus = rt.Bus()
        bus.register("a", echo)
        bus.on_envelope(broken_observer)
        remove = bus.on_envelope(seen.append)
        await bus.request(req(rt))
        await bus.request(req(rt, target="ghost"))
        await bus.publish(rt.Envelope.make_event("a", "topic.x", {"n": 1}))
        remove()
        await bus.request(req(rt))
        kinds = [(env.message_type, env.target_agent) for env in seen]
        assert kinds == [
            ("request", "a"),
            ("response", "caller"),
            ("request", "ghost"),
            ("error", "caller"),
            ("event", "*"),
        ]
        assert seen[0].correlation_id == seen[1].correlation_id
        assert seen[2].correlation_id == seen[3].correlation_id
        assert seen[0].correlation_id != seen[2].correlation_id
        for env in seen:  # every envelope on the bus is a valid seed envelope
            assert rt.Envelope.model_validate_json(env.model_dump_json()) == env

    run(main)


def test_priority_order_when_saturated(rt: ModuleType) -> None:
    async def main() -> None:
        gate = asyncio.Event()
        served: list[str] = []

        async def handler(env: Any) -> Any:
            tag = env.payload.data["tag"]
            if tag.startswith("blocker"):
                await gate.wait()
            served.append(tag)
            return env.make_response(tag)

        bus = rt.Bus()
        bus.register("a", handler, concurrency=2)
        blockers = [asyncio.create_task(bus.request(req(rt, tag=f"blocker{i}"))) for i in (1, 2)]
        await asyncio.sleep(0.01)
        queued = [
            ("l1", "low"),
            ("m1", "medium"),
            ("h1", "high"),
            ("c1", "critical"),
            ("l2", "low"),
            ("m2", "medium"),
            ("c2", "critical"),
            ("h2", "high"),
        ]
        tasks = [asyncio.create_task(bus.request(req(rt, tag=t, priority=p))) for t, p in queued]
        await asyncio.sleep(0.01)
        assert served == []  # saturated: everything waits in the queue
        gate.set()
        replies = await asyncio.gather(*blockers, *tasks)
        assert all(r.message_type == "response" for r in replies)
        assert served[:2] == ["blocker1", "blocker2"]
        assert served[2:] == ["c1", "c2", "h1", "h2", "m1", "m2", "l1", "l2"]

    run(main)


def test_concurrency_limit(rt: ModuleType) -> None:
    async def main() -> None:
        active = 0
        peak = 0

        async def handler(env: Any) -> Any:
            nonlocal active, peak
            active += 1
            peak = max(peak, active)
            await asyncio.sleep(0.005)
            active -= 1
            return env.make_response(None)

        bus = rt.Bus(concurrency=3)
        bus.register("a", handler)
        await asyncio.gather(*(bus.request(req(rt)) for _ in range(12)))
        assert peak == 3

    run(main)


def test_nested_calls_do_not_deadlock(rt: ModuleType) -> None:
    async def main() -> None:
        bus = rt.Bus()

        async def recurse(env: Any) -> Any:  # calls its own agent
            depth = env.payload.data["tag"]
            if depth == 0:
                return env.make_response(0)
            inner = await bus.request(req(rt, target="a", tag=depth - 1))
            return env.make_response(inner.payload.data["result"] + 1)

        async def ping(env: Any) -> Any:  # b -> a -> a -> ...
            inner = await bus.request(req(rt, target="a", tag=3))
            return env.make_response(inner.payload.data["result"])

        bus.register("a", recurse)
        bus.register("b", ping)
        replies = await asyncio.gather(
            bus.request(req(rt, target="a", tag=8)), bus.request(req(rt, target="b"))
        )
        assert [r.payload.data["result"] for r in replies] == [8, 3]

    run(main)


def test_timeout_cancels_the_handler(rt: ModuleType) -> None:
    async def main() -> None:
        started = asyncio.Event()
        cancelled = asyncio.Event()

        async def slow(env: Any) -> Any:
            started.set()
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                cancelled.set()
                raise
            return env.make_response("too late")

        bus = rt.Bus()
        bus.register("a", slow)
        loop = asyncio.get_running_loop()
        request = req(rt, timeout_ms=50)
        t0 = loop.time()
        reply = await bus.request(request)
        elapsed = loop.time() - t0
        assert code_of(reply) == "timeout"
        assert reply.correlation_id == request.correlation_id
        assert reply.payload.data["details"] == {"timeout_ms": 50}
        assert 0.04 <= elapsed < 1.0
        assert started.is_set()
        await asyncio.wait_for(cancelled.wait(), 1)
        # the agent is usable again (its slot was released)
        bus.unregister("a")

        async def fast(env: Any) -> Any:
            return env.make_response(1)

        bus.register("a", fast, concurrency=1)
        assert (await bus.request(req(rt))).message_type == "response"

    run(main)


def test_expired_queued_request_is_dropped(rt: ModuleType) -> None:
    async def main() -> None:
        ran: list[str] = []

        async def handler(env: Any) -> Any:
            tag = env.payload.data["tag"]
            ran.append(tag)
            if tag == "blocker":
                await asyncio.sleep(0.2)
            return env.make_response(tag)

        bus = rt.Bus()
        bus.register("a", handler, concurrency=1)
        blocker = asyncio.create_task(bus.request(req(rt, tag="blocker", timeout_ms=5000)))
        await asyncio.sleep(0.01)
        late = await bus.request(req(rt, tag="late", timeout_ms=30))
        assert code_of(late) == "timeout"
        assert (await blocker).payload.data == {"result": "blocker"}
        after = await bus.request(req(rt, tag="after"))
        assert after.message_type == "response"
        assert ran == ["blocker", "after"]  # "late" never ran

    run(main)


def test_caller_cancellation_cancels_the_handler(rt: ModuleType) -> None:
    async def main() -> None:
        cancelled = asyncio.Event()

        async def slow(env: Any) -> Any:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                cancelled.set()
                raise
            return env.make_response(None)

        bus = rt.Bus()
        bus.register("a", slow)
        task = asyncio.create_task(bus.request(req(rt)))
        await asyncio.sleep(0.01)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        await asyncio.wait_for(cancelled.wait(), 1)

    run(main)


def test_handler_exceptions_become_error_envelopes(rt: ModuleType, caplog: Any) -> None:
    async def main() -> None:
        async def handler(env: Any) -> Any:
            tag = env.payload.data["tag"]
            if tag == "boom":
                raise ValueError("kaboom")
            if tag == "typed":
                raise rt.InvalidParams("bad", {"field": "x"})
            if tag == "nie":
                raise NotImplementedError("later")
            if tag == "garbage":
                return {"not": "an envelope"}
            if tag == "foreign":
                return req(rt).make_response(1)  # wrong correlation id
            return env.make_response("fine")

        bus = rt.Bus()
        bus.register("a", handler, concurrency=1)
        boom = await bus.request(req(rt, tag="boom"))
        assert code_of(boom) == "internal_error"
        assert "ValueError" in boom.payload.data["message"]
        assert "kaboom" in boom.payload.data["message"]
        typed = await bus.request(req(rt, tag="typed"))
        assert typed.payload.data == {
            "code": "invalid_params",
            "message": "bad",
            "details": {"field": "x"},
        }
        assert code_of(await bus.request(req(rt, tag="nie"))) == "not_implemented"
        assert code_of(await bus.request(req(rt, tag="garbage"))) == "internal_error"
        assert code_of(await bus.request(req(rt, tag="foreign"))) == "internal_error"
        # the worker survived every failure
        ok = await bus.request(req(rt, tag="ok"))
        assert ok.payload.data == {"result": "fine"}

    with caplog.at_level(logging.ERROR):
        run(main)
    assert any("kaboom" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_duplicate_in_flight_correlation_id_is_refused(rt: ModuleType) -> None:
    async def main() -> None:
        gate = asyncio.Event()

        async def handler(env: Any) -> Any:
            await gate.wait()
            return env.make_response(None)

        bus = rt.Bus()
        bus.register("a", handler)
        first = asyncio.create_task(bus.request(req(rt, correlation_id="same")))
        await asyncio.sleep(0)
        with pytest.raises(ValueError):
            await bus.request(req(rt, correlation_id="same"))
        gate.set()
        assert (await first).message_type == "response"
        # once answered, the id may be used again
        assert (await bus.request(req(rt, correlation_id="same"))).message_type == "response"
        with pytest.raises(ValueError):
            await bus.request(req(rt).make_response(1))

    run(main)


def test_events_fan_out_and_survive_a_failing_subscriber(rt: ModuleType, caplog: Any) -> None:
    async def main() -> None:
        got: dict[str, list[Any]] = {"one": [], "two": [], "star": [], "other": []}

        def recorder(name: str) -> Any:
            async def callback(env: Any) -> None:
                await asyncio.sleep(0)
                got[name].append(env.payload.data)

            return callback

        async def failing(env: Any) -> None:
            raise RuntimeError("subscriber bug")

        bus = rt.Bus()
        bus.subscribe("metrics", recorder("one"))
        bus.subscribe("metrics", failing)
        bus.subscribe("metrics", recorder("two"))
        bus.subscribe("*", recorder("star"))
        unsubscribe = bus.subscribe("logs", recorder("other"))
        delivered = await bus.publish(rt.Envelope.make_event("mon", "metrics", {"cpu": 1}))
        assert delivered == 3
        assert got == {"one": [{"cpu": 1}], "two": [{"cpu": 1}], "star": [{"cpu": 1}], "other": []}
        unsubscribe()
        assert await bus.publish(rt.Envelope.make_event("mon", "logs", {"line": "x"})) == 1
        assert got["other"] == [] and got["star"][-1] == {"line": "x"}
        assert await rt.Bus().publish(rt.Envelope.make_event("mon", "none")) == 0
        with pytest.raises(ValueError):
            await bus.publish(req(rt))

    with caplog.at_level(logging.ERROR):
        run(main)
    assert any("subscriber" in r.getMessage() for r in caplog.records)


def test_close_answers_waiting_callers_and_cancels_handlers(rt: ModuleType) -> None:
    async def main() -> None:
        cancelled = asyncio.Event()

        async def slow(env: Any) -> Any:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                cancelled.set()
                raise
            return env.make_response(None)

        bus = rt.Bus()
        bus.register("a", slow, concurrency=1)
        running = asyncio.create_task(bus.request(req(rt)))
        queued = asyncio.create_task(bus.request(req(rt)))
        await asyncio.sleep(0.01)
        await bus.close()
        assert bus.closed
        assert cancelled.is_set()
        assert code_of(await running) == "internal_error"
        assert code_of(await queued) == "unknown_target"
        with pytest.raises(RuntimeError):
            await bus.request(req(rt))
        await bus.start()
        assert not bus.closed

    run(main)


def test_unregister_answers_queued_requests(rt: ModuleType) -> None:
    async def main() -> None:
        gate = asyncio.Event()

        async def handler(env: Any) -> Any:
            await gate.wait()
            return env.make_response("done")

        bus = rt.Bus()
        bus.register("a", handler, concurrency=1)
        running = asyncio.create_task(bus.request(req(rt)))
        queued = asyncio.create_task(bus.request(req(rt)))
        await asyncio.sleep(0.01)
        bus.unregister("a")
        assert code_of(await queued) == "unknown_target"
        gate.set()
        assert (await running).payload.data == {"result": "done"}

    run(main)
