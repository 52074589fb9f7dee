"""Errors that travel on the bus: each has a code, a message and JSON details.

Standard errors are produced by the runtime itself; :class:`DeclaredError` is the base of the
errors that contracts declare (generated per contract). :func:`error_from_payload` turns the
``payload.data`` of an error envelope back into the typed exception at the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final

from pydantic import ValidationError

__all__ = [
    "STANDARD_ERRORS",
    "ContractViolation",
    "DeclaredError",
    "InternalError",
    "InvalidEnvelope",
    "InvalidParams",
    "NotImplementedYet",
    "RequestTimeout",
    "ServiceUnavailable",
    "SpecloomError",
    "Unauthorized",
    "UnknownMethod",
    "UnknownTarget",
    "error_from_payload",
    "validation_details",
]


class SpecloomError(Exception):
    """Root of every error that can cross the bus."""

    code: ClassVar[str] = "error"

    def __init__(self, message: str = "", details: Mapping[str, Any] | None = None) -> None:
        self.message: str = message or self.code
        self.details: dict[str, Any] = dict(details) if details else {}
        super().__init__(self.message)

    def to_payload(self) -> dict[str, Any]:
        """The ``payload.data`` of the error envelope carrying this error."""
        return {"code": self.code, "message": self.message, "details": self.details}

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, {self.details!r})"


class InvalidParams(SpecloomError):
    """The request parameters do not match the method's parameter schema."""

    code = "invalid_params"


class ContractViolation(SpecloomError):
    """A provider broke its contract (wrong result type, undeclared error...)."""

    code = "contract_violation"


class RequestTimeout(SpecloomError):
    """No reply arrived within the request's ``timeout_ms``."""

    code = "timeout"


class NotImplementedYet(SpecloomError, NotImplementedError):
    """The method is still a scaffold stub."""

    code = "not_implemented"


class UnknownTarget(SpecloomError):
    """No agent with the request's ``target_agent`` is registered on the bus."""

    code = "unknown_target"


class UnknownMethod(SpecloomError):
    """The target agent does not serve the requested contract, version or method."""

    code = "unknown_method"


class InternalError(SpecloomError):
    """An unexpected failure (an exception that is not a specloom error)."""

    code = "internal_error"


class ServiceUnavailable(SpecloomError):
    """No process serves the target right now (over a broker: no responder on its subject)."""

    code = "service_unavailable"


class InvalidEnvelope(SpecloomError):
    """A message that is not a valid envelope (malformed JSON, wrong fields, too large)."""

    code = "invalid_envelope"


class Unauthorized(SpecloomError):
    """An envelope whose signature is missing, unknown, wrong or replayed."""

    code = "unauthorized"


class DeclaredError(SpecloomError):
    """Base of the errors declared in contracts; subclasses set ``code``."""

    code = "declared_error"


STANDARD_ERRORS: Final[Mapping[str, type[SpecloomError]]] = {
    cls.code: cls
    for cls in (
        InvalidParams,
        ContractViolation,
        RequestTimeout,
        NotImplementedYet,
        UnknownTarget,
        UnknownMethod,
        InternalError,
        ServiceUnavailable,
        InvalidEnvelope,
        Unauthorized,
    )
}


def error_from_payload(
    data: Mapping[str, Any], declared: Mapping[str, type[DeclaredError]]
) -> SpecloomError:
    """The typed exception for an error envelope's ``payload.data``.

    A code in ``declared`` gives that class, a standard code the standard class; any other code
    gives :class:`InternalError` with the original code in ``details["original_code"]``.
    """
    code = data.get("code")
    message = data.get("message")
    message = message if isinstance(message, str) else ""
    raw_details = data.get("details")
    details: dict[str, Any] = dict(raw_details) if isinstance(raw_details, Mapping) else {}
    if isinstance(code, str):
        declared_cls = declared.get(code)
        if declared_cls is not None:
            return declared_cls(message, details)
        standard_cls = STANDARD_ERRORS.get(code)
        if standard_cls is not None:
            return standard_cls(message, details)
    details["original_code"] = code
    return InternalError(message or f"unknown error code {code!r}", details)


def validation_details(exc: ValidationError) -> dict[str, Any]:
    """JSON-safe details of a pydantic error: ``{"errors": [{"loc", "msg", "type"}, ...]}``."""
    return {
        "errors": [
            {"loc": list(err["loc"]), "msg": err["msg"], "type": err["type"]}
            for err in exc.errors(include_url=False, include_context=False, include_input=False)
        ]
    }
