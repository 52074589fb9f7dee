"""Step 2, validate: JSON Schema per file, then semantic checks over the whole spec set.

``validate_specs(folder)`` returns the typed :class:`SpecSet` (when the files could be read and
match their schemas) and every diagnostic found, sorted by location. It never raises for bad specs;
only a ``folder`` that is not a folder raises :class:`UsageError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import Diagnostic, Severity, UsageError
from ..load import load_specs
from ..model.spec import SpecSet, build_specset
from .examples import check_examples
from .honoured import check_honoured
from .http import check_http_routes
from .known import KnownValid
from .schema import check_schema, schema_for
from .semantic import (
    check_default_endless,
    check_graph,
    check_identifiers,
    check_references,
    check_schemas_in_use,
    check_uniqueness,
)

__all__ = ["ValidationResult", "schema_for", "validate_specs"]


@dataclass
class ValidationResult:
    spec: SpecSet | None
    diagnostics: list[Diagnostic]
    # The view the buildability check built (a SystemView), for the render of the same run: the
    # view is built once per run.
    view: Any = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def ok(self) -> bool:
        return self.spec is not None and not self.errors


def _check_buildable(spec: SpecSet) -> tuple[list[Diagnostic], Any]:
    """What generate would refuse, found now: the model step itself runs on the spec set (type
    hints of every schema, a synthesized answer for every result), so a spec set that passes
    validate never fails in generate (e.g. an unsatisfiable pattern such as ``^(?=a)b$``).
    Returns the findings and the view built (None when it could not be)."""
    from ..diff.adapters import served_versions
    from ..errors import SpecloomError
    from ..model.view import build_view

    if spec.system is None:
        return [], None
    try:
        return [], build_view(spec, served_versions(spec))
    except SpecloomError as exc:
        return list(exc.diagnostics), None


def validate_specs(folder: Path, base: Path | None = None) -> ValidationResult:
    if not folder.is_dir():
        # Naming a folder that is not there is a usage error (exit 2), not a finding in specs.
        what = "is not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"spec folder {folder} {what}")
    docs, diags = load_specs(folder, base)
    valid = []
    known = KnownValid(folder)  # files unchanged since they last matched their schema
    for doc in docs:
        problems = [] if known.seen(doc) else check_schema(doc)
        diags.extend(problems)
        if not problems:
            valid.append(doc)
            known.add(doc)
    known.save()
    systems = [d for d in docs if d.kind == "system"]
    if not systems:
        diags.append(
            Diagnostic(
                str(folder),
                0,
                0,
                "E_NO_SYSTEM",
                "no system.yaml (a file with 'specloom: 1')",
                "run `specloom init` for a starting point",
            )
        )
    for extra in systems[1:]:
        diags.append(Diagnostic(extra.shown, 1, 1, "E_DUPLICATE", "a second system file"))
    spec = build_specset(valid)
    view = None
    if not diags:  # semantic checks need every file loaded and schema-valid
        for check in (
            check_uniqueness,
            check_identifiers,
            check_references,
            check_schemas_in_use,
            check_default_endless,
            check_honoured,
            check_graph,
            check_examples,
            check_http_routes,
        ):
            diags.extend(check(spec))
        if not any(d.severity is Severity.ERROR for d in diags):
            found, view = _check_buildable(spec)
            diags.extend(found)
    unique = sorted(set(diags), key=lambda d: (d.path, d.line, d.col, d.code, d.message))
    return ValidationResult(spec if valid or not docs else None, unique, view)
