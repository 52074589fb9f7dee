"""Finding spec files, reading them safely, and telling their kind."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, display_path
from .located import Located, YamlProblem, parse_yaml
from .parsed import ParsedFiles

MAX_FILE_BYTES = 2 * 1024 * 1024
# JSON is YAML: a .json spec file (e.g. types in JSON) loads like a .yaml one, never silently
# ignored.
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
_SCHEMA_MARKERS = ("$schema", "$defs", "definitions", "properties", "type")

# Top-level key that marks each kind of spec file, in detection order.
KINDS = {"system": "specloom", "module": "module", "contract": "contract", "types": "types"}


@dataclass
class SpecDocument:
    """One loaded spec file."""

    path: Path
    shown: str  # the path as printed in diagnostics
    kind: str
    doc: Located
    # The path relative to the project root (the spec folder's parent), POSIX: what generated
    # files name as their source, so output does not depend on the working directory.
    source: str = ""
    # A hash of the file's bytes and the parser (``ParsedFiles.key``): equal digests, equal docs.
    digest: str = ""

    @property
    def data(self) -> Any:
        return self.doc.data

    def at(self, path: tuple[str | int, ...], *, key: bool = False) -> tuple[int, int]:
        return self.doc.position(path, key=key)


def detect_kind(data: Any) -> str | None:
    if not isinstance(data, dict):
        return None
    for kind, marker in KINDS.items():
        if marker in data:
            return kind
    return None


def _decode(raw: bytes, shown: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        # Column in characters, as editors count it: the bytes before it on its line are valid.
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise YamlProblem(
            "E_ENCODING",
            f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            line,
            col,
            hint="save the file as UTF-8",
        ) from exc
    return text.removeprefix("\ufeff")


def _describe(value: Any) -> str:
    """What a document that is not a spec holds, for the E_KIND message."""
    if value is None:
        return "an empty document"
    if isinstance(value, dict):
        return "a mapping without any of them"
    if isinstance(value, list):
        return "a list"
    return f"a single value ({type(value).__name__})"


def read_spec_file(
    path: Path, base: Path, parsed: ParsedFiles | None = None
) -> tuple[SpecDocument | None, list[Diagnostic]]:
    shown = display_path(path, base)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                Diagnostic(
                    shown,
                    0,
                    0,
                    "E_FILE_TOO_BIG",
                    f"spec file is {size / 1048576:.1f} MiB; the limit is "
                    f"{MAX_FILE_BYTES // 1048576} MiB",
                    hint="split it into several files",
                )
            ]
        raw = path.read_bytes()
        key = ParsedFiles.key(raw)
        hit = parsed.get(key) if parsed is not None else None
        if hit is None:
            doc = parse_yaml(_decode(raw, shown))
            if parsed is not None:
                parsed.add(key, doc)
        else:
            doc = hit
    except YamlProblem as p:
        return None, [Diagnostic(shown, p.line, p.col, p.code, p.message, p.hint)]
    except OSError as exc:
        return None, [Diagnostic(shown, 0, 0, "E_READ", f"cannot read file: {exc.strerror}")]
    kind = detect_kind(doc.data)
    if kind is None:
        is_schema = isinstance(doc.data, dict) and any(k in doc.data for k in _SCHEMA_MARKERS)
        return None, [
            Diagnostic(
                shown,
                *doc.position(()),
                "E_KIND",
                "not a spec file: expected a mapping with one of the keys "
                + ", ".join(repr(k) for k in KINDS.values())
                + f"; found {_describe(doc.data)}",
                f"this looks like a JSON Schema: `specloom import jsonschema {shown}` turns it "
                "into a types file"
                if is_schema
                else "",
            )
        ]
    return SpecDocument(path, shown, kind, doc, digest=key), []


def spec_files(folder: Path) -> list[Path]:
    """Spec files below ``folder`` in a stable order; symlinks leaving the folder are skipped."""
    root = folder.resolve()
    found = []
    for p in sorted(folder.rglob("*")):
        if p.suffix not in SPEC_SUFFIXES or not p.is_file():
            continue
        if any(part.startswith(".") for part in p.relative_to(folder).parts):
            continue
        if not p.resolve().is_relative_to(root):
            continue
        found.append(p)
    return found


def _texts(paths: list[Path]) -> list[bytes]:
    """The bytes of the files that are readable and not too big (the others get their
    diagnostic when read one by one)."""
    out = []
    for p in paths:
        with contextlib.suppress(OSError):
            if p.stat().st_size <= MAX_FILE_BYTES:
                out.append(p.read_bytes())
    return out


def load_specs(
    folder: Path, base: Path | None = None, *, cache: bool = True
) -> tuple[list[SpecDocument], list[Diagnostic]]:
    """Load every spec file below ``folder``; diagnostics for those that cannot be loaded.
    With ``cache``, a file parsed before with the same bytes is not parsed again (``parsed``)."""
    base = base or Path.cwd()
    docs: list[SpecDocument] = []
    diags: list[Diagnostic] = []
    parsed = ParsedFiles(folder, enabled=cache)
    paths = spec_files(folder)
    parsed.parse_misses(_texts(paths))  # on two cores when many files are new
    for p in paths:
        doc, problems = read_spec_file(p, base, parsed)
        diags.extend(problems)
        if doc is not None:
            doc.source = f"{folder.resolve().name}/{p.relative_to(folder).as_posix()}"
            docs.append(doc)
    parsed.save()
    return docs, diags
