"""String formats of JSON Schema: checked exactly, and the value stays the string that was sent.

One source for both sides: generated models annotate a string with a ``format`` as the matching
``Fmt_*`` of this module (``from specloom_runtime.formats import Fmt_date_time``), and
``specloom validate`` checks examples and defaults with the same :data:`CHECKS`
(:mod:`.format_rules`, through a ``jsonschema`` FormatChecker). So a value is accepted by
``validate`` exactly when the generated code accepts it, and a value that passes comes back
byte-identical (a ``str``, never a ``datetime``, ``UUID`` or ``AnyUrl``).

The rules (RFC 3339 for dates and times, RFC 3986 for URIs, RFC 4122 textual form for UUIDs):

- ``date-time``: ``YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)``, a real calendar date; the
  offset is required (a naive time is refused), ``t``/``z`` are accepted, a leap second ``:60``
  too;
- ``date``: ``YYYY-MM-DD``, a real calendar date; ``time``: ``HH:MM:SS[.frac]`` with an offset;
- ``uuid``: 32 hex digits in the 8-4-4-4-12 hyphenated form, any case;
- ``email``: ``local@domain``, one ``@``, no spaces, a dot-separated domain (no DNS check);
- ``uri``: a scheme (``[A-Za-z][A-Za-z0-9+.-]*:``) and no character RFC 3986 forbids;
  ``uri-reference``: the same without the scheme requirement (a relative reference);
- ``hostname``: RFC 1123 labels (1-63 letters, digits, hyphens, not at either end), 253 max;
- ``ipv4`` / ``ipv6``: what Python's :mod:`ipaddress` accepts (no leading zeros in IPv4).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, Field

from .format_rules import CHECKS, FORMAT_TYPES, is_valid

__all__ = [
    "CHECKS",
    "FORMAT_TYPES",
    "Fmt_date",
    "Fmt_date_time",
    "Fmt_email",
    "Fmt_hostname",
    "Fmt_ipv4",
    "Fmt_ipv6",
    "Fmt_time",
    "Fmt_uri",
    "Fmt_uri_reference",
    "Fmt_uuid",
    "is_valid",
]


def _validator(fmt: str) -> AfterValidator:
    check = CHECKS[fmt]

    def validate(value: str) -> str:
        if not check(value):
            raise ValueError(f"not a valid {fmt} string")
        return value

    return AfterValidator(validate)


Fmt_date_time = Annotated[str, Field(strict=True), _validator("date-time")]
Fmt_date = Annotated[str, Field(strict=True), _validator("date")]
Fmt_time = Annotated[str, Field(strict=True), _validator("time")]
Fmt_uuid = Annotated[str, Field(strict=True), _validator("uuid")]
Fmt_email = Annotated[str, Field(strict=True), _validator("email")]
Fmt_uri = Annotated[str, Field(strict=True), _validator("uri")]
Fmt_uri_reference = Annotated[str, Field(strict=True), _validator("uri-reference")]
Fmt_hostname = Annotated[str, Field(strict=True), _validator("hostname")]
Fmt_ipv4 = Annotated[str, Field(strict=True), _validator("ipv4")]
Fmt_ipv6 = Annotated[str, Field(strict=True), _validator("ipv6")]
