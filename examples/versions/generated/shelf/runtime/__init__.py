"""specloom runtime: message envelope, errors, in-process bus, service host and client base.

Static code, identical in every generated system; needs only pydantic v2 and the standard
library.
"""

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
    InvalidParams,
    NotImplementedYet,
    RequestTimeout,
    SpecloomError,
    UnknownMethod,
    UnknownTarget,
    error_from_payload,
    validation_details,
)
from .mock import Call, Mock
from .replay import ExampleFailed, replay
from .service import Client, ContractSpec, MethodSpec, ServiceHost, pending_stubs, stub
from .system import Dependency, ModuleDef, ModuleRuntime, RunningModule, System

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
    "SpecloomError",
    "Subscriber",
    "System",
    "UnknownMethod",
    "UnknownTarget",
    "action_for",
    "error_from_payload",
    "error_reply",
    "new_correlation_id",
    "pending_stubs",
    "replay",
    "stub",
    "utc_timestamp",
    "validation_details",
]
