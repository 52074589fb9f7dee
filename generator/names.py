"""Naming rules shared by validation and the model: what generated code calls things.

Identifiers from specs are validated, never silently rewritten; this module says which names the
generated code derives from them and which names are taken.
"""

from __future__ import annotations

import keyword
import re
import sys

SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
PASCAL = re.compile(r"^[A-Z][A-Za-z0-9]*$")

# Sub-packages and modules of every generated package.
RESERVED_MODULE_NAMES = frozenset(
    {"runtime", "contracts", "mocks", "modules", "types", "tests", "docs", "main", "system", "impl"}
)
# Attributes of generated clients, mocks, services and pydantic models that a method or
# parameter name must not shadow. Every public attribute (class or instance) of the runtime
# classes a generated class subclasses belongs here; tests/generate/test_gen_names.py
# (test_runtime_attributes_are_refused_as_method_names) lists them from the runtime and fails
# on any missing.
RESERVED_METHOD_NAMES = frozenset(
    {
        # specloom_runtime.Mock (base of generated mocks)
        "calls",
        "stub",
        "reset",
        "patterns",
        # specloom_runtime.Client and the generated clients, services and adapters
        "bus",
        "health",
        "start",
        "stop",
        "close",
        "config",
        "spec",
        "agent_id",
        "contract",
        "scenarios",
        "provider",
        "self",
        "cls",
        # ModuleRuntime and the generated module bases (implementations inherit both)
        "emit",
        "on_event",
        "on_start",
        "deps",
        "main",
        # hooks System looks up on an implementation by name (getattr(obj, "on_stop"))
        "on_stop",
        "health_detail",
    }
)
RESERVED_PARAM_NAMES = frozenset(
    {
        "self",
        "cls",
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_json_schema",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "dict",
        "json",
        "copy",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "construct",
        "schema",
        "schema_json",
        "validate",
        "update_forward_refs",
        "fields",
        "priority",
        "timeout_ms",
        "register",  # ABCMeta.register: pydantic warns a field shadows it
    }
)
# Attributes of generated config models (pydantic models with ``from_env``).
RESERVED_SETTING_NAMES = (RESERVED_PARAM_NAMES - {"priority", "timeout_ms"}) | {"from_env"}
# Names generated code imports or defines next to contract, type and error classes.
RESERVED_CLASS_NAMES = frozenset(
    {
        "Any",
        "Annotated",
        "Literal",
        "Field",
        "BaseModel",
        "ConfigDict",
        "TypeAdapter",
        "ABC",
        "ClassVar",
        "Client",
        "ContractSpec",
        "MethodSpec",
        "DeclaredError",
        "Mock",
        "Dependency",
        "ModuleDef",
        "Optional",
        "Union",
        "List",
        "Dict",
        "None",
        "True",
        "False",
        "SharedTypes",
        # the runtime's method descriptors and config base, and its JSON Schema keyword
        # validators (specloom_runtime.keywords), imported by generated modules
        "Remote",
        "OneOf",
        "UniqueItems",
        "JsonEnum",
        "JsonInteger",
        "Answer",
        "Forward",
        "Settings",
        # class attributes of generated mocks, module bases, config models and adapters: a
        # type of that name would be shadowed in their class bodies
        "SPEC",
        "EXAMPLES",
        "DEFAULTS",
        "MODULE",
        "AGENT",
        "PROVIDES",
        "EVENTS",
        "SUBSCRIBES",
        "ENV",
        "TEXT",
        "SOURCE",
        "TARGET",
        # builtins that generated modules importing types and errors use
        "NotImplementedError",
        "ValueError",
    }
)
# The JSON scalar types the generated types module makes strict (datamodel-code-generator's
# ``strict_types``, see generator/render/types_module.py): each adds a ``Strict<Type>`` import.
STRICT_SCALARS = ("str", "int", "float", "bool")
# Names datamodel-code-generator imports into the generated types module: it renames a shared
# type of that name (RootModel -> RootModelModel), or a contract importing the type would get
# pydantic's (StrictInt), so the name cannot be kept.
TYPES_MODULE_NAMES = frozenset(
    {f"Strict{scalar.capitalize()}" for scalar in STRICT_SCALARS}
    | {
        "RootModel",
        "BaseModel",
        "ConfigDict",
        "Field",
        "AnyUrl",
        "AwareDatetime",
        "NaiveDatetime",
        "EmailStr",
        "IPv4Address",
        "IPv6Address",
        "UUID",
        "Enum",
        "Decimal",
        "Annotated",
        "Any",
        "Literal",
        "Optional",
        "Union",
        "List",
        "Dict",
    }
)


