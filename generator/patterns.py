"""Spec patterns (JSON Schema ``pattern``) run on one linear-time regex engine, everywhere.

Generated models check patterns with pydantic's default engine, the Rust ``regex`` crate: its
matching time is linear in the input, so no pattern can make a request backtrack for minutes.
``validate`` (example values, defaults) and the value synthesiser use the very same engine through
pydantic-core, so a value they accept is exactly a value the generated code accepts, and a pattern
the engine cannot run (lookaround, backreferences) is an error at ``validate`` instead of a silent
switch to a backtracking engine.

Matching is a search, as in JSON Schema: anchor with ``^...$``. ``$`` is the end of the text (as in
ECMA-262; Python's ``re`` also accepts a final newline there). The supported syntax and how it
differs from ECMA-262 is in ``PATTERN_SUBSET`` (shown in docs/spec-reference.md).

pydantic-core and jsonschema are imported on first use: the no-op ``generate`` path needs neither.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

__all__ = [
    "PATTERN_SUBSET",
    "PatternError",
    "pattern_problem",
    "search",
    "json_schema_validator",
]

PATTERN_SUBSET = (
    "Patterns run on the Rust `regex` engine (pydantic's default; linear time, RE2-like syntax), "
    "in `validate`, in mock values and in the generated code alike. A pattern matches anywhere in "
    "the string (anchor it with `^...$`); `$` is the end of the string. Supported: literals and "
    "escapes, `.`, classes `[...]` and ranges, `\\d \\w \\s \\b` (Unicode-aware, unlike "
    "ECMA-262's ASCII ones), `\\p{...}`, groups `(...)`, `(?:...)`, `(?<name>...)`, "
    "alternation `|`, quantifiers `* + ? {n} {n,} {n,m}` (also lazy). Not supported (a "
    "`validate` error): lookahead and lookbehind `(?=` `(?!` `(?<=` `(?<!`, backreferences `\\1`, "
    "`\\Z`. Rust-only syntax that ECMA-262 reads differently (POSIX classes `[[:alpha:]]`, "
    "class set operations `&&`, inline flags `(?i)`) works here but is not portable."
)

_HINTS = {
    "look-around": (
        "lookahead/lookbehind need a backtracking engine; express the rule without it (e.g. "
        "anyOf of simpler patterns, minLength/maxLength, or a check in the implementation)"
    ),
    "backreference": (
        "backreferences need a backtracking engine; check repeated text in the implementation"
    ),
    "size limit": "the compiled pattern is too large: use smaller repetition counts",
}
_GENERIC_HINT = (
    "patterns run on the linear-time Rust regex engine (RE2-like syntax): see the 'pattern' "
    "entry of docs/spec-reference.md"
)


class PatternError(ValueError):
    """A pattern the engine cannot run: ``reason`` says why (one line), ``hint`` what to do."""

    def __init__(self, pattern: str, reason: str, hint: str) -> None:
        super().__init__(f"pattern {pattern!r} cannot be used: {reason}")
        self.pattern = pattern
        self.reason = reason
        self.hint = hint


def _reason(message: str) -> str:
    """The one-line cause in pydantic-core's (multi-line) regex error."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    for line in lines:
        if line.startswith("error:"):
            return line[len("error:") :].strip()
    last = lines[-1] if lines else message
    return last.removeprefix("SchemaError:").strip()


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str) -> Any:
    """A pydantic-core validator of strings matching ``pattern`` (a search), or a PatternError."""
    from pydantic_core import SchemaError, SchemaValidator, core_schema

    try:
        return SchemaValidator(core_schema.str_schema(pattern=pattern, regex_engine="rust-regex"))
    except SchemaError as exc:
        reason = _reason(str(exc))
        hint = next((h for key, h in _HINTS.items() if key in reason), _GENERIC_HINT)
        return PatternError(pattern, reason, hint)


def pattern_problem(pattern: str) -> PatternError | None:
    """Why the engine cannot run ``pattern`` (with a hint), or None."""
    compiled = _compiled(pattern)
    return compiled if isinstance(compiled, PatternError) else None


def search(pattern: str, text: str) -> bool:
    """Whether ``pattern`` matches somewhere in ``text`` (linear time); PatternError if it cannot
    run."""
    compiled = _compiled(pattern)
    if isinstance(compiled, PatternError):
        raise compiled
    return bool(compiled.isinstance_python(text))


def _pattern_keyword(validator: Any, pattern: Any, instance: Any, schema: Any) -> Iterator[Any]:
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and isinstance(pattern, str):
        if not search(pattern, instance):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def json_schema_validator() -> Any:
    """``jsonschema``'s Draft 2020-12 validator class with ``pattern`` on the Rust engine (it
    raises :class:`PatternError` for a pattern the engine cannot run)."""
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _pattern_keyword})
