"""specloom runtime: message envelope, errors, in-process bus, service host and client base.

The library that every generated system imports (distribution ``specloom-runtime``); needs only
pydantic v2 and the standard library. ``specloom generate --vendor-runtime`` copies it beside a
generated package instead, unchanged: it imports itself only relatively.
"""

__version__ = "0.1.0"

from .bus import Bus, Handler, Observer, Subscriber, error_reply
from .envelope import (
    CRUD_ACTIONS,
    PRIORITY_RANK,
    Action,
    Envelope,
    MessageType,
    Payload,
    Priority,
    action_for,
    new_correlation_id,
    utc_timestamp,
)
from .errors import (
    STANDARD_ERRORS,
    ContractViolation,
    DeclaredError,
    InternalError,
    InvalidEnvelope,
    InvalidParams,
    NotImplementedYet,
    RequestTimeout,
    ServiceUnavailable,
    SpecloomError,
    Unauthorized,
    UnknownMethod,
    UnknownTarget,
    error_from_payload,
    validation_details,
)
from .mock import Call, Mock
from .replay import ExampleFailed, replay
from .service import Client, ContractSpec, MethodSpec, ServiceHost, pending_stubs, stub
from .system import Dependency, ModuleDef, ModuleRuntime, RunningModule, System
from .transport import Transport, connect

__all__ = [
    "CRUD_ACTIONS",
    "PRIORITY_RANK",
    "STANDARD_ERRORS",
    "Action",
    "Bus",
    "Call",
    "Client",
    "ContractSpec",
    "ContractViolation",
    "DeclaredError",
    "Dependency",
    "Envelope",
    "ExampleFailed",
    "Handler",
    "InternalError",
    "InvalidEnvelope",
    "InvalidParams",
    "MessageType",
    "MethodSpec",
    "Mock",
    "ModuleDef",
    "ModuleRuntime",
    "NotImplementedYet",
    "Observer",
    "Payload",
    "Priority",
    "RequestTimeout",
    "RunningModule",
    "ServiceHost",
    "ServiceUnavailable",
    "SpecloomError",
    "Subscriber",
    "System",
    "Transport",
    "Unauthorized",
    "UnknownMethod",
    "UnknownTarget",
    "action_for",
    "connect",
    "error_from_payload",
    "error_reply",
    "new_correlation_id",
    "pending_stubs",
    "replay",
    "stub",
    "utc_timestamp",
    "validation_details",
]