# Top-level import names a generated package or the implementation package must not take: it would
# shadow the standard library or a run-time dependency for everything on the same sys.path.
SHADOWED_TOP_LEVEL = frozenset(sys.stdlib_module_names) | frozenset(
    {"pydantic", "pydantic_core", "typing_extensions", "annotated_types", "pytest"}
)


# RFC 1123 label: the deployment files (generator/model/deploy.py) name containers, services
# and Kubernetes objects after the system name and the modules' agent ids.
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")


def dns_label_problem(name: str, what: str) -> str | None:
    """Why ``name`` (``what``: "the agent id", "the system name") cannot name a deployment
    object, or None."""
    if len(name) > 63 or DNS_LABEL.fullmatch(name) is None:
        return (
            f"{what} {name!r} is not a DNS label (RFC 1123: a-z, 0-9, '-', at most "
            "63 characters, starting and ending with a letter or digit)"
        )
    return None


def identifier_problem(name: str, kind: str) -> str | None:
    """Why ``name`` cannot be used as a ``kind`` identifier, or None.

    Kinds: ``package`` (a top-level import package), ``module``, ``param``, ``setting`` (a
    module's config key), ``method``, ``contract``, ``type``, ``error``.
    """
    pattern = PASCAL if kind in ("contract", "type", "error") else SNAKE
    if not pattern.fullmatch(name):  # fullmatch: "$" alone would accept a trailing newline
        style = "PascalCase" if pattern is PASCAL else "snake_case"
        return f"{kind} name {name!r} is not {style}"
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        return f"{kind} name {name!r} is a Python keyword"
    if kind in ("module", "package") and name in RESERVED_MODULE_NAMES:
        return f"{kind} name {name!r} would shadow the generated sub-package of that name"
    if kind == "package" and name in SHADOWED_TOP_LEVEL:
        return f"package name {name!r} would shadow the Python module of that name"
    if kind == "method" and (name in RESERVED_METHOD_NAMES or name.startswith("_")):
        return f"method name {name!r} would shadow an attribute of generated clients or mocks"
    if kind == "param" and (name in RESERVED_PARAM_NAMES or name.startswith("model_")):
        return f"parameter name {name!r} would shadow a pydantic model attribute"
    if kind == "setting" and (name in RESERVED_SETTING_NAMES or name.startswith("model_")):
        return f"setting name {name!r} would shadow an attribute of the generated config model"
    if kind in ("contract", "type", "error") and name in RESERVED_CLASS_NAMES:
        return f"{kind} name {name!r} would shadow a name used by generated code"
    if kind == "contract" and keyword.iskeyword(attr := contract_slug(name, 1)[: -len("_v1")]):
        return (
            f"contract name {name!r} would name the consuming modules' client {attr!r},"
            " a Python keyword"
        )
    if kind == "type" and name in TYPES_MODULE_NAMES:
        return f"type name {name!r} is a name the generated types module imports"
    return None


def pascal(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)


def contract_slug(name: str, version: int) -> str:
    """``Database``, 1 -> ``database_v1`` (file and module name)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() + f"_v{version}"


def contract_class(name: str, version: int) -> str:
    return f"{name}V{version}"


def env_var(package: str, module: str, setting: str) -> str:
    return f"{package}_{module}_{setting}".upper()


def module_class_names(module: str) -> dict[str, str]:
    """Classes generated for a module: base, deps, config, and the implementation's name."""
    base = pascal(module)
    return {k: base + k for k in ("Base", "Deps", "Config", "Impl")}


def contract_generated_names(name: str, version: int, methods: list[str]) -> set[str]:
    """Names a contract module defines besides declared errors and shared types."""
    cls = contract_class(name, version)
    out = {cls, cls + "Client", cls + "Mock", contract_slug(name, version).upper()}
    for m in methods:
        out |= {pascal(m) + "Params", pascal(m) + "Result"}
    return out
