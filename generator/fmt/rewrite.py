"""Rewrite one spec file in canonical key order with ruamel.yaml (round trip: comments, quotes,
flow and block styles kept), and prove the result means what the original meant.

A comment on its own line above a key travels with that key when keys move. The rewrite is
refused (the file is left alone) when the original does not load with specloom's own loader, or
when the rewritten text does not load to exactly the same data: fmt never changes meaning.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken

from ..errors import Diagnostic, display_path
from ..load.files import detect_kind, spec_files
from ..load.located import YamlProblem, parse_yaml
from ..validate.schema import schema_for
from .order import SchemaWalker, ranked


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.preserve_quotes = True
    y.width = 4096  # never re-wrap a long line
    y.indent(mapping=2, sequence=4, offset=2)
    y.brace_single_entry_mapping_in_flow_sequence = True  # [{$var: x}], not [$var: x]
    y.representer.add_representer(
        type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null")
    )
    return y


def _split(token: CommentToken) -> str:
    """Cut the full-line comments off an end-of-line comment token and return them: they sit
    above the next key and move with it."""
    first, nl, rest = token.value.partition("\n")
    token.value = first + nl
    return rest


def _last_token(node: CommentedMap | CommentedSeq, key: Any) -> CommentToken | None:
    """The comment token after the last line of ``node[key]`` (searched into nested values)."""
    entry = node.ca.items.get(key)
    slot = 2 if isinstance(node, CommentedMap) else 0
    if entry and len(entry) > slot and isinstance(entry[slot], CommentToken):
        return entry[slot]
    value = node[key]
    if isinstance(value, CommentedMap) and len(value):
        return _last_token(value, list(value.keys())[-1])
    if isinstance(value, CommentedSeq) and len(value):
        return _last_token(value, len(value) - 1)
    return None


def _put_after(node: CommentedMap, key: Any, text: str) -> None:
    """Add full-line comments after the last line of ``node[key]``."""
    token = _last_token(node, key)
    if token is not None:
        token.value = (token.value if token.value.endswith("\n") else token.value + "\n") + text
        return
    value = node[key]
    if isinstance(value, CommentedSeq) and len(value):
        entry = value.ca.items.setdefault(len(value) - 1, [None, None])
        entry[0] = CommentToken("\n" + text, _mark(), None)
        return
    if isinstance(value, CommentedMap) and len(value):
        _put_after(value, list(value.keys())[-1], text)
        return
    entry = node.ca.items.setdefault(key, [None, None, None, None])
    entry[2] = CommentToken("\n" + text, _mark(), None)


def _reorder(cm: CommentedMap, order: list[str], top: bool) -> bool:
    keys = list(cm.keys())
    new = ranked(keys, order)
    if new == keys:
        return False
    above: dict[Any, str] = {}  # key -> the comment lines above it
    lead = cm.ca.comment[1] if cm.ca.comment and len(cm.ca.comment) > 1 else None
    if lead and not top:  # comments above a nested map's first key: that key's
        above[keys[0]] = "".join(" " * (t.column or 0) + t.value.lstrip(" ") for t in lead)
        lead[:] = []
    for before, key in zip(keys, keys[1:], strict=False):
        token = _last_token(cm, before)
        if token is not None and (text := _split(token)):
            above[key] = text
    tail_token = _last_token(cm, keys[-1])
    tail = _split(tail_token) if tail_token is not None else ""
    for key in new:
        cm.move_to_end(key)
    if new[0] in above:
        text = above.pop(new[0])
        if lead is not None and not top:
            lead[:] = [CommentToken(text, _mark(), None)]
        else:
            tokens = cm.ca.comment[1] if cm.ca.comment and len(cm.ca.comment) > 1 else None
            if tokens is None:
                cm.ca.comment = [None, []]
                tokens = cm.ca.comment[1]
            tokens.append(CommentToken(text, _mark(), None))
    for before, key in zip(new, new[1:], strict=False):
        if key in above:
            _put_after(cm, before, above[key])
    if tail:
        _put_after(cm, new[-1], tail)
    return True


def _mark() -> Any:
    from ruamel.yaml.error import CommentMark

    return CommentMark(0)


def _walk(
    node: Any, schemas: list[tuple[Any, str]], walker: SchemaWalker, top: bool = False
) -> bool:
    """Reorder ``node`` and everything in it, innermost first (a comment found at the end of a
    nested value is then where it will print)."""
    changed = False
    if isinstance(node, CommentedMap):
        for key in list(node.keys()):
            subs = [c for s, b in schemas for c in walker.child(s, b, key)]
            changed |= _walk(node[key], subs, walker)
        order: list[str] = []
        for schema, base in schemas:
            order += [k for k in walker.keys(schema, base) if k not in order]
        if order:
            changed |= _reorder(node, order, top)
    elif isinstance(node, CommentedSeq):
        for i, item in enumerate(node):
            subs = [c for s, b in schemas for c in walker.child(s, b, i)]
            changed |= _walk(item, subs, walker)
    return changed


class FormatRefused(Exception):
    """The file cannot be formatted safely (it does not load, or the rewrite would change it)."""


def format_text(text: str) -> str:
    """``text`` (one spec file) in canonical form; raises :class:`FormatRefused`."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom) :]
    try:
        before = parse_yaml(text).data
    except YamlProblem as exc:
        raise FormatRefused(f"{exc.code}: {exc.message}") from None
    kind = detect_kind(before)
    if kind is None:
        raise FormatRefused("not a spec file (no specloom, module, contract or types key)")
    y = _yaml()
    try:
        data = y.load(text)
    except Exception as exc:  # noqa: BLE001 - ruamel's errors: refuse, never a traceback
        raise FormatRefused(f"ruamel.yaml cannot round-trip it: {exc}") from None
    schema = schema_for(kind)
    _walk(data, [(schema, schema["$id"])], SchemaWalker(), top=True)
    buf = io.StringIO()
    y.dump(data, buf)
    out = buf.getvalue()
    try:
        after = parse_yaml(out).data
    except YamlProblem as exc:
        raise FormatRefused(f"the rewrite would not load ({exc.message})") from None
    if after != before or _types(after) != _types(before):
        raise FormatRefused("the rewrite would change what the file means")
    return bom + out


