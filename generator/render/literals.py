"""Turning untrusted spec strings and values into safe Python literals, comments and Markdown.

Every spec string that reaches generated output passes through one of these functions (as a
Jinja filter), so it lands literally and can never change the structure around it:

- ``pyrepr``: a Python literal (strings through :func:`repr`);
- ``docstring``: text inside ``\"\"\"...\"\"\"`` (backslashes, quotes and control characters
  escaped, long lines wrapped); ``docblock``: the whole docstring, quotes included;
- ``comment``: text as ``#`` comment lines (config files, shell);
- ``md`` / ``md_line`` / ``md_cell``: Markdown prose (spec text *is* Markdown: code spans and
  emphasis are kept) with raw HTML neutralised outside code; ``md_line`` is one line (headings,
  list items), ``md_cell`` is also safe in a table cell;
- ``md_code``: a code span showing the text exactly (types, defaults, schemas);
- ``toml``: a TOML basic string.

Python source is also never left holding an invisible character that could make it read
differently from what it does ("Trojan Source": bidi overrides, zero-width characters, control
characters): :func:`visible_escapes` rewrites each inside a string literal or comment of any
generated file as a visible escape (the value of the literal is unchanged).
"""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize

from ..model.literal import pyrepr

__all__ = [
    "comment",
    "docblock",
    "docstring",
    "md_cell",
    "md_code",
    "md_line",
    "md_text",
    "pyrepr",
    "toml",
    "visible_escapes",
]


DOC_WIDTH = 96

# Control characters other than tab and newline cannot appear raw in source (NUL is refused,
# CR becomes a newline); inside a docstring they are written as escapes.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _wrap(line: str, width: int) -> list[str]:
    if len(line) <= width:
        return [line]
    lead = line[: len(line) - len(line.lstrip())]
    return textwrap.wrap(
        line,
        width,
        initial_indent="",
        subsequent_indent=lead,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [line]


def docstring(text: str, indent: int = 4) -> str:
    """Text safe inside a triple-quoted docstring: backslashes, quotes and control characters
    escaped, long lines wrapped to fit the line length at ``indent``."""
    text = text.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if text.endswith('"'):
        text = text[:-1] + '\\"'
    pad = " " * indent
    width = DOC_WIDTH - indent
    lines = [w for ln in text.split("\n") for w in _wrap(ln, width)]
    return "\n".join([lines[0], *[(pad + ln) if ln.strip() else "" for ln in lines[1:]]])


def docblock(text: str, indent: int = 4) -> str:
    """A whole docstring literal for ``text`` at ``indent``: one line between triple quotes, or,
    when it has several lines, with the closing quotes on a line of their own (PEP 257)."""
    body = docstring(text, indent)
    if "\n" not in body:
        return f'"""{body}"""'
    return f'"""{body}\n{" " * indent}"""'


def comment(text: str, prefix: str = "# ") -> str:
    """Text as comment lines (each line starts with ``prefix``); no line escapes the comment."""
    lines = _CONTROL.sub(" ", text.strip()).split("\n") or [""]
    return "\n".join((prefix + ln).rstrip() for ln in lines)


# Code spans (a run of N backticks up to the next run of exactly N) and fenced code blocks are
# shown verbatim by Markdown: HTML is neutralised only outside them.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def _neutralise(text: str) -> str:
    return _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def _md_inline(line: str) -> str:
    out: list[str] = []
    pos = 0
    while True:
        opening = _TICKS.search(line, pos)
        if opening is None:
            break
        ticks = opening.group()
        closing = next(
            (m for m in _TICKS.finditer(line, opening.end()) if m.group() == ticks), None
        )
        if closing is None:  # an unmatched run of backticks is literal text
            out.append(_neutralise(line[pos : opening.end()]))
            pos = opening.end()
            continue
        out.append(_neutralise(line[pos : opening.start()]))
        out.append(line[opening.start() : closing.end()])
        pos = closing.end()
    out.append(_neutralise(line[pos:]))
    return "".join(out)


def md_text(text: str) -> str:
    """Spec text as Markdown prose: kept as written, raw HTML neutralised outside code."""
    out: list[str] = []
    fence = ""
    for line in text.strip("\n").rstrip().split("\n"):
        match = _FENCE.match(line)
        if fence:
            out.append(line)
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = ""
        elif match:
            fence = match.group(1)
            out.append(line)
        else:
            out.append(_md_inline(line))
    return "\n".join(out)


def md_line(text: str) -> str:
    """Spec text as one line of Markdown (a heading, a list item): newlines become spaces."""
    return md_text(" ".join(text.split("\n")).strip())


def md_cell(text: str) -> str:
    """Spec text inside a Markdown table cell."""
    return md_line(text).replace("|", "\\|")


def md_code(text: str, cell: bool = False) -> str:
    """``text`` as a Markdown code span, shown exactly (one line; ``cell``: inside a table)."""
    text = " ".join(text.split("\n"))
    longest = max((len(m) for m in _TICKS.findall(text)), default=0)
    fence = "`" * (longest + 1)
    if text.startswith("`") or text.endswith("`") or (text[:1] == text[-1:] == " "):
        text = f" {text} "
    if cell:
        text = text.replace("|", "\\|")
    return f"{fence}{text}{fence}"


# Characters that must never be raw in generated source: C0/C1 controls (tab and newline
# excepted), the soft hyphen, bidi controls (U+061C, U+200E/F, U+202A-U+202E, U+2066-U+2069),
# zero-width and invisible formatting characters (U+200B-U+200D, U+2060-U+206F, U+FEFF,
# U+180E, interlinear annotations), line/paragraph separators, tag characters (U+E0000-U+E0FFF)
# and lone surrogates (which cannot even be written as UTF-8). An explicit list, not
# ``str.isprintable``: the output must not depend on the Unicode version of the Python running.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u061c\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e0fff\ud800-\udfff]"
)


