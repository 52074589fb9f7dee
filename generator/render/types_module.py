"""``types.py`` of the generated package: shared types -> pydantic v2 models.

datamodel-code-generator does the mapping. It runs in a child process, overlapping the rest of
the render (its import is the slowest part of the tool), and its output is cached by a hash of
its input and version, so a warm regeneration does not pay for it (see :class:`TypesJob`).
"""

from __future__ import annotations

import ast
import atexit
import contextlib
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..cache import cache_dir
from ..errors import SpecloomError
from ..model.format_rules import FORMAT_TYPES
from ..model.imports import Import, import_block
from ..names import STRICT_SCALARS

ROOT_NAME = "SharedTypes"


def _json_schema(types: Mapping[str, Mapping[str, Any]], package: str) -> dict[str, Any]:
    """The shared types as one JSON Schema document for datamodel-code-generator.

    ``#/types/X`` becomes ``#/$defs/X``; a string ``format`` becomes the ``customTypePath`` of
    its ``Fmt_*`` annotation in ``specloom_runtime.formats`` (a checked ``str``: the value stays the
    string sent, instead of a datetime/UUID/AnyUrl that would come back different); an object
    without ``additionalProperties`` allows and keeps them, as JSON Schema says.
    """

    hoisted: dict[str, Any] = {}

    def fix(node: Any, name: str, top: bool = False) -> Any:
        if isinstance(node, list):
            return [fix(v, name) for v in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                out[k] = re.sub(r"^#/types/", "#/$defs/", v)
            elif k == "properties" and isinstance(v, dict):
                out[k] = {prop: fix(sub, name + _pascal(prop)) for prop, sub in v.items()}
            elif k in ("$defs", "definitions", "patternProperties") and isinstance(v, dict):
                out[k] = {key: fix(sub, name + _pascal(key)) for key, sub in v.items()}
            elif k in ("default", "examples", "enum", "const"):
                out[k] = v
            elif k == "items":
                out[k] = fix(v, name + "Item")
            elif k == "additionalProperties":
                out[k] = fix(v, name + "Value")
            elif k in ("anyOf", "oneOf") and isinstance(v, list):
                out[k] = [fix(sub, f"{name}Option{i + 1}") for i, sub in enumerate(v)]
            elif k == "allOf":
                out[k] = fix(v, name)
            else:
                out[k] = fix(v, name)
        fmt = out.get("format")
        if isinstance(fmt, str) and fmt in FORMAT_TYPES:
            del out["format"]
            out["customTypePath"] = f"specloom_runtime.formats.{FORMAT_TYPES[fmt]}"
        is_object = out.get("type") == "object" or "properties" in out
        if is_object and "additionalProperties" not in out:
            out["additionalProperties"] = True
        if _needs_one_of(out):
            out[_ONE_OF_MARK] = True
            if not top:  # a RootModel of its own, whose root the post-step annotates
                model = name
                while model in types or (model in hoisted and hoisted[model] != out):
                    model += "Choice"
                hoisted[model] = out
                return {"$ref": f"#/$defs/{model}"}
            return out
        if not top and "properties" in out and "allOf" not in out:
            # An inline model gets the name of its path (Task + context -> TaskContext), so a
            # rename elsewhere never renumbers it (datamodel-code-generator would say Context1).
            model = name
            while model in types or (model in hoisted and hoisted[model] != out):
                model += "Inline"
            hoisted[model] = out
            keep = {k: out[k] for k in ("description", "default") if k in out}
            return {"$ref": f"#/$defs/{model}", **keep}
        return out

    defs = {name: fix(dict(s), name, top=True) for name, s in types.items()}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": ROOT_NAME,
        "description": "Any one of the shared types.",
        "anyOf": [{"$ref": f"#/$defs/{name}"} for name in types],
        "$defs": {**defs, **hoisted},
    }


_ONE_OF_MARK = "x-specloom-one-of"


def _needs_one_of(node: Mapping[str, Any]) -> bool:
    """A ``oneOf`` (alone) whose branches may overlap: its model must count matching branches."""
    from ..model.typehints import disjoint_branches

    branches = node.get("oneOf")
    return (
        isinstance(branches, list)
        and len(branches) > 1
        and "anyOf" not in node
        and not disjoint_branches(branches)
    )


