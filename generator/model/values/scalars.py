"""Scalar values: integers and numbers within bounds and ``multipleOf``, strings within lengths,
formats and patterns (patterns through :mod:`.regex`, checked with the linear-time engine)."""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from typing import Any

from ...patterns import pattern_problem, search
from .budget import Budget, SynthError
from .regex import Unsupported, parse, strings

__all__ = ["count", "integer", "is_number", "number", "string"]

_WALK_LIMIT = 10_000


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def count(schema: Mapping[str, Any], key: str) -> int | None:
    value = schema.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _bound(schema: Mapping[str, Any], key: str) -> int | float | None:
    value = schema.get(key)
    return value if is_number(value) else None


def _is_multiple(value: int | float, step: int | float) -> bool:
    """``multipleOf`` exactly as ``jsonschema`` checks it (float division for float steps)."""
    if isinstance(step, float):
        try:
            quotient = value / step
            return int(quotient) == quotient
        except OverflowError:
            return (Fraction(value) / Fraction(step)).denominator == 1
        except ValueError:
            return False
    return value % step == 0


def _walk(center: int, low: int | None, high: int | None) -> Iterator[int]:
    """center, center+1, center-1, center+2, ... inside [low, high] (a bounded number of steps)."""

    def inside(k: int) -> bool:
        return (low is None or k >= low) and (high is None or k <= high)

    if inside(center):
        yield center
    for step in range(1, _WALK_LIMIT):
        up, down = center + step, center - step
        if high is not None and up > high and low is not None and down < low:
            return
        if inside(up):
            yield up
        if inside(down):
            yield down


