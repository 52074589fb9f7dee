"""Safe YAML parsing that keeps the line and column of every key and value.

Built on PyYAML's composer (libyaml when available) and safe scalar constructors. The resolver is
YAML 1.2-like where YAML 1.1 surprises users: only ``true``/``false`` are booleans (``on``, ``no``
and ``yes`` stay strings) and dates stay strings, so data is always JSON-compatible. Any tag beyond
the JSON-like core (Python objects, ``!!binary``, ``!!timestamp``, ``!!set``, local tags), duplicate
keys (a key may override one merged in with ``<<``), non-string keys, alias bombs and absurd
nesting are rejected with a location.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

Path_ = tuple[str | int, ...]

_BaseLoader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_NODES = 200_000
MAX_DEPTH = 64


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader with JSON-friendly implicit resolvers."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
for _first in "tTfFyYnNoO":
    _Loader.yaml_implicit_resolvers[_first] = [
        (tag, rx)
        for tag, rx in _Loader.yaml_implicit_resolvers.get(_first, [])
        if tag != "tag:yaml.org,2002:bool"
    ]
    if _first in "tTfF":
        _Loader.yaml_implicit_resolvers[_first].append(("tag:yaml.org,2002:bool", _BOOL))


class YamlProblem(Exception):
    """A problem in the YAML text, at a 1-based line/column."""

    def __init__(self, code: str, message: str, line: int, col: int, hint: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.col, self.hint = code, message, line, col, hint


@dataclass
class Located:
    """A parsed document: ``data`` plus positions of values and keys by JSON path."""

    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)

    def position(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """Position of the node at ``path`` (of its key if ``key``); falls back to the parent."""
        table = self.keys if key else self.values
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if p in self.values:
                return self.values[p]
            p = p[:-1]
        return self.values.get((), (1, 1))


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


# Explicit tags allowed on scalars: the JSON-compatible core schema (no binary, timestamps, sets,
# Python objects). Implicit resolution only ever produces these.
_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)


def _bad_tag(node: yaml.Node) -> YamlProblem:
    return YamlProblem(
        "E_YAML_TAG",
        f"unsupported YAML tag {node.tag!r}",
        *_mark(node),
        hint="spec files hold plain data: strings, numbers, booleans, lists and maps",
    )


def _codepoint(char: int | str) -> str:
    return f"U+{char if isinstance(char, int) else ord(char):04X}"


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    index = max(0, min(index, len(text)))
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


class _Builder:
    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.doc = Located(None)
        self.count = 0
        self.own_keys: set[Path_] = set()

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise YamlProblem(
                "E_YAML_TOO_BIG",
                f"document expands to more than {MAX_NODES} nodes (an alias bomb?)",
                *_mark(node),
                hint="specloom limits YAML aliases so that a small file cannot expand forever",
            )
        if depth > MAX_DEPTH:
            raise YamlProblem(
                "E_YAML_TOO_DEEP", f"nesting deeper than {MAX_DEPTH} levels", *_mark(node)
            )
        self.doc.values.setdefault(path, _mark(node))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise _bad_tag(node)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node)

    def scalar(self, node: yaml.Node) -> Any:
        """A plain value: only the JSON-compatible core tags, each checked to construct."""
        if node.tag == _STR:  # what SafeConstructor.construct_yaml_str returns, without its calls
            return node.value
        if node.tag not in _SCALAR_TAGS:
            raise _bad_tag(node)
        try:
            return self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, AttributeError) as exc:
            raise YamlProblem(
                "E_YAML_VALUE",
                f"{node.value!r} is not a valid {node.tag.rsplit(':', 1)[-1]}",
                *_mark(node),
                hint="remove the explicit !!tag or fix the value",
            ) from exc

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            raise _bad_tag(node)
        own = sum(k.tag != "tag:yaml.org,2002:merge" for k, _ in node.value)
        try:
            self.loader.flatten_mapping(node)
        except yaml.constructor.ConstructorError as exc:
            mark = exc.problem_mark
            where = (mark.line + 1, mark.column + 1) if mark else _mark(node)
            raise YamlProblem("E_YAML_MERGE", str(exc.problem), *where) from exc
        merged = len(node.value) - own  # flatten_mapping puts merged pairs (`<<`) first
        out: dict[str, Any] = {}
        for index, (key_node, value_node) in enumerate(node.value):
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(
                    "E_YAML_KEY", "mapping keys must be plain strings", *_mark(key_node)
                )
            key = self.scalar(key_node)
            if not isinstance(key, str):
                raise YamlProblem(
                    "E_YAML_KEY",
                    f"mapping key {key_node.value!r} is not a string",
                    *_mark(key_node),
                    hint=f'quote it: "{key_node.value}"',
                )
            if key in out and index >= merged and (*path, key) in self.own_keys:
                first = self.doc.keys.get((*path, key), (0, 0))
                raise YamlProblem(
                    "E_YAML_DUPLICATE_KEY",
                    f"duplicate key {key!r} (first defined at line {first[0]})",
                    *_mark(key_node),
                )
            if index >= merged:  # keys written here override keys merged in with `<<`
                self.own_keys.add((*path, key))
            self.doc.keys[(*path, key)] = _mark(key_node)
            self.doc.values.pop((*path, key), None)
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out


def _count_events(text: str) -> None:
    """Stream the parser's events once, cheaply, and stop a document too big to compose.

    Composing builds every node in memory before the node budget can be checked; a 2 MiB flat
    list of a million items would cost seconds and hundreds of MiB. Aliases are single events,
    so alias bombs pass here and are stopped by the builder's budget.
    """
    counter = _Loader(text)
    try:
        events = 0
        while counter.check_event():
            event = counter.get_event()
            events += 1
            if events > 2 * MAX_NODES:
                raise YamlProblem(
                    "E_YAML_TOO_BIG",
                    f"document has more than {MAX_NODES} nodes",
                    *_mark(event),
                    hint="split it into several files",
                )
    finally:
        counter.dispose()


def parse_yaml(text: str) -> Located:
    """Parse one YAML document; raise :class:`YamlProblem` with a location on any problem."""
    loader = _Loader(text)
    try:
        try:
            # an event takes at least half a character of text (``{?,?}``: two per two), so a
            # text this short cannot hold more events than the budget: no need to count them
            if 2 * len(text) + 8 > 2 * MAX_NODES:
                _count_events(text)
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            problem = str(exc.problem or exc)
            if "nesting depth" in problem:  # libyaml's own limit (1000 levels)
                raise YamlProblem(
                    "E_YAML_TOO_DEEP", f"nesting deeper than {MAX_DEPTH} levels", line, col
                ) from exc
            raise YamlProblem("E_YAML_SYNTAX", problem, line, col) from exc
        except yaml.reader.ReaderError as exc:
            line, col = _line_col(text, exc.position)
            raise YamlProblem(
                "E_YAML_SYNTAX",
                f"character {_codepoint(exc.character)} is not allowed in YAML: {exc.reason}",
                line,
                col,
            ) from exc
        except yaml.YAMLError as exc:
            raise YamlProblem("E_YAML_SYNTAX", str(exc).splitlines()[0], 1, 1) from exc
        except RecursionError as exc:
            raise YamlProblem(
                "E_YAML_TOO_DEEP", f"nesting deeper than {MAX_DEPTH} levels", 1, 1
            ) from exc
        builder = _Builder(loader)
        if node is None:
            return Located(None)
        try:
            builder.doc.data = builder.build(node, (), 0)
        except RecursionError as exc:
            raise YamlProblem(
                "E_YAML_TOO_DEEP", f"nesting deeper than {MAX_DEPTH} levels", *_mark(node)
            ) from exc
        return builder.doc
    finally:
        loader.dispose()