def _annotate_one_of(code: str, source: str) -> str:
    """``root: A | B`` of each marked ``oneOf`` RootModel -> ``root: Annotated[A | B, OneOf()]``.

    datamodel-code-generator renders ``oneOf`` as a plain union, which takes a value that several
    branches accept; :class:`specloom_runtime.keywords.OneOf` counts the branches that accept it.
    """
    import ast

    marked = {
        name
        for name, schema in json.loads(source).get("$defs", {}).items()
        if isinstance(schema, dict) and schema.get(_ONE_OF_MARK)
    }
    if not marked:
        return code
    tree = ast.parse(code)
    lines = _lines(code)
    edits: list[tuple[int, int, int, int, str]] = []
    found: set[str] = set()
    for node in tree.body:
        if not (isinstance(node, ast.ClassDef) and node.name in marked):
            continue
        for stmt in node.body:
            if isinstance(stmt, ast.AnnAssign) and ast.unparse(stmt.target) == "root":
                ann = stmt.annotation
                text = ast.get_source_segment(code, ann)
                assert text is not None and ann.end_lineno is not None
                assert ann.end_col_offset is not None
                edits.append((ann.lineno, ann.col_offset, ann.end_lineno, ann.end_col_offset, text))
                found.add(node.name)
    if found != marked:
        missing = ", ".join(sorted(marked - found))
        raise SpecloomError(f"internal: no oneOf model {missing} in the generated shared types")
    for start, col, end, end_col, text in sorted(edits, reverse=True):
        head = lines[start - 1][:col]
        tail = lines[end - 1][end_col:]
        lines[start - 1 : end] = [f"{head}Annotated[{' '.join(text.split())}, OneOf()]{tail}"]
    body = "".join(lines)
    header = "from specloom_runtime.keywords import OneOf\n"
    if not re.search(r"^from typing import .*\bAnnotated\b", body, re.MULTILINE):
        header += "from typing import Annotated\n"
    at = body.index("\n", body.index("from __future__ import annotations")) + 1
    return body[:at] + header + body[at:]


def _pascal(text: str) -> str:
    parts = re.findall(r"[A-Za-z0-9]+", str(text))
    return "".join(part[:1].upper() + part[1:] for part in parts) or "Field"


def _codegen_version() -> str:
    from ..dists import version

    return version("datamodel-code-generator")


@functools.cache
def _cache_key_base() -> str:
    """What the cached ``types.py`` depends on besides its input: datamodel-code-generator's
    version and the code that calls it (this module's options and post-processing, and the
    strict scalars of ``names``, the import block of ``model.imports``, the formats of
    ``model.format_rules``). Without the code, a cache entry written before an option changed
    was served as if it were current."""
    here = Path(__file__).resolve()
    generator = here.parent.parent
    code = hashlib.sha256()
    for source in (
        here,
        generator / "names.py",
        generator / "model" / "imports.py",
        generator / "model" / "format_rules.py",
    ):
        code.update(source.read_bytes())
    return f"{_codegen_version()}\n{code.hexdigest()}"


def render_types(
    types: Mapping[str, Mapping[str, Any]], *, package: str = "types_pkg", use_cache: bool = True
) -> str:
    """Python source of the shared-types module (unformatted; the render step formats it)."""
    job = TypesJob(in_process=True)
    job.submit(types, package=package, use_cache=use_cache)
    return job.result()


