"""Mocks built from contract examples: stateful scenarios, stubs, recorded calls.

A generated mock subclasses :class:`Mock` with the contract's examples and one default answer
per method. Its examples are generalised (:mod:`.scenarios`): a value a later step repeats from
an earlier step's arguments is a key or a stored value, so a mock behaves like a store. A call
is answered by, in order:

1. a stub set by a test (``mock.stub("read", when={...}, returns=... or raises=...)``);
2. a scenario instance of this caller that the call continues: its next step (or a later one,
   skipping steps, or a read it already answered) whose method matches, whose arguments equal
   the keys the instance was started with, and whose matchers hold; the answer uses what the
   caller passed (``put(A, X)`` then ``get(A)`` answers ``X``) and what the mock answered
   (``bind``). Ranked: a step whose literal arguments the call matches exactly; an instance in
   progress over a new one; the fewest skipped steps; the furthest step; the first example;
3. a new instance: the first step of an example (any values where later steps use them);
4. a miss, for a call that reads a key nothing wrote (``get(B)`` after ``put(A)``): answered
   as the examples answer one (a step raising, or returning null), else null when allowed;
5. a deterministic, schema-valid default computed from the return schema at generation time.

State is kept per caller (the agent whose request is served, ``current_caller``; direct calls
share one state): interleaved callers never see each other's progress or writes. Every call is
recorded in ``mock.calls``. Answers are deterministic: no clocks, no randomness.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .errors import DeclaredError, InvalidParams
from .matchers import example_value, is_matcher, lookup, match, parse_path
from .scenarios import Instance, Pattern, generalise, implicit_bindings, role
from .service import ContractSpec, current_caller, wire_json

__all__ = ["Call", "Mock", "json_equal", "json_subset", "resolve_vars"]

_MISSING: Any = object()


class _Unbound(Exception):
    pass


def resolve_vars(
    value: Any, bindings: Mapping[str, Any], *, strict: bool = True, roles: bool = False
) -> Any:
    """Replace ``{"$var": name}`` placeholders (``name``, ``name.key``, ``name[0].key``) with
    bound values.

    With ``strict=False`` an unbound placeholder becomes a wildcard (:data:`ANY`). With
    ``roles`` a mock's unbound ``@step:method/path`` stands for the latest value its caller
    passed as that argument of that method (the argument of a step the caller skipped).
    """
    if isinstance(value, dict):
        if len(value) == 1 and isinstance(value.get("$var"), str):
            name = value["$var"]
            if name in bindings:  # a whole value, or a mock's implicit "@step:method/path"
                return copy.deepcopy(bindings[name])
            if roles and role(name) in bindings:  # a skipped step's argument: the latest passed
                return copy.deepcopy(bindings[role(name)])
            parsed = parse_path(value["$var"])
            if parsed is not None and parsed[0] in bindings:
                try:
                    return copy.deepcopy(lookup(bindings[parsed[0]], parsed[1]))
                except KeyError:
                    pass
            if strict:
                raise _Unbound(value["$var"])
            return ANY
        return {k: resolve_vars(v, bindings, strict=strict, roles=roles) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_vars(v, bindings, strict=strict, roles=roles) for v in value]
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
    kind = type(expected)
    if kind is str:  # the common case (a key): equal strings, nothing else
        return type(actual) is str and actual == expected
    if expected is ANY:
        return True
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


def _uses_vars(value: Any) -> bool:
    if isinstance(value, dict):
        return "$var" in value or any(_uses_vars(v) for v in value.values())
    if isinstance(value, list):
        return any(_uses_vars(v) for v in value)
    return False


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            out[k] = _merge(base.get(k), v) if k in base else v
        return out
    return over


def _args_match(expected: Mapping[str, Any], args: Mapping[str, Any]) -> bool:
    """Whether a call's arguments hold what a step expects. Arguments the example leaves out,
    and fields filled by defaults, match anything."""
    return all(k in args and json_subset(args[k], v) for k, v in expected.items())


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


_MAX_INSTANCES = 256  # per caller: the oldest scenario instances are forgotten beyond this


class Mock:
    """Base of generated mocks; subclasses set SPEC, EXAMPLES and DEFAULTS."""

    SPEC: ClassVar[ContractSpec]
    EXAMPLES: ClassVar[list[dict[str, Any]]] = []
    DEFAULTS: ClassVar[dict[str, Any]] = {}
    _PATTERNS: ClassVar[dict[type, list[list[Pattern]]]] = {}
    _BY_METHOD: ClassVar[dict[type, list[dict[str, tuple[int, ...]]]]] = {}

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self._stubs: list[_Stub] = []
        self._state: dict[str | None, list[Instance]] = {}  # per caller
        self._serial = 0

    @property
    def patterns(self) -> list[list[Pattern]]:
        """The examples generalised (:mod:`.scenarios`), computed once per mock class."""
        cls = type(self)
        if cls not in Mock._PATTERNS:
            Mock._PATTERNS[cls] = [generalise(ex["steps"]) for ex in self.EXAMPLES]
        return Mock._PATTERNS[cls]

    @property
    def _by_method(self) -> list[dict[str, tuple[int, ...]]]:
        """Per example: method -> the positions of its steps calling it, ascending (a call is
        only checked against steps of its own method)."""
        cls = type(self)
        if cls not in Mock._BY_METHOD:
            index: list[dict[str, tuple[int, ...]]] = []
            for patterns in self.patterns:
                positions: dict[str, list[int]] = {}
                for position, pattern in enumerate(patterns):
                    positions.setdefault(str(pattern.step["call"]), []).append(position)
                index.append({m: tuple(ps) for m, ps in positions.items()})
            Mock._BY_METHOD[cls] = index
        return Mock._BY_METHOD[cls]

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
        when_json = wire_json(dict(when)) if when is not None else None
        self._stubs.insert(0, _Stub(method, when_json, returns, raises, delay, times))

    def reset(self) -> None:
        """Forget calls, stubs and scenario progress."""
        self.calls.clear()
        self._stubs.clear()
        self._state.clear()

    async def _answer(self, method: str, args: dict[str, Any]) -> Any:
        call = Call(method, wire_json(args))
        self.calls.append(call)
        try:
            value = await self._choose(method, call.args)
        except DeclaredError as exc:
            call.error = exc.code
            raise
        call.result = wire_json(value)
        return value

    async def _choose(self, method: str, args: dict[str, Any]) -> Any:
        stub = self._find_stub(method, args)
        if stub is not None:
            if stub.delay:
                await asyncio.sleep(stub.delay)
            if stub.raises is not None:
                raise stub.raises
            if stub.returns is not _MISSING:
                return self._typed(method, wire_json(stub.returns))
        live = self._state.setdefault(current_caller.get(), [])
        candidates = self._candidates(method, args, live)
        instance: Instance | None = None
        if candidates:
            position, _, _, instance = max(candidates, key=lambda c: self._rank(c, method, args))
            pattern = self.patterns[instance.index][position]
            step = pattern.step
            bindings = {**instance.bindings, **implicit_bindings(pattern, args)}
            name = self.EXAMPLES[instance.index]["name"]
        else:
            found = self._fallback(method, args)
            if found is None:
                return self._typed(method, copy.deepcopy(self.DEFAULTS.get(method)))
            if found == (-1, -1):
                return self._miss(method)
            index, position = found
            step, bindings = self.EXAMPLES[index]["steps"][position], {}
            name = self.EXAMPLES[index]["name"]
        error = self._error(method, step["raises"], name) if "raises" in step else None
        typed = None if error else self._typed(method, self._value(step, bindings))
        self._advance(candidates, args, step, typed, live, instance)
        if error is not None:
            raise error
        return typed

    def _value(self, step: Mapping[str, Any], bindings: Mapping[str, Any]) -> Any:
        if "returns" not in step:
            return copy.deepcopy(step.get("default"))
        expected = resolve_vars(step["returns"], bindings, strict=False, roles=True)
        partial = is_matcher(expected) == "$partial"
        expected = example_value(expected)
        if step.get("match") == "subset" or partial:
            expected = _merge(step.get("default"), expected)
        if _has_any(expected):
            # The expected value uses a variable this scenario never bound (the call matched
            # out of context): answer with the step's schema-valid default instead.
            return copy.deepcopy(step.get("default"))
        return expected

    def _candidates(
        self, method: str, args: dict[str, Any], live: list[Instance]
    ) -> list[tuple[int, int, int, Instance]]:
        """(step, example, serial, instance) of every scenario this call continues: the first
        step at or after an instance's position that matches (steps in between are skipped),
        else a step it already passed that reads with the same keys again, else the first step
        of a new instance. :meth:`_rank` chooses."""
        out = []
        by_method = self._by_method
        for inst in live:
            positions = by_method[inst.index].get(method)
            if not positions:
                continue
            patterns = self.patterns[inst.index]
            at = inst.position
            ahead = [p for p in positions if p >= at]
            behind = [p for p in reversed(positions) if 0 < p < at and patterns[p].dependent]
            for position in ahead + behind:
                expected = inst.expected.get(position)
                if expected is None:
                    step = patterns[position].step
                    expected = resolve_vars(step.get("with", {}), inst.bindings, strict=False)
                    inst.expected[position] = expected
                if _args_match(expected, args):
                    out.append((position, inst.index, inst.serial, inst))
                    break
        for index, patterns in enumerate(self.patterns):
            if patterns and self._matches(patterns[0].step, method, args, {}):
                out.append((0, index, self._serial + 1, Instance(index)))
        return out

    def _rank(
        self, candidate: tuple[int, int, int, Instance], method: str, args: dict[str, Any]
    ) -> tuple[bool, bool, int, int, int, int]:
        """A step whose own literal arguments the call matches first (the example exactly);
        then an instance in progress (what this caller did before) over a new one; then the
        fewest steps skipped (so far and now), the furthest step, the example written first,
        the newest."""
        position, index, serial, inst = candidate
        literal = self.EXAMPLES[index]["steps"][position]
        exact = self._matches(literal, method, args, {}) and not _uses_vars(literal.get("with"))
        live = inst.serial <= self._serial and inst.position > 0
        skipped = max(position - inst.position, 0)  # a repeated read skips nothing
        return exact, live, -(inst.skipped + skipped), position, -index, serial

    def _advance(
        self,
        candidates: list[tuple[int, int, int, Instance]],
        args: dict[str, Any],
        chosen: Mapping[str, Any],
        typed: Any,
        live: list[Instance],
        answered: Instance | None,
    ) -> None:
        """Move on every instance the call continued, if the answer agrees with it: the one
        that answered past the step it matched, the others only when it was their next step
        (an instance does not jump ahead for another's answer); start the new ones. An
        instance whose next step the answer contradicts is dropped."""
        answer = wire_json(typed)
        for position, index, _, inst in candidates:
            pattern = self.patterns[index][position]
            step = pattern.step
            if inst is not answered and position != inst.position:
                continue
            if step.get("raises") != chosen.get("raises"):
                if inst in live:
                    live.remove(inst)  # what happened contradicts this scenario
                continue
            if position < inst.position:
                continue  # a repeated read: nothing new is known
            inst.skipped += position - inst.position
            inst.bindings.update(implicit_bindings(pattern, args))
            if "bind" in step:
                inst.bindings[step["bind"]] = answer
            inst.expected.clear()  # its bindings changed
            inst.position = position + 1
            if inst not in live:
                self._serial += 1
                inst.serial = self._serial
                live.append(inst)
        if len(live) > _MAX_INSTANCES:
            del live[: len(live) - _MAX_INSTANCES]

    def _fallback(self, method: str, args: dict[str, Any]) -> tuple[int, int] | None:
        """A call no scenario continues. A step that reads what an earlier step wrote (its
        arguments use an earlier step's values) cannot answer it: that is a miss, answered
        like the examples answer a miss (a step of the method whose arguments no earlier step
        gave, e.g. ``get {key: nope}`` raising NotFound or returning null; else a step where
        the method raises, e.g. a get after a delete), else by null when the result may be
        null, else by the default. Otherwise the first example step anywhere
        whose literal arguments match answers."""
        independent = [
            (index, position)
            for index, patterns in enumerate(self.patterns)
            for position, pattern in enumerate(patterns)
            if pattern.step["call"] == method and not pattern.dependent
        ]
        for index, position in independent:
            if self._matches(self.EXAMPLES[index]["steps"][position], method, args, {}):
                return index, position
        reads = any(
            p.dependent and p.step["call"] == method for patterns in self.patterns for p in patterns
        )
        if not reads:
            return None
        for index, position in independent:
            step = self.EXAMPLES[index]["steps"][position]
            if "raises" in step or step.get("returns", _MISSING) is None:
                return index, position
        for index, example in enumerate(self.EXAMPLES):  # a read that fails somewhere
            for position, step in enumerate(example["steps"]):
                if step["call"] == method and "raises" in step:
                    return index, position
        return -1, -1  # a miss no example shows

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
        return _args_match(resolve_vars(step.get("with", {}), b, strict=False), args)

    def _miss(self, method: str) -> Any:
        """null when the result may be null, else the method's default."""
        try:
            return self.SPEC.methods[method].result.validate_python(None)
        except Exception:  # noqa: BLE001 - the result cannot be null
            return self._typed(method, copy.deepcopy(self.DEFAULTS.get(method)))

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
