"""The envelope is the seed's message format, exactly."""

from __future__ import annotations

import json
import re
from types import ModuleType
from typing import Any

import pytest
from pydantic import ValidationError

SEED_EXAMPLE = {
    "version": "1.0",
    "timestamp": "2025-10-30T12:00:00Z",
    "source_agent": "agent-03-core-engine",
    "target_agent": "agent-02-database",
    "message_type": "request",
    "correlation_id": "uuid-here",
    "payload": {"action": "create", "data": {}, "metadata": {}},
    "priority": "medium",
    "timeout_ms": 5000,
}
TOP_KEYS = set(SEED_EXAMPLE)
PAYLOAD_KEYS = {"action", "data", "metadata"}


def request(rt: ModuleType, **overrides: Any) -> Any:
    return rt.Envelope.make_request(
        "agent-03-core-engine",
        "agent-02-database",
        "Database",
        1,
        overrides.pop("method", "create"),
        {"table": "users", "data": {"name": "ada"}},
        **overrides,
    )


def test_seed_example_validates_and_round_trips(rt: ModuleType) -> None:
    env = rt.Envelope.model_validate(SEED_EXAMPLE)
    assert json.loads(env.model_dump_json()) == SEED_EXAMPLE


def test_request_has_exactly_the_seed_keys_and_round_trips(rt: ModuleType) -> None:
    env = request(rt, priority="high", timeout_ms=250)
    dumped = json.loads(env.model_dump_json())
    assert set(dumped) == TOP_KEYS
    assert set(dumped["payload"]) == PAYLOAD_KEYS
    assert dumped["version"] == "1.0"
    assert dumped["message_type"] == "request"
    assert dumped["priority"] == "high"
    assert dumped["timeout_ms"] == 250
    assert dumped["payload"] == {
        "action": "create",
        "data": {"table": "users", "data": {"name": "ada"}},
        "metadata": {"contract": "Database", "version": 1, "method": "create"},
    }
    again = rt.Envelope.model_validate_json(env.model_dump_json())
    assert again == env
    assert again.model_dump() == env.model_dump()
    # the fast internal construction yields a fully valid envelope
    assert rt.Envelope.model_validate(env.model_dump()) == env
    assert env.model_fields_set == set(rt.Envelope.model_fields)


def test_timestamp_is_iso_utc_with_z(rt: ModuleType) -> None:
    env = request(rt)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", env.timestamp)
    for ok in ("2025-10-30T12:00:00Z", "2025-10-30T12:00:00.123Z", "2024-02-29T23:59:59.5Z"):
        assert rt.Envelope.model_validate({**SEED_EXAMPLE, "timestamp": ok}).timestamp == ok


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("version", "2.0"),
        ("timestamp", "2025-10-30T12:00:00"),
        ("timestamp", "2025-10-30T12:00:00+00:00"),
        ("timestamp", "2025-10-30 12:00:00Z"),
        ("timestamp", "2025-13-30T12:00:00Z"),
        ("timestamp", "2025-02-30T12:00:00Z"),
        ("timestamp", "yesterday"),
        ("source_agent", ""),
        ("target_agent", ""),
        ("message_type", "notify"),
        ("correlation_id", ""),
        ("priority", "urgent"),
        ("timeout_ms", 0),
        ("timeout_ms", -5),
        ("timeout_ms", "soon"),
        ("timeout_ms", "5000"),
        ("timeout_ms", 5000.5),
        ("timeout_ms", True),
        ("payload", {"action": "upsert", "data": {}, "metadata": {}}),
        ("payload", {"action": "read", "data": [], "metadata": {}}),
        ("payload", {"action": "read", "data": {}, "metadata": {}, "extra": 1}),
    ],
)
def test_bad_values_are_rejected(rt: ModuleType, field: str, value: Any) -> None:
    with pytest.raises(ValidationError):
        rt.Envelope.model_validate({**SEED_EXAMPLE, field: value})


def test_unknown_and_missing_keys_are_rejected(rt: ModuleType) -> None:
    with pytest.raises(ValidationError):
        rt.Envelope.model_validate({**SEED_EXAMPLE, "reply_to": "x"})
    for key in ("timestamp", "source_agent", "target_agent", "message_type", "correlation_id"):
        with pytest.raises(ValidationError):
            rt.Envelope.model_validate({k: v for k, v in SEED_EXAMPLE.items() if k != key})


def test_defaults(rt: ModuleType) -> None:
    minimal = {k: v for k, v in SEED_EXAMPLE.items() if k not in ("version", "priority")}
    minimal = {**minimal, "payload": {"action": "read"}}
    del minimal["timeout_ms"]
    env = rt.Envelope.model_validate(minimal)
    assert (env.version, env.priority, env.timeout_ms) == ("1.0", "medium", 5000)
    assert env.payload.data == {} and env.payload.metadata == {}


def test_envelopes_are_immutable(rt: ModuleType) -> None:
    env = request(rt)
    with pytest.raises(ValidationError):
        env.priority = "low"


def test_action_for(rt: ModuleType) -> None:
    for verb in ("create", "read", "update", "delete", "query"):
        assert rt.action_for(verb) == verb
        assert request(rt, method=verb).payload.action == verb
    for other in ("process_task", "get_status", "Create", "", "custom"):
        assert rt.action_for(other) == "custom"


def test_response_and_error_swap_agents_and_keep_correlation(rt: ModuleType) -> None:
    req = request(rt, priority="critical", timeout_ms=99)
    resp = req.make_response({"id": "u1"})
    err = req.make_error("TableNotFound", "no table users", {"table": "users"})
    for reply, kind in ((resp, "response"), (err, "error")):
        assert reply.message_type == kind
        assert reply.source_agent == req.target_agent
        assert reply.target_agent == req.source_agent
        assert reply.correlation_id == req.correlation_id
        assert reply.payload.action == "create"
        assert reply.payload.metadata == req.payload.metadata
        assert (reply.priority, reply.timeout_ms) == ("critical", 99)
        assert rt.Envelope.model_validate_json(reply.model_dump_json()) == reply
    assert resp.payload.data == {"result": {"id": "u1"}}
    assert err.payload.data == {
        "code": "TableNotFound",
        "message": "no table users",
        "details": {"table": "users"},
    }
    assert req.make_error("x", "y").payload.data["details"] == {}


def test_event(rt: ModuleType) -> None:
    event = rt.Envelope.make_event("agent-08-monitoring", "metrics.cpu", {"value": 0.5})
    assert event.message_type == "event"
    assert event.target_agent == "*"
    assert event.topic == "metrics.cpu"
    assert event.payload.metadata == {"topic": "metrics.cpu"}
    assert event.payload.data == {"value": 0.5}
    assert event.payload.action == "custom"
    assert set(json.loads(event.model_dump_json())) == TOP_KEYS
    assert rt.Envelope.model_validate_json(event.model_dump_json()) == event
    with pytest.raises(ValueError):
        rt.Envelope.make_event("a", "*")


def test_correlation_ids_are_unique(rt: ModuleType) -> None:
    ids = {request(rt).correlation_id for _ in range(20_000)}
    assert len(ids) == 20_000
    assert request(rt, correlation_id="fixed").correlation_id == "fixed"


@pytest.mark.parametrize(
    "overrides",
    [{"priority": "urgent"}, {"timeout_ms": 0}, {"timeout_ms": 1.5}],
)
def test_make_request_rejects_bad_options(rt: ModuleType, overrides: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        request(rt, **overrides)
    with pytest.raises(ValueError):
        rt.Envelope.make_request("a", "", "Database", 1, "read", {})
