"""Checks of the REST mappings (``methods.<m>.http``) the gateway and OpenAPI export use."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..errors import Diagnostic
from ..model.spec import Method, SpecSet

PATH_PARAM = re.compile(r"\{([a-z][a-z0-9_]*)\}")
SCALARS = {"string", "integer", "number", "boolean"}


def _scalar(schema: object, types: Mapping[str, object]) -> bool:
    """Whether a value of the schema can be written as one path or query segment."""
    if not isinstance(schema, dict):
        return False
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/types/"):
        return _scalar(types.get(ref[len("#/types/") :]), types)
    kind = schema.get("type")
    if isinstance(kind, str):
        return kind in SCALARS
    if "enum" in schema or "const" in schema:
        values = schema.get("enum", [schema.get("const")])
        return all(isinstance(v, str | int | float | bool) for v in values)
    return False


def check_http_routes(spec: SpecSet) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    types = {t.name: dict(t.schema) for t in spec.types}
    for c in spec.contracts:
        routes: dict[tuple[str, str], Method] = {}
        for m in c.methods:
            http = m.http or {}
            verb = str(http.get("method", "POST")).upper()
            path = str(http["path"]) if http else f"/{m.name}"
            where = ("http", "path") if http else ()
            names = PATH_PARAM.findall(path)
            for name in names:
                p = m.param(name)
                if p is None:
                    diags.append(
                        Diagnostic(
                            *m.origin.at(*where),
                            "E_HTTP_PATH",
                            f"path segment {{{name}}} of {c.key}.{m.name} is not a parameter",
                            "known: " + ", ".join(q.name for q in m.params) if m.params else "",
                        )
                    )
                elif not _scalar(p.schema, types):
                    diags.append(
                        Diagnostic(
                            *m.origin.at(*where),
                            "E_HTTP_PATH",
                            f"path parameter {name!r} of {c.key}.{m.name} is not a scalar",
                            "a path segment holds a string, integer, number or boolean",
                        )
                    )
            if len(set(names)) != len(names):
                diags.append(
                    Diagnostic(
                        *m.origin.at(*where), "E_HTTP_PATH", f"{path} names a parameter twice"
                    )
                )
            if verb in ("GET", "DELETE"):
                for p in m.params:
                    if p.name not in names and not _scalar(p.schema, types):
                        diags.append(
                            Diagnostic(
                                *m.origin.at("http", "method"),
                                "E_HTTP_QUERY",
                                f"{verb} {c.key}.{m.name}: parameter {p.name!r} is not a scalar,"
                                " so it cannot be a query parameter",
                                "use POST, PUT or PATCH to send it in the JSON body",
                            )
                        )
            key = (verb, PATH_PARAM.sub("{}", path))
            if key in routes:
                diags.append(
                    Diagnostic(
                        *m.origin.at(*where),
                        "E_HTTP_ROUTE",
                        f"{verb} {path} of {c.key}.{m.name} is also the route of "
                        f"{routes[key].name}",
                    )
                )
            else:
                routes[key] = m
    return diags
