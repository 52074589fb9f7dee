"""The seed's inter-agent message envelope (format version 1.0), exactly.

Every message that crosses the bus is an :class:`Envelope`. Envelopes are immutable. The
``make_*`` constructors build envelopes from data that is already valid without re-validating
it (fast path); anything read from the outside goes through ``Envelope.model_validate`` /
``Envelope.model_validate_json``, which validates every field.
"""

from __future__ import annotations

import itertools
import os
import time
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

__all__ = [
    "CRUD_ACTIONS",
    "PRIORITY_RANK",
    "Action",
    "Envelope",
    "MessageType",
    "Payload",
    "Priority",
    "action_for",
    "new_correlation_id",
    "utc_timestamp",
]

Priority = Literal["low", "medium", "high", "critical"]
MessageType = Literal["request", "response", "event", "error"]
Action = Literal["create", "read", "update", "delete", "query", "custom"]

#: Lower rank is served first.
PRIORITY_RANK: Final[dict[str, int]] = {"critical": 0, "high": 1, "medium": 2, "low": 3}
CRUD_ACTIONS: Final[frozenset[str]] = frozenset({"create", "read", "update", "delete", "query"})

_TIMESTAMP_PATTERN: Final = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$"


_last_instant = ""


def _real_instant(value: str) -> str:
    # The pattern checks the shape; this rejects impossible dates such as month 13. Envelopes
    # stamped within one millisecond share their timestamp: the last valid one is not parsed
    # again.
    global _last_instant
    if value != _last_instant:
        datetime.fromisoformat(value[:-1])
        _last_instant = value
    return value


Timestamp = Annotated[str, Field(pattern=_TIMESTAMP_PATTERN), AfterValidator(_real_instant)]
NonEmpty = Annotated[str, Field(min_length=1)]

_ts_second = -1
_ts_prefix = ""
_ts_milli = -1
_ts_value = ""


def utc_timestamp() -> str:
    """Current UTC time as ISO-8601 with milliseconds and a trailing ``Z``."""
    global _ts_second, _ts_prefix, _ts_milli, _ts_value
    milli = int(time.time() * 1000)
    if milli == _ts_milli:  # a busy process stamps many envelopes per millisecond
        return _ts_value
    second = milli // 1000
    if second != _ts_second:
        _ts_prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        _ts_second = second
    _ts_milli = milli
    _ts_value = f"{_ts_prefix}.{milli - second * 1000:03d}Z"
    return _ts_value


_ID_PREFIX: Final = os.urandom(8).hex()
_id_counter = itertools.count(1)


def new_correlation_id() -> str:
    """A process-unique id: a random 64-bit prefix chosen at import plus a counter."""
    return f"{_ID_PREFIX}-{next(_id_counter):x}"


def action_for(method: str) -> Action:
    """The envelope action of a contract method: its name if it is a CRUD verb, else custom."""
    if method == "create":
        return "create"
    if method == "read":
        return "read"
    if method == "update":
        return "update"
    if method == "delete":
        return "delete"
    if method == "query":
        return "query"
    return "custom"


class Payload(BaseModel):
    """``payload`` of an envelope: an action, its data and free metadata."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: Action
    data: dict[str, Any] = Field(default_factory=dict)
    metadata: dict[str, Any] = Field(default_factory=dict)


class Envelope(BaseModel):
    """One inter-agent message in the seed's format."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    version: Literal["1.0"] = "1.0"
    timestamp: Timestamp
    source_agent: NonEmpty
    target_agent: NonEmpty
    message_type: MessageType
    correlation_id: NonEmpty
    payload: Payload
    priority: Priority = "medium"
    timeout_ms: Annotated[int, Field(ge=1, strict=True)] = 5000

    @classmethod
    def make_request(
        cls,
        source_agent: str,
        target_agent: str,
        contract: str,
        version: int,
        method: str,
        params: dict[str, Any],
        *,
        priority: Priority = "medium",
        timeout_ms: int = 5000,
        correlation_id: str | None = None,
    ) -> Envelope:
        """A request for ``contract@version.method`` with ``params`` as ``payload.data``.

        ``params`` must be JSON-compatible; a fresh correlation id is used unless given.
        """
        _check(source_agent, target_agent, priority, timeout_ms)
        payload = _payload(
            action_for(method),
            params,
            {"contract": contract, "version": version, "method": method},
        )
        return _envelope(
            utc_timestamp(),
            source_agent,
            target_agent,
            "request",
            correlation_id or new_correlation_id(),
            payload,
            priority,
            timeout_ms,
        )

    @classmethod
    def make_event(
        cls,
        source_agent: str,
        topic: str,
        data: dict[str, Any] | None = None,
        *,
        action: Action = "custom",
        priority: Priority = "medium",
        timeout_ms: int = 5000,
    ) -> Envelope:
        """An event on ``topic`` (``payload.metadata = {"topic": topic}``), targeted at ``*``."""
        _check(source_agent, "*", priority, timeout_ms)
        if not topic or topic == "*":
            raise ValueError(f"invalid event topic {topic!r}")
        payload = _payload(action, {} if data is None else data, {"topic": topic})
        return _envelope(
            utc_timestamp(),
            source_agent,
            "*",
            "event",
            new_correlation_id(),
            payload,
            priority,
            timeout_ms,
        )

    def make_response(self, result: Any) -> Envelope:
        """The response to this request: ``payload.data = {"result": result}``.

        Source and target are swapped; correlation id, action, metadata, priority and timeout
        are kept.
        """
        return self._reply("response", {"result": result})

    def make_error(
        self, code: str, message: str, details: dict[str, Any] | None = None
    ) -> Envelope:
        """The error reply to this request: ``payload.data = {"code", "message", "details"}``."""
        data = {"code": code, "message": message, "details": {} if details is None else details}
        return self._reply("error", data)

    def _reply(self, message_type: MessageType, data: dict[str, Any]) -> Envelope:
        request_payload = self.payload
        return _envelope(
            utc_timestamp(),
            self.target_agent,
            self.source_agent,
            message_type,
            self.correlation_id,
            _payload(request_payload.action, data, request_payload.metadata),
            self.priority,
            self.timeout_ms,
        )

    @property
    def topic(self) -> str | None:
        """The topic of an event envelope, else None."""
        topic = self.payload.metadata.get("topic")
        return topic if isinstance(topic, str) else None


