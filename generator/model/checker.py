"""The ``jsonschema`` validator of values (examples, defaults, synthesized answers).

Formats are asserted with the very checks the generated models run (:mod:`.formats`), so a value
``validate`` accepts is a value the generated code accepts, and the other way round.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import FormatChecker

from ..patterns import json_schema_validator
from .format_rules import CHECKS, is_valid

__all__ = ["FORMAT_CHECKER", "value_validator"]


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    for name in CHECKS:
        # Formats apply to strings only: any other value passes, as JSON Schema says.
        checker.checks(name)(lambda value, name=name: is_valid(name, value))
    return checker


FORMAT_CHECKER = _format_checker()
"""Only the formats specloom knows (the spec schema refuses others), with the runtime's checks."""


def value_validator(schema: Mapping[str, Any] | bool) -> Any:
    """A Draft 2020-12 validator of values against ``schema``: formats asserted with the runtime's
    checks, ``pattern`` on the same linear-time engine as the generated models."""
    return json_schema_validator()(schema, format_checker=FORMAT_CHECKER)
