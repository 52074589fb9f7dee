"""Strings that fully match a regex, for the subset the synthesiser writes: literals, classes,
``. \\d \\w \\s``, groups (also named), alternation, ``* + ? {n,m}``, anchors. Anything else is
:class:`Unsupported` and the caller falls back to plain candidates; every candidate is checked
with the linear-time engine afterwards, so this module only proposes."""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["Unsupported", "parse", "strings"]


class Unsupported(Exception):
    """The pattern uses syntax outside the subset (the caller falls back to plain candidates)."""


@dataclass(frozen=True)
class _Chars:
    """One character from ``ranges`` (inclusive code point pairs), or outside them if negated."""

    ranges: tuple[tuple[int, int], ...]
    negated: bool = False


@dataclass(frozen=True)
class _Seq:
    items: tuple[Any, ...]


@dataclass(frozen=True)
class _Alt:
    options: tuple[Any, ...]


@dataclass(frozen=True)
class _Repeat:
    node: Any
    low: int
    high: int | None


_EMPTY = _Seq(())
_DIGIT = ((48, 57),)
_WORD = ((48, 57), (65, 90), (95, 95), (97, 122))
_SPACE = ((9, 13), (32, 32))
_CLASS_ESCAPES = {"d": _DIGIT, "w": _WORD, "s": _SPACE}
_CHAR_ESCAPES = {"n": 10, "t": 9, "r": 13, "f": 12, "v": 11, "a": 7, "0": 0}
_UNICODE_CLASSES = {
    **dict.fromkeys(("L", "Letter", "Alphabetic"), ((65, 90), (97, 122))),
    **dict.fromkeys(("Lu", "Uppercase_Letter", "Uppercase"), ((65, 90),)),
    **dict.fromkeys(("Ll", "Lowercase_Letter", "Lowercase"), ((97, 122),)),
    **dict.fromkeys(("N", "Nd", "Number", "Decimal_Number", "Digit"), _DIGIT),
}
_QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")


