"""Implementation of module documentation (Documentation): Markdown files served from folders.

What it does:

- Documents are the ``*.md`` files under ``docs_dir`` (default: the generated docs) and then
  each of ``extra_dirs``; relative paths resolve against the project root (the folder holding
  ``impl/``, ``$SPECLOOM_IMPL_ROOT`` in an image), not the working directory, so every process
  serves the same files wherever it was started. A later folder's file replaces an earlier one
  at the same path. Files are read on every call, so edits show at once; a file whose resolved
  location is outside its folder (a symlink pointing out) or whose path the contract's pattern
  refuses is not a document.
- The section comes from the first folder of the path (``user/``, ``api/``, ``architecture/``,
  ``modules/`` -> module); files elsewhere, including the root, are ``user`` docs. The title is
  the first ``#`` heading, else the file name.
- ``index.md`` always exists: when no folder has one, a generated page links to every document.
- render ``markdown``: the source normalized (LF line ends; outside fenced code, no trailing
  spaces and at most one blank line in a row; one final newline). render ``html``: a small
  renderer of the Markdown subset the generated docs use (ATX headings, paragraphs, fenced
  code, flat lists, pipe tables, code spans, bold, links); all text is HTML-escaped, so raw
  HTML in a document shows as text, and links other than http(s), mailto and relative ones are
  dropped (their text is kept).

Limits: the HTML renderer is not CommonMark (no nested lists, block quotes, images, emphasis
with single ``*``/``_``, reference links); a Markdown library such as markdown-it-py with raw
HTML disabled would replace ``_to_html``.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Literal

from orchestra.contracts.documentation_v1 import DocumentNotFound
from orchestra.modules.documentation import DocumentationBase
from orchestra.types import Document, DocumentInfo

Section = Literal["user", "api", "architecture", "module"]

PATH = re.compile(r"^(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_./-]*\.md$")
SECTIONS: dict[str, Section] = {
    "user": "user",
    "api": "api",
    "architecture": "architecture",
    "modules": "module",
}
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^\s*(?:([-*+])|\d+[.)])\s+(.*)$")
TABLE_RULE = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")
LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
BOLD = re.compile(r"\*\*(.+?)\*\*")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


class DocumentationImpl(DocumentationBase):
    """Documentation: Markdown files from docs_dir and extra_dirs, rendered on demand."""

    @property
    def _roots(self) -> list[Path]:
        root = Path(__file__).resolve().parent.parent
        return [
            (root / folder).resolve() for folder in [self.config.docs_dir, *self.config.extra_dirs]
        ]

    async def list_documents(self, section: Section | None = None) -> list[DocumentInfo]:
        """List documents, optionally of one section"""
        infos = [
            DocumentInfo(path=doc.path, title=doc.title, section=doc.section)
            for doc in self._documents().values()
        ]
        return [info for info in infos if section is None or info.section == section]

    async def get_document(self, path: str) -> Document:
        """Get a document's Markdown source"""
        for root in reversed(self._roots):
            file = _inside(root, path)
            if file is not None:
                return _document(path, file.read_text(encoding="utf-8", errors="replace"))
        if path == "index.md":
            return self._documents()[path]
        raise DocumentNotFound(f"no document at {path!r}", {"path": path})

    async def render(self, path: str, format: Literal["html", "markdown"] = "html") -> str:
        """Render a document"""
        source = _normalize((await self.get_document(path)).content)
        return source if format == "markdown" else _to_html(source)

    def _documents(self) -> dict[str, Document]:
        """Every document by path, sorted by path; index.md generated when there is none."""
        files: dict[str, Path] = {}
        for root in self._roots:
            if root.is_dir():
                for file in root.rglob("*.md"):
                    path = file.relative_to(root).as_posix()
                    if PATH.match(path) and _inside(root, path) is not None:
                        files[path] = file
        docs = {
            path: _document(path, file.read_text(encoding="utf-8", errors="replace"))
            for path, file in files.items()
        }
        if "index.md" not in docs:
            docs["index.md"] = _document("index.md", _index(list(docs.values())))
        return dict(sorted(docs.items()))


def _inside(root: Path, path: str) -> Path | None:
    """The file at ``path`` under ``root`` when it is a file that resolves inside root."""
    file = (root / path).resolve()
    return file if file.is_relative_to(root) and file.is_file() else None


