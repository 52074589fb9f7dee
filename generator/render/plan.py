"""The build plan as Markdown: ``specloom plan`` prints it, ``generated/docs/PLAN.md`` holds it."""

from __future__ import annotations

from ..model.plan import Plan, build_plan
from ..model.spec import SpecSet
from .environment import render_one


def render_plan(spec: SpecSet, plan: Plan | None = None, user_templates: str | None = None) -> str:
    """The plan as Markdown (``plan``: the one the view already computed, when there is one)."""
    return render_one(
        "docs/PLAN.md.jinja", user_templates, system=spec.system, plan=plan or build_plan(spec)
    )
