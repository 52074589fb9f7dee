"""JSON Schema (the spec subset) -> pydantic v2 type annotations, as Python source text.

``to_annotation`` is pure: it returns the annotation text, the imports it needs and the inline
models (object schemas with ``properties``) it refers to, children before parents. Every value
taken from a schema (patterns, descriptions, enum values, defaults, property names) reaches the
source only through :func:`repr` / :func:`default_repr`, so a spec cannot inject code; names used
as identifiers are rebuilt from ASCII letters and digits only.

Semantics follow ``jsonschema``'s Draft 2020-12 validator as closely as pydantic allows; the known
differences are listed in ``KNOWN_DISAGREEMENTS`` (and tested). What pydantic has no exact
equivalent for (``oneOf``, ``uniqueItems``, integral floats as integers, ``enum``/``const`` by JSON
equality) is checked by small validators of the runtime (``specloom_runtime/keywords.py``, see
:data:`KEYWORD_HELPERS`), emitted only where a schema uses the keyword. Patterns are checked with
pydantic's default engine, the linear-time Rust ``regex`` crate; ``validate`` and the value
synthesiser use the same engine (:mod:`generator.patterns`), which rejects patterns it cannot run.
"""

from __future__ import annotations

import ast
import builtins
import keyword
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from ..names import RESERVED_CLASS_NAMES
from ..patterns import pattern_problem
from .format_rules import FORMAT_TYPES
from .literal import pyrepr
from .pydantic_names import basemodel_attributes
from .spec import TYPE_REF as _TYPE_REF  # the one definition

__all__ = [
    "KEYWORD_HELPERS",
    "KNOWN_DISAGREEMENTS",
    "MODEL_CONFIG_KWARGS",
    "Field",
    "InlineModel",
    "SchemaError",
    "TypeExpr",
    "default_repr",
    "disjoint_branches",
    "pascal_name",
    "ref_name",
    "render_imports",
    "render_model",
    "to_annotation",
]

KNOWN_DISAGREEMENTS = (
    "an optional property that is not nullable still accepts an explicit null (default None)",
    "multipleOf with non-integral floats uses pydantic's tolerance, not float division",
    "arrays also accept Python tuples/sets (lax list); JSON input never has them",
    "keywords outside the subset (allOf, not, if/then, patternProperties, ...) are ignored",
    "an aliased property is also accepted under its Python name (populate_by_name=True)",
    "number fields convert ints to float: ints beyond 2**53 are compared after rounding",
    "a keyword of one type (minimum, maxLength, items, properties...) without a type implies"
    " that type: other values are rejected, where JSON Schema ignores the keyword",
    "patterns run on the Rust regex engine (see generator.patterns.PATTERN_SUBSET): \\d, \\w,"
    " \\s and \\b are Unicode-aware; lookarounds and backreferences are a validate error",
)

KEYWORD_HELPERS = ("JsonEnum", "JsonInteger", "OneOf", "UniqueItems")
"""Names generated models import from the runtime's ``keywords`` module (next to ``formats``):
validators of the keywords pydantic has no exact equivalent for."""

MODEL_CONFIG_KWARGS: Mapping[str, str] = {}
"""ConfigDict keywords a model using these hints needs (none: pydantic's default Rust regex engine
is the one ``validate`` and the synthesiser use)."""

_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_ANNOTATION_KEYS = frozenset({"description", "title", "default", "examples", "$comment"})
_JSON_TYPES = ("string", "integer", "number", "boolean", "null", "array", "object")

# Names the rendered code looks up: a class or field of that name would shadow them.
_CODE_NAMES = frozenset(
    {"Annotated", "Any", "Literal", "Field", "BaseModel", "ConfigDict", "None", "True", "False"}
    | {"str", "int", "float", "bool", "list", "dict"}
    | set(KEYWORD_HELPERS)
)
# A class name must not shadow a builtin or a name generated modules define next to it.
_RESERVED_CLASS_NAMES = frozenset(dir(builtins)) | RESERVED_CLASS_NAMES | _CODE_NAMES


