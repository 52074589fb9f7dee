"""The rules of the string formats (stdlib only): see :mod:`.formats` for what they are.

The one definition: generated models check formats with it (through :mod:`.formats`), and
``specloom validate`` loads this very file (by path, without importing the package: it imports
nothing but the standard library) to check examples and defaults.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import date, datetime

__all__ = ["CHECKS", "FORMAT_TYPES", "is_valid"]

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
    return match[6] is None or (int(match[6]) <= 23 and int(match[7]) <= 59)


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
    name = text.removesuffix(".")
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


FORMAT_TYPES: dict[str, str] = {fmt: "Fmt_" + fmt.replace("-", "_") for fmt in CHECKS}
"""Format name -> the name of its annotation in ``formats.py``."""