def integer(schema: Mapping[str, Any], variant: int, path: str) -> int:
    low, high = _bound(schema, "minimum"), _bound(schema, "maximum")
    ex_low, ex_high = _bound(schema, "exclusiveMinimum"), _bound(schema, "exclusiveMaximum")
    lows = [math.ceil(low)] if low is not None else []
    lows += [math.floor(ex_low) + 1] if ex_low is not None else []
    highs = [math.floor(high)] if high is not None else []
    highs += [math.ceil(ex_high) - 1] if ex_high is not None else []
    lo, hi = max(lows, default=None), min(highs, default=None)
    if lo is not None and hi is not None and lo > hi:
        raise SynthError(f"{path or '/'}: no integer in the bounds [{lo}, {hi}]")
    center = 0 if lo is None else max(0, lo)
    center = center if hi is None else min(center, hi)
    step = _bound(schema, "multipleOf")
    if step is None:
        values = _walk(center, lo, hi)
    else:
        # Integers that are multiples of p/q (lowest terms) are the multiples of p.
        unit = int(step) if float(step).is_integer() else Fraction(repr(step)).numerator
        k_lo = None if lo is None else -((-lo) // unit)
        k_hi = None if hi is None else hi // unit
        k_center = max(center // unit, k_lo) if k_lo is not None else center // unit
        values = (k * unit for k in _walk(k_center, k_lo, k_hi) if _is_multiple(k * unit, step))
    found = _nth(values, variant)
    if found is None:
        raise SynthError(f"{path or '/'}: no integer satisfies bounds and multipleOf")
    return found


def number(schema: Mapping[str, Any], variant: int, path: str) -> float:
    low, high = _bound(schema, "minimum"), _bound(schema, "maximum")
    ex_low, ex_high = _bound(schema, "exclusiveMinimum"), _bound(schema, "exclusiveMaximum")

    def ok(v: float) -> bool:
        return (
            math.isfinite(v)
            and (low is None or v >= low)
            and (high is None or v <= high)
            and (ex_low is None or v > ex_low)
            and (ex_high is None or v < ex_high)
        )

    try:
        # Preferred in order: zero, whole numbers next to the bounds, the bounds, the middle,
        # and the floats just inside exclusive bounds.
        lo = max((b for b in (low, ex_low) if b is not None), default=None)
        hi = min((b for b in (high, ex_high) if b is not None), default=None)
        if lo is not None and hi is not None and lo > hi:
            raise SynthError(f"{path or '/'}: minimum {lo} > maximum {hi}")
        anchors = [0.0]
        anchors += [] if lo is None else [float(math.floor(lo) + 1)]
        anchors += [] if hi is None else [float(math.ceil(hi) - 1)]
        anchors += [float(b) for b in (lo, hi) if b is not None]
        if lo is not None and hi is not None:
            anchors.append((float(lo) + float(hi)) / 2)
        anchors += [] if lo is None else [math.nextafter(float(lo), math.inf)]
        anchors += [] if hi is None else [math.nextafter(float(hi), -math.inf)]
    except OverflowError:
        raise SynthError(f"{path or '/'}: bounds too large for a float") from None
    base = next((a for a in anchors if ok(a)), None)
    if base is None:
        raise SynthError(f"{path or '/'}: no number satisfies the bounds")
    step = _bound(schema, "multipleOf")
    if step is None:
        values: Iterator[float] = _chain_unique(
            (base + k / 2 for k in range(_WALK_LIMIT) if ok(base + k / 2)),
            (a for a in anchors if ok(a)),
        )
    else:
        try:
            center = round(base / step)
        except OverflowError:
            raise SynthError(f"{path or '/'}: multipleOf {step} too small for the bounds") from None
        values = (
            float(k * step)
            for k in _walk(center, None, None)
            if ok(float(k * step)) and _is_multiple(float(k * step), step)
        )
    found = _nth(values, variant)
    if found is None:
        raise SynthError(f"{path or '/'}: no number satisfies bounds and multipleOf")
    return found


def _chain_unique(*iterators: Iterator[float]) -> Iterator[float]:
    seen: list[float] = []
    for iterator in iterators:
        for value in iterator:
            if value not in seen:
                seen.append(value)
                yield value


def _nth(values: Iterator[Any], n: int) -> Any:
    for i, value in enumerate(values):
        if i == n:
            return value
    return None


_PAD = "x"
_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# Sample values of common formats: (seed, variant) -> string, distinct per variant.
_FORMATS: dict[str, Callable[[str, int], str]] = {
    "date-time": lambda s, v: (_EPOCH + dt.timedelta(days=v)).isoformat().replace("+00:00", "Z"),
    "date": lambda s, v: (_EPOCH + dt.timedelta(days=v)).date().isoformat(),
    "time": lambda s, v: f"00:00:{v % 60:02d}Z",
    "duration": lambda s, v: f"P{v + 1}D",
    "uuid": lambda s, v: str(uuid.uuid5(uuid.NAMESPACE_URL, f"specloom:{s}:{v}")),
    "email": lambda s, v: f"{_slug(s) or 'user'}{_suffix(v)}@example.com",
    "idn-email": lambda s, v: f"{_slug(s) or 'user'}{_suffix(v)}@example.com",
    "uri": lambda s, v: f"https://example.com/{_slug(s)}{_suffix(v)}",
    "iri": lambda s, v: f"https://example.com/{_slug(s)}{_suffix(v)}",
    "uri-reference": lambda s, v: f"https://example.com/{_slug(s)}{_suffix(v)}",
    "hostname": lambda s, v: f"{_slug(s) or 'host'}{_suffix(v)}.example.com",
    "ipv4": lambda s, v: f"192.0.2.{v % 256}",
    "ipv6": lambda s, v: f"2001:db8::{v % 65536:x}",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _suffix(variant: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while variant:
        variant, rest = divmod(variant, len(digits))
        out = digits[rest] + out
    return out


def _fit(text: str, low: int, high: int | None, variant: int) -> str | None:
    """``text`` padded/trimmed to [low, high], ending with the variant's suffix when > 0."""
    tail = _suffix(variant)
    if high is not None and len(tail) > high:
        return None
    body = text[: None if high is None else high - len(tail)]
    body += _PAD * max(0, low - len(body) - len(tail))
    return body + tail


def string(schema: Mapping[str, Any], seed: str, variant: int, path: str, budget: Budget) -> str:
    low, high = count(schema, "minLength") or 0, count(schema, "maxLength")
    if high is not None and low > high:
        raise SynthError(f"{path or '/'}: minLength {low} > maxLength {high}")
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        return _pattern_string(pattern, seed, low, high, variant, path, budget)
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in _FORMATS:
        sample = _FORMATS[fmt](seed, variant)
        if low <= len(sample) and (high is None or len(sample) <= high):
            return sample
    fitted = _fit(seed, low, high, variant)
    if fitted is None:
        raise SynthError(f"{path or '/'}: cannot build distinct strings within maxLength {high}")
    return fitted


def _pattern_string(
    pattern: str, seed: str, low: int, high: int | None, variant: int, path: str, budget: Budget
) -> str:
    problem = pattern_problem(pattern)
    if problem is not None:
        raise SynthError(f"{path or '/'}: {problem}")

    def charge() -> None:
        budget.spend(path or "/")

    def ok(s: str) -> bool:
        charge()
        return low <= len(s) and (high is None or len(s) <= high) and search(pattern, s)

    found: list[str] = []

    def take(candidates: Iterator[str]) -> str | None:
        for s in candidates:
            if ok(s) and s not in found:
                found.append(s)
                if len(found) > variant:
                    return s
        return None

    if variant == 0 and ok(seed):
        return seed
    try:
        node = parse(pattern)
    except Unsupported:
        node = None
    if node is not None:
        result = take(strings(node, seed, low, high, charge))
        if result is not None:
            return result
        # Unanchored patterns match inside longer strings: pad short matches.
        short = list(itertools.islice(strings(node, seed, 0, None, charge), 8))
        need = [max(0, low - len(s)) for s in short]
        result = take(
            itertools.chain(
                (s + _PAD * n for s, n in zip(short, need, strict=True)),
                (_PAD * n + s for s, n in zip(short, need, strict=True)),
            )
        )
        if result is not None:
            return result
    fallbacks = [seed, "", "a", "0", "A", "_", "a0", seed.lower(), seed.upper()]
    padded = [_fit(s, low, high, 0) or "" for s in fallbacks]
    result = take(iter(fallbacks + padded + [_fit(seed, low, high, v) or "" for v in range(64)]))
    if result is not None:
        return result
    raise SynthError(
        f"{path or '/'}: cannot synthesize a string matching pattern {pattern!r} "
        f"with length in [{low}, {'inf' if high is None else high}] "
        "(pattern outside the supported regex subset, or unsatisfiable)"
    )
