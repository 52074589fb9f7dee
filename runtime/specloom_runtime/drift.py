"""Signature drift: an implementation method whose parameters no longer fit its contract.

The host calls ``method(**params)`` with every parameter of the contract's params model, so a
method that lacks one of them (and takes no ``**kwargs``), or requires one the contract does not
have, fails on every call. The host finds that when it starts and reports it in ``health``
(``status: "drift"``), instead of "ok" until the first call breaks.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

__all__ = ["method_drift"]


def method_drift(key: str, name: str, params: type[BaseModel], method: Callable[..., Any]) -> str:
    """What is wrong with ``method``'s signature for ``key.name`` ("" when it fits)."""
    try:
        signature = inspect.signature(method)
    except (TypeError, ValueError):
        return ""
    accepted = signature.parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in accepted):
        names: set[str] | None = None
    else:
        names = {
            p.name
            for p in accepted
            if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        }
    fields = set(params.model_fields)
    problems = []
    if names is not None and (lacking := sorted(fields - names)):
        problems.append(f"does not accept {', '.join(map(repr, lacking))}")
    required = {
        p.name
        for p in accepted
        if p.default is inspect.Parameter.empty
        and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    }
    if extra := sorted(required - fields):
        problems.append(f"requires {', '.join(map(repr, extra))}, which the contract lacks")
    if not problems:
        return ""
    return f"{key}.{name}: {type(getattr(method, '__self__', method)).__name__}.{name} " + (
        "; ".join(problems)
    )
