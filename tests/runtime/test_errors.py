"""Error codes, payloads and the caller-side mapping back to typed exceptions."""

from __future__ import annotations

from types import ModuleType

import pytest
from pydantic import BaseModel, ValidationError


def test_standard_codes(rt: ModuleType) -> None:
    expected = {
        rt.InvalidParams: "invalid_params",
        rt.ContractViolation: "contract_violation",
        rt.RequestTimeout: "timeout",
        rt.NotImplementedYet: "not_implemented",
        rt.UnknownTarget: "unknown_target",
        rt.UnknownMethod: "unknown_method",
        rt.InternalError: "internal_error",
    }
    for cls, code in expected.items():
        assert cls.code == code
        assert issubclass(cls, rt.SpecloomError)
        assert rt.STANDARD_ERRORS[code] is cls
    assert issubclass(rt.DeclaredError, rt.SpecloomError)
    assert issubclass(rt.NotImplementedYet, NotImplementedError)


def test_to_payload_and_str(rt: ModuleType) -> None:
    err = rt.InvalidParams("bad table", {"field": "table"})
    assert err.to_payload() == {
        "code": "invalid_params",
        "message": "bad table",
        "details": {"field": "table"},
    }
    assert str(err) == "bad table"
    assert rt.InternalError().to_payload() == {
        "code": "internal_error",
        "message": "internal_error",
        "details": {},
    }


def test_error_from_payload(rt: ModuleType, db: ModuleType) -> None:
    declared = {"TableNotFound": db.TableNotFound}
    err = rt.error_from_payload(
        {"code": "TableNotFound", "message": "no users", "details": {"table": "users"}}, declared
    )
    assert type(err) is db.TableNotFound
    assert (err.message, err.details) == ("no users", {"table": "users"})

    err = rt.error_from_payload({"code": "timeout", "message": "late", "details": {}}, declared)
    assert type(err) is rt.RequestTimeout

    # a declared code of another method is not mapped to its class
    err = rt.error_from_payload(
        {"code": "RecordLocked", "message": "m", "details": {"a": 1}}, declared
    )
    assert type(err) is rt.InternalError
    assert err.details == {"a": 1, "original_code": "RecordLocked"}
    assert err.message == "m"

    err = rt.error_from_payload({"nonsense": True}, declared)
    assert type(err) is rt.InternalError
    assert err.details == {"original_code": None}


def test_validation_details_are_json_friendly(rt: ModuleType) -> None:
    class Params(BaseModel):
        n: int
        tags: list[str]

    with pytest.raises(ValidationError) as info:
        Params.model_validate({"n": "x", "tags": ["a", 3]})
    details = rt.validation_details(info.value)
    assert details == {
        "errors": [
            {"loc": ["n"], "msg": details["errors"][0]["msg"], "type": "int_parsing"},
            {"loc": ["tags", 1], "msg": details["errors"][1]["msg"], "type": "string_type"},
        ]
    }