def _document(path: str, content: str) -> Document:
    first = path.split("/", 1)[0] if "/" in path else ""
    title = next(
        (m.group(2) for m in map(HEADING.match, content.splitlines()) if m and m.group(1) == "#"),
        path.rsplit("/", 1)[-1].removesuffix(".md"),
    )
    return Document(path=path, title=title, section=SECTIONS.get(first, "user"), content=content)


def _index(docs: list[Document]) -> str:
    lines = ["# Documentation", ""]
    for section in ("user", "api", "architecture", "module"):
        entries = sorted((d.path, d.title) for d in docs if d.section == section)
        if entries:
            lines += [f"## {section.capitalize()}", ""]
            lines += [f"- [{title}]({path})" for path, title in entries]
            lines.append("")
    return "\n".join(lines)


def _normalize(text: str) -> str:
    """LF line ends; outside code fences no trailing spaces, no double blank lines."""
    out: list[str] = []
    fenced = False
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        fence = line.lstrip().startswith("```")
        if fence or not fenced:
            line = line.rstrip()
            if not line and (not out or not out[-1]):
                continue
        fenced ^= fence
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def _to_html(text: str) -> str:
    """HTML of normalized Markdown (the subset in the module docstring), all text escaped."""
    lines = text.split("\n")
    html: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        heading = HEADING.match(line)
        if not line.strip():
            i += 1
        elif line.lstrip().startswith("```"):
            language = line.strip()[3:].strip()
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), None)
            stop = len(lines) if end is None else end
            attr = f' class="language-{escape(language)}"' if language else ""
            code = escape("\n".join(lines[i + 1 : stop]))
            html.append(f"<pre><code{attr}>{code}</code></pre>")
            i = stop + 1
        elif heading:
            level = len(heading.group(1))
            html.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
            i += 1
        elif _is_table(lines, i):
            i = _table(lines, i, html)
        elif LIST_ITEM.match(line):
            i = _list(lines, i, html)
        else:
            start = i
            while i < len(lines) and lines[i].strip() and not _starts_block(lines, i):
                i += 1
            html.append(f"<p>{_inline(' '.join(s.strip() for s in lines[start:i]))}</p>")
    return "\n".join(html) + "\n"


def _starts_block(lines: list[str], i: int) -> bool:
    line = lines[i]
    return bool(
        line.lstrip().startswith("```")
        or HEADING.match(line)
        or LIST_ITEM.match(line)
        or _is_table(lines, i)
    )


def _is_table(lines: list[str], i: int) -> bool:
    return (
        lines[i].lstrip().startswith("|")
        and i + 1 < len(lines)
        and TABLE_RULE.match(lines[i + 1]) is not None
    )


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _table(lines: list[str], i: int, html: list[str]) -> int:
    head = "".join(f"<th>{_inline(c)}</th>" for c in _cells(lines[i]))
    rows = []
    i += 2
    while i < len(lines) and lines[i].lstrip().startswith("|"):
        rows.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in _cells(lines[i])) + "</tr>")
        i += 1
    html.append(f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")
    return i


def _list(lines: list[str], i: int, html: list[str]) -> int:
    first = LIST_ITEM.match(lines[i])
    tag = "ul" if first and first.group(1) else "ol"
    items: list[str] = []
    while i < len(lines) and lines[i].strip():
        item = LIST_ITEM.match(lines[i])
        if item:
            items.append(item.group(2))
        elif lines[i].startswith((" ", "\t")) and not _starts_block(lines, i):
            items[-1] += " " + lines[i].strip()
        else:
            break
        i += 1
    html.append(f"<{tag}>" + "".join(f"<li>{_inline(t)}</li>" for t in items) + f"</{tag}>")
    return i


def _inline(text: str) -> str:
    """Escaped inline text with code spans, bold and safe links."""
    out = []
    for n, part in enumerate(re.split(r"(`[^`]*`)", text)):
        if n % 2:
            out.append(f"<code>{escape(part[1:-1])}</code>")
        else:
            out.append(BOLD.sub(r"<strong>\1</strong>", LINK.sub(_link, escape(part))))
    return "".join(out)


def _link(match: re.Match[str]) -> str:
    label, url = match.group(1), match.group(2)
    scheme = SCHEME.match(url)
    if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
        return label
    return f'<a href="{url}">{label}</a>'