def _check(source_agent: str, target_agent: str, priority: str, timeout_ms: int) -> None:
    if not source_agent or not target_agent:
        raise ValueError("source_agent and target_agent must be non-empty")
    if priority not in PRIORITY_RANK:
        raise ValueError(f"invalid priority {priority!r}")
    if type(timeout_ms) is not int or timeout_ms < 1:
        raise ValueError(f"timeout_ms must be an int >= 1, got {timeout_ms!r}")


# Fast construction from already-valid data. Equivalent to ``model_construct`` with every field
# given (what it stores is checked once below) but several times faster; falls back to
# ``model_construct`` if a pydantic version ever lays instances out differently.
_object_setattr = object.__setattr__
_new = object.__new__
# BaseModel's slots, set through their descriptors (what object.__setattr__ ends up doing).
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _fast_payload(action: str, data: dict[str, Any], metadata: dict[str, Any]) -> Payload:
    model = _new(Payload)
    _object_setattr(model, "__dict__", {"action": action, "data": data, "metadata": metadata})
    _set_fields_set(model, {"action", "data", "metadata"})
    _set_extra(model, None)
    _set_private(model, None)
    return model


_ENVELOPE_FIELDS: Final = frozenset(Envelope.model_fields)


def _fast_envelope(
    timestamp: str,
    source_agent: str,
    target_agent: str,
    message_type: str,
    correlation_id: str,
    payload: Payload,
    priority: str,
    timeout_ms: int,
) -> Envelope:
    model = _new(Envelope)
    _object_setattr(
        model,
        "__dict__",
        {
            "version": "1.0",
            "timestamp": timestamp,
            "source_agent": source_agent,
            "target_agent": target_agent,
            "message_type": message_type,
            "correlation_id": correlation_id,
            "payload": payload,
            "priority": priority,
            "timeout_ms": timeout_ms,
        },
    )
    _set_fields_set(model, set(_ENVELOPE_FIELDS))
    _set_extra(model, None)
    _set_private(model, None)
    return model


def _slow_payload(action: str, data: dict[str, Any], metadata: dict[str, Any]) -> Payload:
    return Payload.model_construct(action=action, data=data, metadata=metadata)


def _slow_envelope(
    timestamp: str,
    source_agent: str,
    target_agent: str,
    message_type: str,
    correlation_id: str,
    payload: Payload,
    priority: str,
    timeout_ms: int,
) -> Envelope:
    return Envelope.model_construct(
        version="1.0",
        timestamp=timestamp,
        source_agent=source_agent,
        target_agent=target_agent,
        message_type=message_type,
        correlation_id=correlation_id,
        payload=payload,
        priority=priority,
        timeout_ms=timeout_ms,
    )


def _same_layout() -> bool:
    args = ("2025-10-30T12:00:00Z", "a", "b", "request", "c")
    try:
        fast = _fast_envelope(*args, _fast_payload("read", {}, {}), "high", 7)
        slow = _slow_envelope(*args, _slow_payload("read", {}, {}), "high", 7)
        return bool(
            fast.__getstate__() == slow.__getstate__()
            and fast.payload.__getstate__() == slow.payload.__getstate__()
            and fast.model_dump_json() == slow.model_dump_json()
        )
    except Exception:  # noqa: BLE001 - any failure means: do not use the fast path
        return False


_payload, _envelope = (
    (_fast_payload, _fast_envelope) if _same_layout() else (_slow_payload, _slow_envelope)
)