class TypesJob:
    """``types.py`` in the making: from the cache, or from datamodel-code-generator.

    On a cache miss the generator runs in a child process (``python -m
    generator.render.types_module``), so that its import (~0.4 s, more than the rest of a render
    of the flagship) overlaps the rest of the render on another core. :meth:`prestart` starts
    the child before the specs are even validated, for runs that will likely miss the cache;
    :meth:`submit` hands it the schema (or kills it on a cache hit); :meth:`result` waits.
    """

    def __init__(self, *, in_process: bool = False) -> None:
        self.in_process = in_process
        self.proc: subprocess.Popen[bytes] | None = None
        self.text: str | None = None
        self.cached: Path | None = None

    @staticmethod
    def worth_prestarting(use_cache: bool) -> bool:
        """True when the cache is off or holds no types at all (a first run, a fresh CI box)."""
        if not use_cache:
            return True
        try:
            return next((cache_dir() / "types").glob("*.py"), None) is None
        except OSError:
            return True

    def prestart(self) -> TypesJob:
        if self.proc is None and not self.in_process:
            root = str(Path(__file__).resolve().parents[2])
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [root, env.get("PYTHONPATH")]))
            try:
                self.proc = subprocess.Popen(
                    [sys.executable, "-m", __name__],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    env=env,
                )
            except OSError:
                self.in_process = True  # no child processes here: run it in this one
        return self

    def submit(
        self,
        types: Mapping[str, Mapping[str, Any]],
        *,
        package: str = "types_pkg",
        use_cache: bool = True,
    ) -> None:
        if not types:
            self.cancel()
            self.text = '"""Shared types: none are defined in this spec set."""\n'
            return
        source = json.dumps(_json_schema(types, package), sort_keys=True)
        key = hashlib.sha256(f"{_cache_key_base()}\n{source}".encode()).hexdigest()
        cached = cache_dir() / "types" / f"{key}.py"
        if use_cache and cached.is_file():
            self.cancel()
            self.text = cached.read_text("utf-8")
            return
        self.cached = cached if use_cache else None
        if self.in_process:
            self.text = _run_codegen(source)
            return
        self.prestart()
        assert self.proc is not None and self.proc.stdin is not None
        stdin, self.proc.stdin = self.proc.stdin, None  # communicate() must not touch it
        try:
            with stdin:
                stdin.write(source.encode("utf-8"))
        except BrokenPipeError:
            pass  # the child died; result() reports why

    def ready(self) -> bool:
        """Whether :meth:`result` answers at once (cache hit, no types, or run in-process)."""
        return self.text is not None

    def result(self) -> str:
        if self.text is None:
            if self.proc is None:
                raise SpecloomError("internal: the shared types were never submitted")
            out, err = self.proc.communicate()
            self.proc = None
            if out.startswith(_OK):
                self.text = out[len(_OK) :].decode("utf-8")
            else:
                lines = err.decode("utf-8", "replace").strip().splitlines() or ["no output"]
                message = lines[-1].removeprefix("error: ")
                if not message.startswith("datamodel-code-generator"):
                    message = f"datamodel-code-generator failed on the shared types: {message}"
                raise SpecloomError(message)
        if self.cached is not None:
            _store(self.cached, self.text)
            self.cached = None
        return self.text

    def cancel(self) -> None:
        """Stop the child, if any (safe to call at any time, and more than once)."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.communicate()
            self.proc = None


_OK = b"specloom-types-ok\n"
_EARLY: list[TypesJob] = []


def start_early(use_cache: bool) -> None:
    """Start the child before anything else of the process (the ``specloom`` console script
    does, for a ``generate``), when a run will likely need it; :func:`take_early` hands it to the
    run. A child nobody takes is killed at exit."""
    if not _EARLY and TypesJob.worth_prestarting(use_cache):
        job = TypesJob().prestart()
        atexit.register(job.cancel)
        _EARLY.append(job)


def take_early() -> TypesJob | None:
    return _EARLY.pop() if _EARLY else None


def _store(cached: Path, code: str) -> None:
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(code, "utf-8")
        os.replace(tmp, cached)
    except OSError:
        pass  # a read-only cache only costs time


def _child() -> None:
    """``python -m generator.render.types_module``: JSON Schema on stdin -> module on stdout.

    stdin is read by a thread while datamodel-code-generator warms up (:func:`_warm_up`), so the
    parent never blocks on a full pipe. The answer is flushed and the process ends at once: the
    teardown of a process holding datamodel-code-generator and pydantic costs ~0.1 s, and the
    parent waits for the end of the pipes.
    """
    import threading

    box: list[bytes] = []
    reader = threading.Thread(target=lambda: box.append(sys.stdin.buffer.read()), daemon=True)
    reader.start()
    with contextlib.suppress(SpecloomError):  # a warm-up failure only costs time
        _warm_up()
    reader.join()
    try:
        code = _run_codegen(box[0].decode("utf-8"))
    except SpecloomError as exc:
        sys.stderr.write(f"error: {exc.message}\n")
        sys.stderr.flush()
        os._exit(1)
    sys.stdout.buffer.write(_OK + code.encode("utf-8"))
    sys.stdout.flush()
    os._exit(0)


# A small schema with the constructs of real shared types (objects, inline models, arrays, enums,
# optional values, maps, formats, bounds, patterns, descriptions, defaults): generating it imports
# what a real run needs. ``import datamodel_code_generator`` alone imports almost nothing (its
# modules load lazily, ~0.45 s, inside ``generate``).
_WARM_UP_TYPES: dict[str, Any] = {
    "Level": {"type": "string", "enum": ["low", "high"], "description": "A level."},
    "Item": {
        "type": "object",
        "description": "An item.",
        "required": ["id", "level"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z]+$", "minLength": 1},
            "level": {"$ref": "#/types/Level"},
            "at": {"type": "string", "format": "date-time"},
            "count": {"type": "integer", "minimum": 0, "default": 0},
            "ratio": {"type": "number", "exclusiveMaximum": 1},
            "on": {"type": "boolean", "description": "Whether it is on."},
            "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}},
            "score": {"type": ["number", "null"], "minimum": 0, "default": None},
            "meta": {"type": "object", "additionalProperties": {"type": "integer"}},
            "owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            "next": {"anyOf": [{"$ref": "#/types/Item"}, {"type": "null"}]},
            "kind": {"const": "item"},
            "state": {"type": "string", "enum": ["on", "off"]},
            "parts": {"type": "array", "items": {"type": "object", "properties": {"n": {}}}},
        },
    },
    "Items": {"type": "array", "items": {"$ref": "#/types/Item"}},
}


def _warm_up() -> None:
    """Generate the small schema above once, so that the real one finds everything imported."""
    _run_codegen(json.dumps(_json_schema(_WARM_UP_TYPES, "warm_up"), sort_keys=True))


def _run_codegen(source: str) -> str:
    from datamodel_code_generator import (
        DataModelType,
        InputFileType,
        LiteralType,
        PythonVersion,
        generate,
    )
    from datamodel_code_generator.enums import StrictTypes

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. "pattern dropped on AwareDatetime"
            out = generate(
                source,
                input_file_type=InputFileType.JsonSchema,
                output_model_type=DataModelType.PydanticV2BaseModel,
                target_python_version=PythonVersion.PY_311,
                use_annotated=True,
                field_constraints=True,
                use_standard_collections=True,
                use_union_operator=True,
                disable_timestamp=True,
                enum_field_as_literal=LiteralType.All,
                # One strictness everywhere: JSON types, as in the params models and jsonschema.
                strict_types=[StrictTypes(scalar) for scalar in STRICT_SCALARS],
                use_schema_description=True,
                use_field_description=True,
                formatters=[],
            )
    except Exception as exc:  # noqa: BLE001 - a third-party failure becomes one clean line
        raise SpecloomError(f"datamodel-code-generator failed on the shared types: {exc}") from exc
    if not isinstance(out, str):
        raise SpecloomError("datamodel-code-generator returned several modules; expected one")
    out = _annotate_one_of(out, source)
    body = "".join(ln for ln in _lines(out) if not ln.startswith("#   filename:"))
    body = body.replace("# generated by datamodel-codegen:", "")
    header = (
        '"""Shared types of the system, generated from specs/types by specloom '
        '(via datamodel-code-generator)."""\n'
    )
    return header + _sorted_imports(body.lstrip("\n"))


