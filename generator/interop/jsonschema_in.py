"""``specloom import jsonschema FILE|DIR``: JSON Schema files -> shared types files.

Each schema file becomes ``types/<file stem>.yaml``: its root is one type (named by its
``title``, else the file name) and each entry of its ``$defs`` / ``definitions`` another (named
by its key; prefixed with the root's name when two files use the same key). References are
rewired to ``#/types/Name``: local ones (``#``, ``#/$defs/X``, ``#/definitions/X``), ones to
another file (``other.json``, ``other.json#/definitions/X``, relative paths) and ones by the
``$id`` of a file. Anything else, and every keyword the spec subset cannot express, is a note.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urldefrag, urljoin

import yaml

from ..errors import SpecloomError
from .openapi_in import ImportResult
from .schema_in import SchemaConverter, type_name

__all__ = ["import_jsonschema", "read_document"]

SUFFIXES = (".json", ".yaml", ".yml")
_CONTAINER_KEYS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "$defs", "definitions"}
)


def read_document(path: Path) -> Any:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecloomError(f"cannot read {path}: {exc}") from None
    try:
        return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise SpecloomError(f"{path} is not valid JSON/YAML: {str(exc).splitlines()[0]}") from None


def _files(source: Path) -> list[Path]:
    if source.is_file():
        return [source]
    if source.is_dir():
        return sorted(p for p in source.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    raise SpecloomError(f"{source} does not exist")


def import_jsonschema(source: Path) -> ImportResult:
    files = _files(source)
    if not files:
        raise SpecloomError(f"no .json/.yaml schema files in {source}")
    root = source if source.is_dir() else source.parent
    docs = {p.relative_to(root).as_posix(): read_document(p) for p in files}
    # Names: (file, pointer) -> type name.
    names: dict[tuple[str, str], str] = {}
    taken: dict[str, str] = {}
    ids: dict[str, str] = {}

    def claim(name: str, rel: str, prefix: str) -> str:
        if name in taken and taken[name] != rel:
            name = prefix + name
        while name in taken and taken[name] != rel:
            name += "X"
        taken[name] = rel
        return name

    for rel, doc in docs.items():
        if not isinstance(doc, Mapping):
            raise SpecloomError(f"{rel}: a schema file must hold an object")
        stem = PurePosixPath(rel).name.split(".")[0]
        root_name = type_name(str(doc.get("title") or stem))
        if set(doc) - _CONTAINER_KEYS:  # a schema itself, not only a holder of definitions
            root_name = claim(root_name, rel, "")
            names[(rel, "")] = root_name
        if isinstance(doc.get("$id"), str):
            ids[urldefrag(doc["$id"])[0]] = rel
        for key in ("$defs", "definitions"):
            for def_name in doc.get(key) or {}:
                names[(rel, f"/{key}/{def_name}")] = claim(type_name(str(def_name)), rel, root_name)

    def locate(ref: str, base: str) -> tuple[str, str]:
        target, fragment = urldefrag(ref)
        if not target:
            rel = base
        elif target in ids:
            rel = ids[target]
        else:
            doc_id = docs[base].get("$id") if isinstance(docs[base], Mapping) else None
            absolute = urljoin(doc_id, target) if isinstance(doc_id, str) else None
            if absolute and urldefrag(absolute)[0] in ids:
                rel = ids[urldefrag(absolute)[0]]
            else:
                rel = str(PurePosixPath(base).parent / target).removeprefix("./")
                rel = PurePosixPath(*[p for p in PurePosixPath(rel).parts]).as_posix()
        return rel, fragment

    def ref(target: str, base: str) -> str:
        rel, fragment = locate(target, base)
        key = (rel, fragment.rstrip("/"))
        if key not in names:
            raise KeyError(f"no schema file or definition {rel}#{fragment}")
        return f"#/types/{names[key]}"

    def resolve(target: str, base: str) -> Mapping[str, Any] | None:
        rel, fragment = locate(target, base)
        node: Any = docs.get(rel)
        for part in [p for p in fragment.split("/") if p]:
            node = node.get(part) if isinstance(node, Mapping) else None
        return node if isinstance(node, Mapping) else None

    conv = SchemaConverter(ref, resolve)
    result = ImportResult()
    for rel, doc in docs.items():
        types: dict[str, Any] = {}
        if (rel, "") in names:
            types[names[(rel, "")]] = conv.convert(doc, f"{rel}#", rel)
        for key in ("$defs", "definitions"):
            for def_name, sub in (doc.get(key) or {}).items():
                name = names[(rel, f"/{key}/{def_name}")]
                types[name] = conv.convert(sub, f"{rel}#/{key}/{def_name}", rel)
        stem = PurePosixPath(rel).with_suffix("").as_posix().replace("/", "_")
        out: dict[str, Any] = {}
        if isinstance(doc.get("description"), str):
            out["description"] = doc["description"]
        out["types"] = types
        result.files[f"types/{stem}.yaml"] = out
    result.notes = conv.notes
    return result