def _reserved_field_names() -> frozenset[str]:
    """A field name must not shadow a BaseModel attribute (nor a name its hints use, added per
    model). ``Config`` is pydantic's v1-style configuration class: such a field breaks the model.
    """
    return basemodel_attributes() | _CODE_NAMES | {"Config", "register"}


class SchemaError(ValueError):
    """The schema is outside the supported subset or malformed (message: one line)."""


@dataclass(frozen=True)
class Field:
    """One field of an inline model.

    ``name`` is the Python attribute; ``alias`` the JSON property name when they differ.
    ``hint`` is the final annotation (``| None`` already added for optional fields without a
    default); ``default_repr`` is the default as a Python literal, None for required fields.
    """

    name: str
    hint: str
    required: bool
    default_repr: str | None
    description: str | None
    alias: str | None = None


@dataclass(frozen=True)
class InlineModel:
    """A pydantic model generated for an object schema with ``properties``.

    ``extra_hint`` is the value type of additional properties when ``additionalProperties`` is a
    schema (rendered as a typed ``__pydantic_extra__``).
    """

    name: str
    fields: tuple[Field, ...]
    extra: Literal["forbid", "allow"]
    docstring: str | None
    extra_hint: str | None = None


@dataclass(frozen=True)
class TypeExpr:
    """An annotation (source text), the ``(module, name)`` imports it needs, its inline models."""

    hint: str
    imports: frozenset[tuple[str, str]] = field(default_factory=frozenset)
    models: tuple[InlineModel, ...] = ()


def ref_name(ref: str) -> str:
    """``#/types/Task`` -> ``Task``; anything else is a :class:`SchemaError`."""
    match = _TYPE_REF.match(ref) if isinstance(ref, str) else None
    if not match:
        raise SchemaError(f"unsupported $ref {ref!r}: expected '#/types/<Name>'")
    return match.group(1)


def default_repr(value: Any) -> str:
    """A Python literal for a JSON value; ValueError for non-finite floats, TypeError for
    anything that is not JSON (the one printer, ``generator.model.literal``, in strict mode)."""
    return pyrepr(value, strict=True)


def to_annotation(
    schema: Mapping[str, Any],
    *,
    name_hint: str,
    ref_to_hint: Callable[[str], str],
    formats_module: str = "specloom_runtime.formats",
) -> TypeExpr:
    """The pydantic v2 annotation for ``schema``.

    ``name_hint`` names the inline model of an object schema (PascalCase; nested models append
    the property name, ``Item`` for array items, ``Value`` for additional properties, and a number
    when a name repeats). ``ref_to_hint(name)`` gives the annotation of ``#/types/<name>`` and must
    return a dotted name such as ``types_.Task``. A string ``format`` becomes the matching
    ``Fmt_*`` annotation of ``formats_module`` (the runtime's ``specloom_runtime.formats``).
    """
    builder = _Builder(ref_to_hint, formats_module)
    hint = builder.hint(schema, pascal_name(name_hint))
    return TypeExpr(hint, frozenset(builder.imports), tuple(builder.models))


def render_imports(imports: Iterable[tuple[str, str]]) -> str:
    """``from module import a, b`` lines, one per module, sorted (``typing`` and ``pydantic``)."""
    by_module: dict[str, set[str]] = {}
    for module, name in imports:
        by_module.setdefault(module, set()).add(name)
    return "\n".join(
        f"from {module} import {', '.join(sorted(names))}"
        for module, names in sorted(by_module.items())
    )


def render_model(model: InlineModel) -> str:
    """Python source of one inline model (needs BaseModel, ConfigDict and Field imported)."""
    config = [f"extra={model.extra!r}", "populate_by_name=True"]
    config += [f"{key}={value!r}" for key, value in MODEL_CONFIG_KWARGS.items()]
    lines = [f"class {model.name}(BaseModel):"]
    if model.docstring:
        lines += [f"    {model.docstring!r}", ""]
    lines.append(f"    model_config = ConfigDict({', '.join(config)})")
    if model.extra_hint is not None:
        lines.append(f"    __pydantic_extra__: dict[str, {model.extra_hint}] = Field(init=False)")
    for fld in model.fields:
        lines.append(f"    {fld.name}: {fld.hint}{_field_value(fld)}")
    return "\n".join(lines) + "\n"


