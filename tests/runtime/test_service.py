"""ServiceHost + Client over the bus with a hand-written (generated-like) contract module."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, TypeAdapter


def run(coro_fn: Callable[[], Awaitable[Any]]) -> Any:
    return asyncio.run(asyncio.wait_for(coro_fn(), timeout=20))


def make_impl(rt: ModuleType, db: ModuleType) -> Any:
    class Database(db.DatabaseV1):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            self.rows: dict[str, dict[str, dict[str, Any]]] = {"users": {}}
            self.seen_filters: list[Any] = []
            self.mode = "normal"

        async def create(self, table: str, data: dict[str, Any]) -> str:
            if self.mode == "wrong_type":
                return 123  # type: ignore[return-value]
            if self.mode == "undeclared":
                raise db.TableNotFound(table)  # create declares no errors
            if self.mode == "crash":
                raise KeyError("oops")
            key = f"{table}-{len(self.rows.setdefault(table, {})) + 1}"
            self.rows[table][key] = data
            return key

        async def read(self, table: str, id: str) -> dict[str, Any] | None:
            if table not in self.rows:
                raise db.TableNotFound(f"no table {table}", {"table": table})
            if self.mode == "foreign_error":
                raise db.RecordLocked("locked")  # declared by the contract, not by read
            return self.rows[table].get(id)

        @rt.stub
        async def query(self, table: str, filters: list[Any]) -> list[dict[str, Any]]:
            self.seen_filters.extend(filters)
            return []

    return Database()


class World:
    def __init__(self, rt: ModuleType, db: ModuleType, **host_options: Any) -> None:
        self.bus = rt.Bus()
        self.impl = make_impl(rt, db)
        self.host = rt.ServiceHost("agent-02-database", self.bus, [(db.DATABASE_V1, self.impl)])
        self.client = db.DatabaseV1Client(self.bus, "agent-03-core-engine", "agent-02-database")
        self.seen: list[Any] = []
        self.bus.on_envelope(self.seen.append)


def test_round_trip_through_client_host_and_bus(rt: ModuleType, db: ModuleType) -> None:
    async def main() -> None:
        w = World(rt, db)
        key = await w.client.create("users", {"name": "ada"})
        assert key == "users-1"
        assert await w.client.read("users", key) == {"name": "ada"}
        assert await w.client.read("users", "missing") is None
        request, response = w.seen[:2]
        assert request.payload.action == "create"
        assert request.payload.metadata == {
            "contract": "Database",
            "version": 1,
            "method": "create",
        }
        assert request.payload.data == {"table": "users", "data": {"name": "ada"}}
        assert response.payload.data == {"result": "users-1"}
        assert response.correlation_id == request.correlation_id
        assert len({env.correlation_id for env in w.seen}) == 3

    run(main)


def test_nested_models_reach_the_implementation_as_models(rt: ModuleType, db: ModuleType) -> None:
    class Filter(BaseModel):
        model_config = ConfigDict(extra="forbid")
        field: str
        equals: Any

    class QueryParams(BaseModel):
        model_config = ConfigDict(extra="forbid")
        table: str
        filters: list[Filter]

    seen: list[Any] = []

    class Impl:
        async def query(self, table: str, filters: list[Filter]) -> list[dict[str, Any]]:
            seen.extend(filters)
            return [{"table": table}]

    spec = rt.ContractSpec(
        "Search",
        1,
        {"query": rt.MethodSpec("query", QueryParams, TypeAdapter(list[dict[str, Any]]), ())},
    )

    async def main() -> None:
        bus = rt.Bus()
        rt.ServiceHost("search", bus, [(spec, Impl())])
        client = rt.Client(bus, "me", "search")
        result = await client._call(
            spec, "query", {"table": "t", "filters": [Filter(field="a", equals=1)]}
        )
        assert result == [{"table": "t"}]
        assert seen == [Filter(field="a", equals=1)]
        assert isinstance(seen[0], Filter)

    run(main)


def test_invalid_params_raise_at_the_caller(rt: ModuleType, db: ModuleType) -> None:
    async def main() -> None:
        w = World(rt, db)
        with pytest.raises(rt.InvalidParams) as info:
            await w.client.create("Bad Table", {"x": 1})
        errors = info.value.details["errors"]
        assert [(e["loc"], e["type"]) for e in errors] == [(["table"], "string_pattern_mismatch")]
        assert isinstance(errors[0]["msg"], str)
        # extra parameters are refused too (generated params models forbid extras)
        with pytest.raises(rt.InvalidParams):
            await w.client._call(db.DATABASE_V1, "create", {"table": "t", "data": {}, "x": 1})
        assert w.impl.rows == {"users": {}}

    run(main)


def test_wrong_result_type_is_a_contract_violation(rt: ModuleType, db: ModuleType) -> None:
    async def main() -> None:
        w = World(rt, db)
        w.impl.mode = "wrong_type"
        with pytest.raises(rt.ContractViolation) as info:
            await w.client.create("users", {})
        assert info.value.details["errors"][0]["type"] == "string_type"

    run(main)


def test_declared_error_round_trips_to_the_typed_exception(rt: ModuleType, db: ModuleType) -> None:
    async def main() -> None:
        w = World(rt, db)
        with pytest.raises(db.TableNotFound) as info:
            await w.client.read("orders", "1")
        assert info.value.message == "no table orders"
        assert info.value.details == {"table": "orders"}
        assert w.seen[-1].payload.data["code"] == "TableNotFound"

    run(main)


def test_undeclared_errors_are_contract_violations(rt: ModuleType, db: ModuleType) -> None:
    async def main() -> None:
        w = World(rt, db)
        w.impl.mode = "undeclared"
        with pytest.raises(rt.ContractViolation) as info:
            await w.client.create("users", {})
        assert info.value.details["error"]["code"] == "TableNotFound"
        w.impl.mode = "foreign_error"
        with pytest.raises(rt.ContractViolation):
            await w.client.read("users", "1")

    run(main)


def test_unexpected_exception_is_an_internal_error(rt: ModuleType, db: ModuleType) -> None:
    async def main() -> None:
        w = World(rt, db)
        w.impl.mode = "crash"
        with pytest.raises(rt.InternalError) as info:
            await w.client.create("users", {})
        assert "KeyError" in info.value.message
        w.impl.mode = "normal"
        assert await w.client.create("users", {}) == "users-1"

    run(main)


def test_stubs(rt: ModuleType, db: ModuleType) -> None:
    async def main() -> None:
        w = World(rt, db)
        assert rt.pending_stubs(w.impl) == ["query"]
        assert w.host.health() == {
            "agent": "agent-02-database",
            "contracts": ["Database@1"],
            "pending_stubs": 1,
            "status": "pending",
        }
        with pytest.raises(rt.NotImplementedYet):
            await w.impl.query("users", [])
        with pytest.raises(rt.NotImplementedYet) as info:
            await w.client.query("users", [db.Filter(field="a", equals=1)])
        assert info.value.details == {"method": "query"}
        assert w.impl.seen_filters == []  # the stub body never ran
        assert w.seen[-1].payload.data["code"] == "not_implemented"
        assert w.seen[-2].payload.data["filters"] == [{"field": "a", "equals": 1}]

        class Done(type(w.impl)):  # type: ignore[misc]
            async def query(self, table: str, filters: list[Any]) -> list[dict[str, Any]]:
                return []

        assert rt.pending_stubs(Done()) == []
        bus = rt.Bus()
        host = rt.ServiceHost("db2", bus, [(db.DATABASE_V1, Done())])
        assert host.health()["status"] == "ok"

    run(main)


def test_stub_keeps_metadata_and_works_on_sync_functions(rt: ModuleType) -> None:
    @rt.stub
    def compute(x: int) -> int:
        """Doc."""
        return x

    assert compute.__name__ == "compute" and compute.__doc__ == "Doc."
    assert compute.__specloom_stub__ is True  # type: ignore[attr-defined]
    with pytest.raises(rt.NotImplementedYet):
        compute(1)


def test_unknown_method_and_unknown_target(rt: ModuleType, db: ModuleType) -> None:
    v2 = rt.ContractSpec("Database", 2, dict(db.DATABASE_V1.methods))

    async def main() -> None:
        w = World(rt, db)
        with pytest.raises(rt.UnknownMethod) as info:
            await w.client._call(v2, "create", {"table": "t", "data": {}})
        assert info.value.details["provides"] == ["Database@1"]
        with pytest.raises(rt.UnknownMethod):  # not in the contract at all: refused locally
            await w.client._call(db.DATABASE_V1, "drop", {})
        stray = rt.Envelope.make_request("x", "agent-02-database", "Database", 1, "drop", {})
        assert (await w.bus.request(stray)).payload.data["code"] == "unknown_method"
        odd = rt.Envelope.model_validate(
            {**stray.model_dump(), "payload": {"action": "custom", "metadata": {"version": [1]}}}
        )
        assert (await w.bus.request(odd)).payload.data["code"] == "unknown_method"
        nowhere = db.DatabaseV1Client(w.bus, "me", "agent-99")
        with pytest.raises(rt.UnknownTarget):
            await nowhere.create("users", {})

    run(main)


def test_client_timeout_and_options(rt: ModuleType, db: ModuleType) -> None:
    async def main() -> None:
        w = World(rt, db)
        original = w.impl.create

        async def slow_create(table: str, data: dict[str, Any]) -> str:
            await asyncio.sleep(5)
            return await original(table, data)

        host = rt.ServiceHost  # re-host with a slow implementation
        w.host.close()
        w.impl.create = slow_create
        host("agent-02-database", w.bus, [(db.DATABASE_V1, w.impl)])
        quick = w.client._with_options(timeout_ms=40, priority="critical")
        assert type(quick) is type(w.client)
        with pytest.raises(rt.RequestTimeout):
            await quick.create("users", {})
        assert w.seen[-2].priority == "critical"
        assert w.seen[-2].timeout_ms == 40
        assert w.client._timeout_ms == 5000
        with pytest.raises(ValueError):
            w.client._with_options(priority="urgent")

    run(main)


def test_host_configuration_errors(rt: ModuleType, db: ModuleType) -> None:
    bus = rt.Bus()

    class Incomplete:
        async def create(self, table: str, data: dict[str, Any]) -> str:
            return ""

    with pytest.raises(TypeError):
        rt.ServiceHost("x", bus, [(db.DATABASE_V1, Incomplete())])
    impl = make_impl(rt, db)
    with pytest.raises(ValueError):
        rt.ServiceHost("y", bus, [(db.DATABASE_V1, impl), (db.DATABASE_V1, impl)])
    assert bus.agents == ()
    assert db.DATABASE_V1.key == "Database@1"
    assert {db.DATABASE_V1: 1}[rt.ContractSpec("Database", 1, {})] == 1
    assert db.DATABASE_V1.methods["read"].declared == {"TableNotFound": db.TableNotFound}


def test_metadata_must_match_exactly(rt: ModuleType, db: ModuleType) -> None:
    async def main() -> None:
        w = World(rt, db)
        good = rt.Envelope.make_request("x", "agent-02-database", "Database", 1, "read", {})
        for version in (True, 1.0, "1"):
            metadata = {"contract": "Database", "version": version, "method": "read"}
            odd = rt.Envelope.model_validate(
                {**good.model_dump(), "payload": {"action": "read", "metadata": metadata}}
            )
            reply = await w.bus.request(odd)
            assert reply.payload.data["code"] == "unknown_method", version

    run(main)
