"""Mocks built from contract examples: stateful scenarios, stubs, recorded calls.

A generated mock subclasses :class:`Mock` with the contract's examples and one default answer
per method. A call is answered by, in order:

1. a stub set by a test (``mock.stub("read", when={...}, returns=... or raises=...)``);
2. the next step of an example scenario in progress whose method and arguments match; values the
   mock itself returned earlier and bound (``bind``) resolve, so ``create`` then ``read`` of the
   returned id works like the example says;
3. the first step of a scenario, or any example step, whose method and literal arguments match
   (arguments that use a still-unbound variable match anything);
4. a deterministic, schema-valid default computed from the return schema at generation time.

Every call is recorded in ``mock.calls``. Answers are deterministic: no clocks, no randomness.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pydantic_core import to_jsonable_python

from .errors import DeclaredError, InvalidParams
from .matchers import example_value, is_matcher, lookup, match, parse_path
from .service import ContractSpec

__all__ = ["Call", "Mock", "json_equal", "json_subset", "resolve_vars"]

_MISSING: Any = object()


class _Unbound(Exception):
    pass


def resolve_vars(value: Any, bindings: Mapping[str, Any], *, strict: bool = True) -> Any:
    """Replace ``{"$var": name}`` placeholders (``name``, ``name.key``, ``name[0].key``) with
    bound values.

    With ``strict=False`` an unbound placeholder becomes a wildcard (:data:`ANY`).
    """
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("$var"), str):
            parsed = parse_path(value["$var"])
            if parsed is not None and parsed[0] in bindings:
                try:
                    return copy.deepcopy(lookup(bindings[parsed[0]], parsed[1]))
                except KeyError:
                    pass
            if strict:
                raise _Unbound(value["$var"])
            return ANY
        return {k: resolve_vars(v, bindings, strict=strict) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_vars(v, bindings, strict=strict) for v in value]
    return value


class _Any:
    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()


def json_equal(actual: Any, expected: Any) -> bool:
    """Equality of JSON values (``True`` is not ``1``; ``1`` equals ``1.0``); ANY matches all;
    matchers (``$like``, ``$regex``, ``$eachLike``, ``$partial``) match as documented."""
    if expected is ANY:
        return True
    if is_matcher(expected):
        return match(actual, expected, json_equal)
    if isinstance(expected, bool) or isinstance(actual, bool):
        return type(expected) is type(actual) and actual == expected
    if isinstance(expected, dict):
        return (
            isinstance(actual, dict)
            and actual.keys() == expected.keys()
            and all(json_equal(actual[k], v) for k, v in expected.items())
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(json_equal(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return bool(actual == expected)


def json_subset(actual: Any, expected: Any) -> bool:
    """Like :func:`json_equal`, but an expected object only needs its own keys present."""
    if is_matcher(expected):
        return match(actual, expected, json_equal, subset=True)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and json_subset(actual[k], v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(json_subset(a, e) for a, e in zip(actual, expected, strict=True))
        )
    return json_equal(actual, expected)


def _has_any(value: Any) -> bool:
    if value is ANY:
        return True
    if isinstance(value, dict):
        return any(_has_any(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_any(v) for v in value)
    return False


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base.get(k), v) if k in base else v
        return out
    return over


@dataclass
class Call:
    """One call received by a mock."""

    method: str
    args: dict[str, Any]
    result: Any = None
    error: str | None = None


@dataclass
class _Stub:
    method: str
    when: dict[str, Any] | None
    returns: Any
    raises: BaseException | type[BaseException] | None
    delay: float
    times: int | None


@dataclass
class _Progress:
    position: int = 0
    bindings: dict[str, Any] = field(default_factory=dict)


class Mock:
    """Base of generated mocks; subclasses set SPEC, EXAMPLES and DEFAULTS."""

    SPEC: ClassVar[ContractSpec]
    EXAMPLES: ClassVar[list[dict[str, Any]]] = []
    DEFAULTS: ClassVar[dict[str, Any]] = {}

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._stubs: list[_Stub] = []
        self._progress: dict[int, _Progress] = {}

    def stub(
        self,
        method: str,
        *,
        when: Mapping[str, Any] | None = None,
        returns: Any = _MISSING,
        raises: BaseException | type[BaseException] | None = None,
        delay: float = 0.0,
        times: int | None = None,
    ) -> None:
        """Answer calls of ``method`` (whose arguments include ``when``) with a fixed result.

        The newest matching stub wins; ``times`` limits how often it answers; ``delay`` (seconds)
        makes the answer slow, e.g. to test timeouts.
        """
        if method not in self.SPEC.methods:
            raise ValueError(f"{self.SPEC.key} has no method {method!r}")
        if returns is _MISSING and raises is None and not delay:
            raise ValueError("stub needs returns=, raises= or delay=")
        when_json = to_jsonable_python(dict(when)) if when is not None else None
        self._stubs.insert(0, _Stub(method, when_json, returns, raises, delay, times))

    def reset(self) -> None:
        """Forget calls, stubs and scenario progress."""
        self.calls.clear()
        self._stubs.clear()
        self._progress.clear()

    async def _answer(self, method: str, args: dict[str, Any]) -> Any:
        call = Call(method, to_jsonable_python(args))
        self.calls.append(call)
        try:
            value = await self._choose(method, call.args)
        except DeclaredError as exc:
            call.error = exc.code
            raise
        call.result = to_jsonable_python(value)
        return value

    async def _choose(self, method: str, args: dict[str, Any]) -> Any:
        stub = self._find_stub(method, args)
        if stub is not None:
            if stub.delay:
                await asyncio.sleep(stub.delay)
            if stub.raises is not None:
                raise stub.raises
            if stub.returns is not _MISSING:
                return self._typed(method, to_jsonable_python(stub.returns))
        candidates = self._candidates(method, args)
        if candidates:
            position, index, progress = max(candidates, key=lambda c: (c[0], -c[1]))
        else:
            found = self._anywhere(method, args)
            if found is None:
                return self._typed(method, copy.deepcopy(self.DEFAULTS.get(method)))
            index, position = found
            progress = _Progress(position)
            candidates = [(position, index, progress)]
        example = self.EXAMPLES[index]
        step = example["steps"][position]
        error = self._error(method, step["raises"], example["name"]) if "raises" in step else None
        typed = None if error else self._typed(method, self._value(step, progress.bindings))
        self._advance(candidates, step, typed)
        if error is not None:
            raise error
        return typed

    def _value(self, step: Mapping[str, Any], bindings: Mapping[str, Any]) -> Any:
        if "returns" not in step:
            return copy.deepcopy(step.get("default"))
        expected = resolve_vars(step["returns"], bindings, strict=False)
        partial = is_matcher(expected) == "$partial"
        expected = example_value(expected)
        if step.get("match") == "subset" or partial:
            expected = _merge(step.get("default"), expected)
        if _has_any(expected):
            # The expected value uses a variable this scenario never bound (the call matched
            # out of context): answer with the step's schema-valid default instead.
            return copy.deepcopy(step.get("default"))
        return expected

    def _candidates(self, method: str, args: dict[str, Any]) -> list[tuple[int, int, _Progress]]:
        """Scenarios this call continues (their next step matches) or starts (first step).

        The scenario that has come furthest answers: it knows the most about the caller's
        situation. Ties go to the example written first.
        """
        out = []
        for index, example in enumerate(self.EXAMPLES):
            steps = example["steps"]
            live = self._progress.get(index)
            if live is not None and self._matches(
                steps[live.position], method, args, live.bindings
            ):
                out.append((live.position, index, live))
            elif self._matches(steps[0], method, args, {}):
                out.append((0, index, _Progress()))
        return out

    def _advance(
        self, candidates: list[tuple[int, int, _Progress]], chosen: Mapping[str, Any], typed: Any
    ) -> None:
        """Move every scenario the call matched one step on, if the answer agrees with it."""
        answer = to_jsonable_python(typed)
        for position, index, progress in candidates:
            steps = self.EXAMPLES[index]["steps"]
            step = steps[position]
            if step.get("raises") != chosen.get("raises"):
                self._progress.pop(index, None)  # what happened contradicts this scenario
                continue
            if "bind" in step:
                progress.bindings[step["bind"]] = answer
            progress.position = position + 1
            if progress.position >= len(steps):
                self._progress.pop(index, None)
            else:
                self._progress[index] = progress

    def _anywhere(self, method: str, args: dict[str, Any]) -> tuple[int, int] | None:
        """The first example step anywhere whose method and literal arguments match."""
        for index, example in enumerate(self.EXAMPLES):
            for position, step in enumerate(example["steps"]):
                if self._matches(step, method, args, {}):
                    return index, position
        return None

    def _find_stub(self, method: str, args: dict[str, Any]) -> _Stub | None:
        for stub in self._stubs:
            if stub.method != method:
                continue
            if stub.when is not None and not json_subset(args, stub.when):
                continue
            if stub.times is not None:
                stub.times -= 1
                if stub.times <= 0:
                    self._stubs.remove(stub)
            return stub
        return None

    def _matches(
        self, step: Mapping[str, Any], method: str, args: Mapping[str, Any], b: Any
    ) -> bool:
        if step["call"] != method:
            return False
        expected = resolve_vars(step.get("with", {}), b, strict=False)
        # Arguments the example leaves out, and fields filled by defaults, match anything.
        return all(k in args and json_subset(args[k], v) for k, v in expected.items())

    def _typed(self, method: str, value: Any) -> Any:
        spec = self.SPEC.methods[method]
        try:
            return spec.result.validate_python(value)
        except Exception as exc:  # a stub returned something the contract does not allow
            raise InvalidParams(f"mock answer for {method} breaks the contract: {exc}") from exc

    def _error(self, method: str, code: str, example: str) -> DeclaredError:
        for cls in self.SPEC.methods[method].errors:
            if cls.code == code:
                return cls(f"{code} (mock: example {example!r})")
        raise InvalidParams(f"example raises undeclared error {code}")