def pascal_name(text: str) -> str:
    """A PascalCase class name from any text (ASCII letters and digits only, never reserved)."""
    parts = re.findall(r"[A-Za-z0-9]+", text)
    name = "".join(part[:1].upper() + part[1:] for part in parts) or "Model"
    if name[0].isdigit():
        name = "M" + name
    if name in _RESERVED_CLASS_NAMES or keyword.iskeyword(name):
        name += "Model"
    return name


def _field_value(fld: Field) -> str:
    kwargs = []
    if fld.alias is not None:
        kwargs.append(f"alias={fld.alias!r}")
    if fld.description:
        kwargs.append(f"description={fld.description!r}")
    if not kwargs:
        return "" if fld.default_repr is None else f" = {fld.default_repr}"
    if fld.default_repr is not None:
        kwargs.insert(0, f"default={fld.default_repr}")  # keyword: mypy reads it as optional
    return f" = Field({', '.join(kwargs)})"


def _union(hints: Iterable[str]) -> str:
    unique: list[str] = []
    for hint in hints:
        if hint not in unique:
            unique.append(hint)
    if "Any" in unique:
        return "Any"
    if "None" in unique:
        unique.remove("None")
        unique.append("None")
    return " | ".join(unique)


def _accepts_none(hint: str) -> bool:
    """Whether an annotation built here admits None (None, Any, a union or Literal with None)."""

    def walk(node: ast.expr) -> bool:
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Annotated"
            and isinstance(node.slice, ast.Tuple)
        ):
            return walk(node.slice.elts[0])
        if isinstance(node, ast.Constant):
            return node.value is None
        if isinstance(node, ast.Name):
            return node.id == "Any"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
            return walk(node.left) or walk(node.right)
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "Literal"
        ):
            elts = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
            return any(isinstance(e, ast.Constant) and e.value is None for e in elts)
        return False

    return walk(ast.parse(hint, mode="eval").body)


def _is_member(hint: str) -> bool:
    """Whether a hint stays one member of a union it joins (not a union itself, not Any)."""
    node = ast.parse(hint, mode="eval").body
    return hint != "Any" and not (isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr))


def _value_types(schema: Any) -> frozenset[str] | None:
    """The JSON types a schema can accept (integer counted as number), None when unknown."""
    if not isinstance(schema, Mapping) or {"$ref", "anyOf", "oneOf"} & schema.keys():
        return None
    if "const" in schema or "enum" in schema:
        values = [schema["const"]] if "const" in schema else schema["enum"]
        if not isinstance(values, list):
            return None
        types = {t for value in values for t in _json_type_of(value)}
    else:
        raw = schema.get("type")
        types = set([raw] if isinstance(raw, str) else raw or _infer_types(schema))
    if not types:
        return None
    return frozenset("number" if t == "integer" else t for t in types)


def disjoint_branches(branches: list[Any]) -> bool:
    """Whether no value can match two of the branches (their JSON types never overlap)."""
    seen: set[str] = set()
    for branch in branches:
        types = _value_types(branch)
        if types is None or types & seen:
            return False
        seen |= types
    return True


def _names_used(hint: str) -> set[str]:
    """Every name an annotation looks up (``types_`` for ``types_.Task``)."""
    tree = ast.parse(hint, mode="eval")
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def _json_type_of(value: Any) -> set[str]:
    if value is None:
        return {"null"}
    if isinstance(value, bool):
        return {"boolean"}
    if isinstance(value, int):
        return {"integer", "number"}
    if isinstance(value, float):
        return {"number", "integer"} if value.is_integer() else {"number"}
    if isinstance(value, str):
        return {"string"}
    if isinstance(value, list | tuple):
        return {"array"}
    if isinstance(value, Mapping):
        return {"object"}
    return set()


