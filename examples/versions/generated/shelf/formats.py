"""String formats of JSON Schema: checked exactly, and the value stays the string that was sent.

One source for both sides: ``specloom validate`` checks examples and defaults with
:data:`CHECKS` (through a ``jsonschema`` FormatChecker), and this very file is copied into every
generated package as ``<package>/formats.py``, whose ``Fmt_*`` annotations the models use. So a
value is accepted by ``validate`` exactly when the generated code accepts it, and a value that
passes comes back byte-identical (a ``str``, never a ``datetime``, ``UUID`` or ``AnyUrl``).

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

import ipaddress
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, Field

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

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)*")
_URI_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*"
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:" + _URI_CHARS)
_URI_REFERENCE = re.compile(_URI_CHARS)
_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


def _is_date(text: str) -> bool:
    match = _DATE.fullmatch(text)
    if match is None:
        return False
    try:
        date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def _is_time(text: str) -> bool:
    match = _TIME.fullmatch(text)
    if match is None:
        return False
    hour, minute, second = int(match[1]), int(match[2]), int(match[3])
    if hour > 23 or minute > 59 or second > 60:
        return False
    if match[6] is not None and (int(match[6]) > 23 or int(match[7]) > 59):
        return False
    return True


def _is_date_time(text: str) -> bool:
    day, sep, clock = text.partition("T") if "T" in text else text.partition("t")
    if not sep or not _is_date(day) or not _is_time(clock):
        return False
    try:  # the calendar as a whole (a leap second is checked as :59)
        datetime.fromisoformat(f"{day}T{clock[:6]}{min(int(clock[6:8]), 59):02d}")
    except ValueError:
        return False
    return True


def _is_uri(text: str) -> bool:
    return _URI.fullmatch(text) is not None and _PERCENT.search(text) is None


def _is_uri_reference(text: str) -> bool:
    return _URI_REFERENCE.fullmatch(text) is not None and _PERCENT.search(text) is None


def _is_hostname(text: str) -> bool:
    name = text[:-1] if text.endswith(".") else text
    return 0 < len(name) <= 253 and all(_LABEL.fullmatch(label) for label in name.split("."))


def _is_ip(version: int) -> Callable[[str], bool]:
    kind = ipaddress.IPv4Address if version == 4 else ipaddress.IPv6Address

    def check(text: str) -> bool:
        try:
            kind(text)
        except ValueError:
            return False
        return True

    return check


CHECKS: dict[str, Callable[[str], bool]] = {
    "date-time": _is_date_time,
    "date": _is_date,
    "time": _is_time,
    "uuid": lambda text: _UUID.fullmatch(text) is not None,
    "email": lambda text: _EMAIL.fullmatch(text) is not None,
    "uri": _is_uri,
    "uri-reference": _is_uri_reference,
    "hostname": _is_hostname,
    "ipv4": _is_ip(4),
    "ipv6": _is_ip(6),
}
"""Format name -> whether a string has that format."""


def is_valid(fmt: str, value: object) -> bool:
    """Whether ``value`` satisfies ``format: fmt`` (non-strings always do, as in JSON Schema)."""
    return not isinstance(value, str) or CHECKS[fmt](value)


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

FORMAT_TYPES: dict[str, str] = {fmt: "Fmt_" + fmt.replace("-", "_") for fmt in CHECKS}
"""Format name -> the name of its annotation in this module."""