def _escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def _escape_all(text: str) -> str:
    return _INVISIBLE.sub(lambda m: _escape(m.group()), text)


def visible_escapes(source: str) -> str:
    """``source`` (Python) with every invisible character of :data:`_INVISIBLE` inside a string
    literal or a comment written as an escape: ``\\u202e`` in a string (same value), the same
    text in a comment. A raw string holding one is rewritten as an equal plain literal. Source
    without any such character is returned as it is (one regex search)."""
    if not _INVISIBLE.search(source):
        return source
    lines = source.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(pos: tuple[int, int]) -> int:
        return starts[pos[0] - 1] + pos[1]

    edits: list[tuple[int, int, str]] = []
    fstring_start: list[tuple[int, bool]] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(source).readline):
            kind = tok.type
            if kind == getattr(tokenize, "FSTRING_START", -1):  # Python 3.12+
                fstring_start.append((offset(tok.start), "r" in tok.string.lower()))
                continue
            if kind == getattr(tokenize, "FSTRING_END", -1) and fstring_start:
                begin, raw = fstring_start.pop()
                if not raw and not fstring_start:
                    end = offset(tok.end)
                    edits.append((begin, end, _escape_all(source[begin:end])))
                continue
            if fstring_start or kind not in (tokenize.STRING, tokenize.COMMENT):
                continue
            if not _INVISIBLE.search(tok.string):
                continue
            begin, end = offset(tok.start), offset(tok.end)
            prefix = re.match(r"[A-Za-z]*", tok.string).group().lower()  # type: ignore[union-attr]
            if kind == tokenize.STRING and "r" in prefix:
                if "f" in prefix:
                    continue  # a raw f-string (3.11): left as it is; generated code has none
                edits.append((begin, end, repr(ast.literal_eval(tok.string))))
            else:
                edits.append((begin, end, _escape_all(tok.string)))
    except (tokenize.TokenError, SyntaxError, ValueError):
        return source  # not Python after all: ruff has already said so
    out = source
    for begin, end, text in sorted(edits, reverse=True):
        out = out[:begin] + text + out[end:]
    return out


_TOML_ESCAPES = {
    '"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"
}  # fmt: skip
_TOML_SPECIAL = re.compile('["\\\\\x00-\x1f\x7f]|' + _INVISIBLE.pattern)


def toml(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes, control characters (DEL included)
    and invisible characters escaped, characters beyond the BMP as ``\\UXXXXXXXX`` (never
    JSON's surrogate pairs, which TOML rejects); lone surrogates, which no TOML file can hold,
    as U+FFFD."""

    def one(match: re.Match[str]) -> str:
        char = match.group()
        if char in _TOML_ESCAPES:
            return _TOML_ESCAPES[char]
        if "\ud800" <= char <= "\udfff":
            return "\\ufffd"
        code = ord(char)
        return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"

    return '"' + _TOML_SPECIAL.sub(one, text) + '"'