def _number(schema: Mapping[str, Any], key: str) -> int | float | None:
    value = schema.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise SchemaError(f"{key} must be a finite number, not {value!r}")
    return value


def _count(schema: Mapping[str, Any], key: str) -> int | None:
    value = schema.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise SchemaError(f"{key} must be a non-negative integer, not {value!r}")
    return value


def _kwargs(pairs: Iterable[tuple[str, Any]]) -> str:
    return ", ".join(f"{key}={default_repr(value)}" for key, value in pairs if value is not None)


def _infer_types(schema: Mapping[str, Any]) -> list[str]:
    if any(k in schema for k in ("properties", "required", "additionalProperties")):
        return ["object"]
    if any(k in schema for k in ("items", "minItems", "maxItems", "uniqueItems")):
        return ["array"]
    if any(k in schema for k in ("minLength", "maxLength", "pattern")):
        return ["string"]
    if any(
        k in schema
        for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
    ):
        return ["number"]
    return []


class _Builder:
    """Accumulates imports and inline models while building one annotation."""

    def __init__(
        self, ref_to_hint: Callable[[str], str], formats_module: str = "specloom_runtime.formats"
    ) -> None:
        self.ref_to_hint = ref_to_hint
        self.formats_module = formats_module
        self.keywords_module = formats_module.rpartition(".")[0] + ".keywords"
        self.imports: set[tuple[str, str]] = set()
        self.models: list[InlineModel] = []
        self.model_names: set[str] = set()

    def use(self, module: str, *names: str) -> None:
        self.imports.update((module, name) for name in names)

    def annotated(self, base: str, kwargs: str, *helpers: str) -> str:
        """``Annotated[base, Field(kwargs), helper, ...]``; each helper is a call of a name of
        :data:`KEYWORD_HELPERS` (imported here), such as ``OneOf()``."""
        if not kwargs and not helpers:
            return base
        self.use("typing", "Annotated")
        metadata = list(helpers)
        if kwargs:
            self.use("pydantic", "Field")
            metadata.insert(0, f"Field({kwargs})")
        for helper in helpers:
            self.use(self.keywords_module, helper.partition("(")[0])
        return f"Annotated[{base}, {', '.join(metadata)}]"

    def hint(self, schema: Any, name: str) -> str:
        if schema is True:
            self.use("typing", "Any")
            return "Any"
        if schema is False:
            raise SchemaError("the schema 'false' (matching nothing) is not supported here")
        if not isinstance(schema, Mapping):
            raise SchemaError(f"a schema must be an object or a boolean, not {schema!r}")
        if "$ref" in schema:
            return self.ref(schema["$ref"])
        if "anyOf" in schema or "oneOf" in schema:
            return self.combined(schema, name)
        if "const" in schema:
            return self.enum([schema["const"]], schema)
        if "enum" in schema:
            return self.enum(schema["enum"], schema)
        types = self.types(schema)
        if not types:
            self.use("typing", "Any")
            return "Any"
        return _union(self.single(schema, t, name) for t in types)

    def types(self, schema: Mapping[str, Any]) -> list[str]:
        raw = schema.get("type")
        if raw is None:
            return _infer_types(schema)
        types = [raw] if isinstance(raw, str) else raw
        if not isinstance(types, list) or not types:
            raise SchemaError(f"type must be a name or a non-empty list, not {raw!r}")
        for t in types:
            if t not in _JSON_TYPES:
                raise SchemaError(f"unknown type {t!r}")
        return list(dict.fromkeys(types))

    def ref(self, ref: Any) -> str:
        hint = self.ref_to_hint(ref_name(ref))
        if not isinstance(hint, str) or not _DOTTED.match(hint):
            raise SchemaError(f"ref_to_hint returned {hint!r}, not a dotted name")
        return hint

    def combined(self, schema: Mapping[str, Any], name: str) -> str:
        """anyOf: the union of the branches. oneOf: the union, annotated ``OneOf()`` (exactly
        one branch may accept the value) unless no two branches can accept the same value; with
        both, the anyOf union annotated with the oneOf branches (both apply)."""
        siblings = {
            k: v
            for k, v in schema.items()
            if k not in ("anyOf", "oneOf") and k not in _ANNOTATION_KEYS
        }

        def branch_hints(key: str) -> tuple[list[Any], list[str]]:
            branches = schema[key]
            if not isinstance(branches, list) or not branches:
                raise SchemaError(f"{key} must be a non-empty list")
            merged = [
                {**siblings, **branch}
                if siblings and isinstance(branch, Mapping) and "$ref" not in branch
                else branch
                for branch in branches
            ]
            return merged, [self.hint(branch, name) for branch in merged]

        any_hints = branch_hints("anyOf")[1] if "anyOf" in schema else None
        if "oneOf" not in schema:
            assert any_hints is not None
            return _union(any_hints)
        one_of, hints = branch_hints("oneOf")
        if any_hints is None and (len(hints) == 1 or disjoint_branches(one_of)):
            return _union(hints)
        base = _union(hints if any_hints is None else any_hints)
        if any_hints is None and len(set(hints)) == len(hints) and all(map(_is_member, hints)):
            return self.annotated(base, "", "OneOf()")  # the union's members are the branches
        return self.annotated(base, "", f"OneOf({', '.join(hints)})")

    def enum(self, values: Any, schema: Mapping[str, Any]) -> str:
        """``Literal`` of the values (const is a one-value enum) that have the declared type."""
        if not isinstance(values, list):
            raise SchemaError(f"enum must be a list, not {values!r}")
        if "type" in schema:
            allowed = set(self.types(schema))
            values = [v for v in values if _json_type_of(v) & allowed]
        if not values:
            raise SchemaError("enum/const has no value of the declared type (matches nothing)")
        return self.literal(values)

    def literal(self, values: list[Any]) -> str:
        """``Literal`` of the strings, ints, bools (and ``| None``); a float or a container member
        is its type. ``JsonEnum(...)`` checks the members by JSON equality when the Literal
        alone would not (``Literal[1]`` takes ``True``) or cannot (containers)."""
        literals: list[str] = []
        others: list[str] = []
        members: list[str] = []
        exact = True
        for value in values:
            if isinstance(value, float) and value.is_integer() and math.isfinite(value):
                value = int(value)
            try:
                members.append(default_repr(value))
            except (TypeError, ValueError):
                raise SchemaError(f"enum/const value {value!r} is not JSON") from None
            exact = exact and (value is None or isinstance(value, str | float))
            if value is None or isinstance(value, bool | int | str):
                literals.append(default_repr(value))
            elif isinstance(value, float):
                others.append(self.single({"minimum": value, "maximum": value}, "number", ""))
            elif isinstance(value, list | tuple):
                self.use("typing", "Any")
                others.append("list[Any]")
            elif isinstance(value, Mapping):
                self.use("typing", "Any")
                others.append("dict[str, Any]")
            else:
                raise SchemaError(f"enum/const value {value!r} is not JSON")
        hints = []
        has_none = "None" in literals
        literals = [lit for lit in literals if lit != "None"]
        if literals:
            self.use("typing", "Literal")
            hints.append(f"Literal[{', '.join(dict.fromkeys(literals))}]")
        if has_none:
            others.append("None")  # `Literal[...] | None`, not `Literal[..., None]` (PYI061)
        hint = _union(hints + others)
        if exact:
            return hint
        return self.annotated(hint, "", f"JsonEnum({', '.join(dict.fromkeys(members))})")

    def single(self, schema: Mapping[str, Any], json_type: str, name: str) -> str:
        if json_type == "null":
            return "None"
        if json_type == "boolean":
            return self.annotated("bool", "strict=True")
        if json_type == "string":
            return self.string(schema)
        if json_type == "integer":
            return self.integer(schema)
        if json_type == "number":
            bounds = [
                ("ge", _number(schema, "minimum")),
                ("gt", _number(schema, "exclusiveMinimum")),
                ("le", _number(schema, "maximum")),
                ("lt", _number(schema, "exclusiveMaximum")),
                ("multiple_of", self.multiple_of(schema)),
            ]
            return self.annotated("float", _kwargs([("strict", True), *bounds]))
        if json_type == "array":
            return self.array(schema, name)
        return self.object(schema, name)

    def multiple_of(self, schema: Mapping[str, Any]) -> int | float | None:
        value = _number(schema, "multipleOf")
        if value is not None and value <= 0:
            raise SchemaError(f"multipleOf must be > 0, not {value!r}")
        return value

    def string(self, schema: Mapping[str, Any]) -> str:
        pattern = schema.get("pattern")
        if pattern is not None:
            if not isinstance(pattern, str):
                raise SchemaError(f"pattern must be a string, not {pattern!r}")
            problem = pattern_problem(pattern)
            if problem is not None:
                raise SchemaError(str(problem))
        base: str = "str"
        strict: bool | None = True
        fmt = schema.get("format")
        if fmt is not None:
            if fmt not in FORMAT_TYPES:
                known = ", ".join(FORMAT_TYPES)
                raise SchemaError(f"format {fmt!r} cannot be checked; known formats: {known}")
            base, strict = FORMAT_TYPES[fmt], None  # the Fmt_ annotation is a strict str
            self.use(self.formats_module, base)
        pairs = [
            ("strict", strict),
            ("min_length", _count(schema, "minLength")),
            ("max_length", _count(schema, "maxLength")),
            ("pattern", pattern),
        ]
        return self.annotated(base, _kwargs(pairs))

    def integer(self, schema: Mapping[str, Any]) -> str:
        # pydantic wants integral bounds for int: round fractional ones inwards.
        ge = _number(schema, "minimum")
        gt = _number(schema, "exclusiveMinimum")
        le = _number(schema, "maximum")
        lt = _number(schema, "exclusiveMaximum")
        ge = None if ge is None else math.ceil(ge)
        le = None if le is None else math.floor(le)
        if gt is not None and not float(gt).is_integer():
            ge = math.ceil(gt) if ge is None else max(ge, math.ceil(gt))
            gt = None
        if lt is not None and not float(lt).is_integer():
            le = math.floor(lt) if le is None else min(le, math.floor(lt))
            lt = None
        step = self.multiple_of(schema)
        if step is not None:
            # n is a multiple of p/q (lowest terms) iff p divides n.
            step = Fraction(repr(step)).numerator
        pairs = [
            ("strict", True),
            ("ge", ge),
            ("gt", None if gt is None else int(gt)),
            ("le", le),
            ("lt", None if lt is None else int(lt)),
            ("multiple_of", None if step == 1 else step),
        ]
        return self.annotated("int", _kwargs(pairs), "JsonInteger()")

    def array(self, schema: Mapping[str, Any], name: str) -> str:
        items = schema.get("items", True)
        max_items = _count(schema, "maxItems")
        if items is False:
            self.use("typing", "Any")
            item_hint, max_items = "Any", 0
        else:
            item_hint = self.hint(items, name + "Item")
        kwargs = _kwargs([("min_length", _count(schema, "minItems")), ("max_length", max_items)])
        unique = schema.get("uniqueItems", False)
        if not isinstance(unique, bool):
            raise SchemaError(f"uniqueItems must be a boolean, not {unique!r}")
        helpers = ("UniqueItems()",) if unique else ()
        return self.annotated(f"list[{item_hint}]", kwargs, *helpers)

    def object(self, schema: Mapping[str, Any], name: str) -> str:
        properties = schema.get("properties") or {}
        required = schema.get("required") or []
        if not isinstance(properties, Mapping) or not isinstance(required, list):
            raise SchemaError("properties must be an object and required a list")
        extra = schema.get("additionalProperties", True)
        if properties or required:
            return self.model(schema, properties, required, extra, name)
        if extra is False:
            self.use("typing", "Any")
            return self.annotated("dict[str, Any]", "max_length=0")
        value_hint = self.hint(extra, name + "Value")
        return f"dict[str, {value_hint}]"

    def model(
        self,
        schema: Mapping[str, Any],
        properties: Mapping[str, Any],
        required: list[Any],
        extra: Any,
        name: str,
    ) -> str:
        model_name = self.unique_model_name(name)
        extra_hint = None
        if isinstance(extra, Mapping) and extra:
            extra_hint = self.hint(extra, model_name + "Value")
        drafts: list[tuple[str, str, bool, str | None, str | None]] = []
        for prop, sub in properties.items():
            drafts.append(self.draft_field(str(prop), sub, prop in required, model_name))
        for prop in required:
            if not isinstance(prop, str):
                raise SchemaError(f"required entries must be strings, not {prop!r}")
            if prop not in properties:
                if extra is False:
                    raise SchemaError(
                        f"required property {prop!r} is not in properties and"
                        " additionalProperties is false (matches nothing)"
                    )
                self.use("typing", "Any")
                drafts.append((prop, extra_hint or "Any", True, None, None))
        taken = set(_reserved_field_names()) | self.model_names
        for draft in drafts:
            taken |= _names_used(draft[1])
        names = _python_names([draft[0] for draft in drafts], taken)
        fields = [
            Field(py, hint, is_required, default, description, None if py == prop else prop)
            for py, (prop, hint, is_required, default, description) in zip(
                names, drafts, strict=True
            )
        ]
        if any(f.alias is not None or f.description for f in fields) or extra_hint:
            self.use("pydantic", "Field")
        doc = schema.get("description") or schema.get("title")
        self.models.append(
            InlineModel(
                model_name,
                tuple(fields),
                "forbid" if extra is False else "allow",
                doc if isinstance(doc, str) else None,
                extra_hint,
            )
        )
        self.use("pydantic", "BaseModel", "ConfigDict")
        return model_name

    def draft_field(
        self, prop: str, sub: Any, is_required: bool, model_name: str
    ) -> tuple[str, str, bool, str | None, str | None]:
        hint = self.hint(sub, model_name + pascal_name(prop))
        description = sub.get("description") if isinstance(sub, Mapping) else None
        description = description if isinstance(description, str) else None
        if is_required:
            return prop, hint, True, None, description
        if isinstance(sub, Mapping) and "default" in sub:
            try:
                default = default_repr(sub["default"])
            except (TypeError, ValueError) as exc:
                raise SchemaError(f"default of {prop!r}: {exc}") from None
            if sub["default"] is None and not _accepts_none(hint):
                hint = _union([hint, "None"])
            return prop, hint, False, default, description
        if not _accepts_none(hint):
            hint = _union([hint, "None"])
        return prop, hint, False, "None", description

    def unique_model_name(self, name: str) -> str:
        candidate, n = name, 1
        while candidate in self.model_names:
            n += 1
            candidate = f"{name}{n}"
        self.model_names.add(candidate)
        return candidate


def _python_names(props: list[str], taken: set[str]) -> list[str]:
    """Safe, distinct attribute names for properties (a property's own name when safe).

    Safe names are kept first, so ``a_b`` stays ``a_b`` even when ``a-b`` comes before it.
    """
    used = set(taken)
    names: dict[int, str] = {}
    for i, prop in enumerate(props):
        if _is_safe(prop) and prop not in used:
            names[i] = prop
            used.add(prop)
    for i, prop in enumerate(props):
        if i in names:
            continue
        name = re.sub(r"[^A-Za-z0-9_]", "_", prop).lstrip("_")
        if not name or name[0].isdigit() or name.startswith("model_"):
            name = "f_" + name
        while name in used or keyword.iskeyword(name):
            name += "_"
        names[i] = name
        used.add(name)
    return [names[i] for i in range(len(props))]


def _is_safe(name: str) -> bool:
    return (
        re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) is not None
        and not keyword.iskeyword(name)
        and not name.startswith("model_")
    )