def _lines(text: str) -> list[str]:
    """``text`` split after each newline, as Python's tokenizer (and so ``ast``'s line numbers)
    counts lines. ``str.splitlines`` also breaks at U+2028, U+0085, form feeds and the like, which
    a description may hold: they would become real line breaks inside a docstring."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _sorted_imports(body: str) -> str:
    """``body`` with its import block as ruff's isort writes it (``model.imports``), names it
    does not use left out (F401): datamodel-code-generator's own order is not isort's, and the
    render step runs ``ruff format`` only, no ``ruff check --fix``. A block of another form than
    datamodel-code-generator writes (an aliased name, an import after code) is kept as it is."""
    try:
        tree = ast.parse(body)
    except SyntaxError:
        return body  # the render step names the file that is not valid Python
    imports: list[Import] = []
    end = 0  # the last line of the leading import statements
    code: list[ast.stmt] = []
    for i, node in enumerate(tree.body):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if any(a.asname not in (None, a.name) for a in node.names):
                return body
            imports += [(node.module, a.name, None) for a in node.names]
        elif isinstance(node, ast.Import):
            imports += [(a.name, None, a.asname) for a in node.names]
        else:
            code = tree.body[i:]
            break
        end = node.end_lineno or node.lineno
    if not imports or any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in code):
        return body
    used = {n.id for stmt in code for n in ast.walk(stmt) if isinstance(n, ast.Name)}
    kept = [
        (module, name, alias)
        for module, name, alias in imports
        if module == "__future__" or (name or alias or module.split(".")[0]) in used
    ]
    rest = _lines(body)[end:]
    return import_block(kept) + "".join(rest)


if __name__ == "__main__":
    _child()