class _RegexParser:
    """Recursive-descent parser for the supported regex subset (Rust ``regex`` syntax)."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0

    def parse(self) -> Any:
        node = self.alternation()
        if self.pos != len(self.text):
            raise Unsupported("unbalanced ')'")
        return node

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def next(self) -> str:
        char = self.peek()
        if not char:
            raise Unsupported("unexpected end of pattern")
        self.pos += 1
        return char

    def alternation(self) -> Any:
        options = [self.sequence()]
        while self.peek() == "|":
            self.pos += 1
            options.append(self.sequence())
        return options[0] if len(options) == 1 else _Alt(tuple(options))

    def sequence(self) -> Any:
        items = []
        while self.peek() and self.peek() not in "|)":
            items.append(self.quantified(self.atom()))
        return items[0] if len(items) == 1 else _Seq(tuple(items))

    def quantified(self, atom: Any) -> Any:
        char = self.peek()
        if char in ("*", "+", "?") and char:
            self.pos += 1
            low, high = {"*": (0, None), "+": (1, None), "?": (0, 1)}[char]
        elif char == "{" and (match := _QUANTIFIER.match(self.text, self.pos)):
            first, comma, second = match.groups()
            if not first and not comma:
                return atom
            self.pos = match.end()
            low = int(first or 0)
            high = int(second) if second else (None if comma else low)
        else:
            return atom
        if self.peek() in ("?", "+") and self.peek():
            self.pos += 1  # lazy / possessive: same strings
        return _Repeat(atom, low, high)

    def atom(self) -> Any:
        char = self.next()
        if char in "^$":
            return _EMPTY
        if char == ".":
            return _Chars(((10, 10),), negated=True)
        if char == "[":
            return self.char_class()
        if char == "(":
            return self.group()
        if char == "\\":
            return self.escape(in_class=False)
        if char in "*+?":
            raise Unsupported("nothing to repeat")
        return _Chars(((ord(char), ord(char)),))

    def group(self) -> Any:
        if self.text.startswith("?:", self.pos):
            self.pos += 2
        elif self.text.startswith(("?P<", "?<"), self.pos) and not self.text.startswith(
            ("?<=", "?<!"), self.pos
        ):
            end = self.text.find(">", self.pos)
            if end < 0:
                raise Unsupported("bad group name")
            self.pos = end + 1
        elif self.peek() == "?":
            raise Unsupported("lookaround, inline flags or conditionals")
        inner = self.alternation()
        if self.next() != ")":
            raise Unsupported("missing ')'")
        return inner

    def escape(self, *, in_class: bool) -> _Chars | _Seq:
        char = self.next()
        if char.lower() in _CLASS_ESCAPES:
            return _Chars(_CLASS_ESCAPES[char.lower()], negated=char.isupper())
        if char in _CHAR_ESCAPES:
            return _single(_CHAR_ESCAPES[char])
        if char == "b" and in_class:
            return _single(8)
        if char in "bBAz":
            return _EMPTY
        if char in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[char]
            digits = self.text[self.pos : self.pos + width]
            if len(digits) != width or not all(c in "0123456789abcdefABCDEF" for c in digits):
                raise Unsupported("bad hex escape")
            self.pos += width
            return _single(int(digits, 16))
        if char in "pP":
            return _Chars(self.unicode_class(), negated=char == "P")
        if char.isascii() and char.isalnum():
            raise Unsupported(f"escape \\{char}")
        return _single(ord(char))

    def unicode_class(self) -> tuple[tuple[int, int], ...]:
        """The ASCII members of ``\\p{Name}`` / ``\\pL`` (enough to write candidates from)."""
        if self.peek() == "{":
            end = self.text.find("}", self.pos)
            if end < 0:
                raise Unsupported("bad \\p{...}")
            name, self.pos = self.text[self.pos + 1 : end], end + 1
        else:
            name = self.next()
        if name not in _UNICODE_CLASSES:
            raise Unsupported(f"unicode class {name}")
        return _UNICODE_CLASSES[name]

    def char_class(self) -> _Chars:
        negated = self.peek() == "^"
        self.pos += negated
        ranges: list[tuple[int, int]] = []
        first = True
        while True:
            char = self.next()
            if char == "]" and not first:
                return _Chars(tuple(ranges), negated)
            first = False
            start = self.class_char(char, ranges)
            if start is None:
                continue
            if self.peek() == "-" and self.text[self.pos + 1 : self.pos + 2] not in ("]", ""):
                self.pos += 1
                end = self.class_char(self.next(), None)
                if end is None or end < start:
                    raise Unsupported("bad range")
                ranges.append((start, end))
            else:
                ranges.append((start, start))

    def class_char(self, char: str, ranges: list[tuple[int, int]] | None) -> int | None:
        """The code point of one class member; class escapes go straight into ``ranges``."""
        if char == "[" and self.peek() in (":", ".", "="):
            raise Unsupported("POSIX class")
        if char != "\\":
            return ord(char)
        item = self.escape(in_class=True)
        if not isinstance(item, _Chars):
            raise Unsupported("zero-width escape in class")
        if len(item.ranges) == 1 and item.ranges[0][0] == item.ranges[0][1] and not item.negated:
            return item.ranges[0][0]
        if ranges is None or item.negated:
            raise Unsupported("class escape in a range or negated class escape")
        ranges.extend(item.ranges)
        return None


def _single(code: int) -> _Chars:
    return _Chars(((code, code),))


# Preferred characters, mixing kinds (lower, digit, upper, punctuation) so that cycling through
# them soon meets every kind a lookahead might ask for.
_PREFERRED = "".join(
    "".join(group)
    for group in itertools.zip_longest(
        "abcdefghijklmnopqrstuvwxyz",
        "0123456789",
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        "-_. ",
        fillvalue="",
    )
)


def parse(pattern: str) -> Any:
    """The parsed pattern; :class:`Unsupported` for syntax outside the subset."""
    return _RegexParser(pattern).parse()


def strings(
    node: Any, seed: str, low: int, high: int | None, charge: Callable[[], None]
) -> Iterator[str]:
    """Strings fully matched by ``node`` with a length from ``low`` (to ``high``), shortest
    first. ``charge()`` is called at every step of the search (the caller's work budget)."""
    return _RegexWriter(node, seed, charge).strings(low, high)


class _RegexWriter:
    """Writes strings fully matched by a parsed pattern, aiming at a given length."""

    def __init__(self, node: Any, seed: str, charge: Callable[[], None]) -> None:
        self.node = node
        self.seed = seed
        self.charge = charge
        self.slot = 0
        self.rotation = 0
        self.budget = 0

    def strings(self, low: int, high: int | None) -> Iterator[str]:
        """Candidates: each feasible length from the shortest, with a few char rotations."""
        shortest, longest = _span(self.node)
        start = max(low, shortest)
        stop = start + 48
        for bound in (high, longest):
            if bound is not None:
                stop = min(stop, bound)
        for length in range(start, stop + 1):
            for rotation in range(4):
                self.slot, self.rotation, self.budget = 0, rotation, 2_000
                try:
                    yield self.write(self.node, length)
                except Unsupported:
                    continue

    def spend(self) -> None:
        self.charge()
        self.budget -= 1
        if self.budget < 0:
            raise Unsupported("search budget exhausted")

    def write(self, node: Any, length: int) -> str:
        self.spend()
        shortest, longest = _span(node)
        if length < shortest or (longest is not None and length > longest):
            raise Unsupported("length out of reach")
        if isinstance(node, _Chars):
            return self.char(node)
        if isinstance(node, _Alt):
            for option in node.options:
                try:
                    return self.write(option, length)
                except Unsupported:
                    continue
            raise Unsupported("no option fits")
        if isinstance(node, _Repeat):
            return self.repeat(node, length)
        return self.sequence(list(node.items), length)

    def sequence(self, items: list[Any], length: int) -> str:
        if not items:
            if length:
                raise Unsupported("length out of reach")
            return ""
        head, rest = items[0], items[1:]
        head_low, head_high = _span(head)
        rest_low = sum(_span(item)[0] for item in rest)
        rest_highs = [_span(item)[1] for item in rest]
        rest_high = None if None in rest_highs else sum(h for h in rest_highs if h is not None)
        most = length - rest_low if head_high is None else min(head_high, length - rest_low)
        for size in range(most, head_low - 1, -1):
            if rest_high is not None and length - size > rest_high:
                break
            slot = self.slot
            try:
                return self.write(head, size) + self.sequence(rest, length - size)
            except Unsupported:
                self.slot = slot
        raise Unsupported("no split fits")

    def repeat(self, node: _Repeat, length: int) -> str:
        unit_low, unit_high = _span(node.node)
        count = node.low
        if unit_high:
            count = max(count, math.ceil(length / unit_high))
        most = max(node.low, length) if unit_low == 0 else length // unit_low
        if node.high is not None:
            most = min(most, node.high)
        slot = self.slot
        for n in range(count, most + 1):
            self.spend()
            try:
                return self.sequence([node.node] * n, length)
            except Unsupported:
                self.slot = slot
        raise Unsupported("no repetition count fits")

    def char(self, node: _Chars) -> str:
        """A class member, by rotation: 0 the seed's char at this slot (when allowed), 1 cycling
        through the preferred ones, 2+ one fixed preferred char."""
        slot, self.slot = self.slot, self.slot + 1

        def allowed(c: str) -> bool:
            code = ord(c)
            inside = any(lo <= code <= hi for lo, hi in node.ranges)
            return inside != node.negated

        options = [c for c in _PREFERRED if allowed(c)]
        if self.seed and self.rotation == 0:
            seeded = self.seed[slot % len(self.seed)]
            if allowed(seeded):
                return seeded
        if options:
            index = slot if self.rotation == 1 else max(0, self.rotation - 2)
            return options[index % len(options)]
        for lo, hi in node.ranges if not node.negated else ((0x21, 0x10FFFF),):
            for code in range(lo, min(hi, lo + 0x10000) + 1):
                if not 0xD800 <= code <= 0xDFFF and allowed(chr(code)):
                    return chr(code)
        raise Unsupported("empty character class")


@functools.lru_cache(maxsize=4096)
def _span(node: Any) -> tuple[int, int | None]:
    """Shortest and longest (None: unbounded) lengths of the strings a node matches."""
    if isinstance(node, _Chars):
        return 1, 1
    if isinstance(node, _Alt):
        spans = [_span(option) for option in node.options]
        highs = [h for _, h in spans]
        return min(lo for lo, _ in spans), None if None in highs else max(
            h for h in highs if h is not None
        )
    if isinstance(node, _Repeat):
        low, high = _span(node.node)
        if high == 0:
            return 0, 0
        top = None if node.high is None or high is None else node.high * high
        return node.low * low, top
    spans = [_span(item) for item in node.items]
    highs = [h for _, h in spans]
    return sum(lo for lo, _ in spans), None if None in highs else sum(
        h for h in highs if h is not None
    )