def _types(value: Any) -> Any:
    """A value's shape with the Python type of every scalar (``1`` is not ``True``)."""
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


@dataclass
class FormatResult:
    changed: list[str] = field(default_factory=list)  # shown paths
    unchanged: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)


def format_folder(folder: Path, *, write: bool = True) -> FormatResult:
    """Format every spec file of ``folder`` (or one file); write only when ``write``."""
    from ..write.safe_io import atomic_write

    paths = [folder] if folder.is_file() else spec_files(folder)
    result = FormatResult()
    for path in paths:
        shown = display_path(path)
        try:
            raw = path.read_bytes()
            text = raw.decode("utf-8")
            new = format_text(text)
        except (OSError, UnicodeDecodeError) as exc:
            result.diagnostics.append(Diagnostic(shown, 0, 0, "E_FMT", f"cannot read: {exc}"))
            continue
        except FormatRefused as exc:
            result.diagnostics.append(Diagnostic(shown, 0, 0, "E_FMT", f"not formatted: {exc}"))
            continue
        if new == text:
            result.unchanged += 1
            continue
        result.changed.append(shown)
        result.diffs.append(
            "".join(
                difflib.unified_diff(
                    text.splitlines(True), new.splitlines(True), f"a/{shown}", f"b/{shown}"
                )
            )
        )
        if write:
            atomic_write(path.parent, path.name, new.encode("utf-8"))
    return result


__all__ = ["FormatRefused", "FormatResult", "format_folder", "format_text"]
