"""Implementation of module frontend (Frontend Core): the UI store and server-rendered pages.

What it does:

- The store is one UiState, initially ``{view: <default_view>, data: {}}``, changed only by
  actions through a pure reducer: ``navigate {view}`` (a known page), ``set {key, value}`` (key a
  non-empty string, value any JSON) and ``reset``. An invalid action raises UnknownAction (bad
  kind or payload) or UnknownView and leaves the state as it was.
- Pages: dashboard, tasks, agents, monitoring, docs. render_view returns deterministic HTML of
  the page body: its heading and purpose, the page parameters and, when it is the current view,
  the store's data; every value is HTML-escaped.

Limits: pages show no live data. Data comes from the API's REST endpoints over HTTP (specs
decision D16), which this offline implementation does not call, so Api@1 is not used either.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from orchestra.contracts.frontend_v1 import RenderViewResult, UnknownAction, UnknownView
from orchestra.modules.frontend import FrontendBase
from orchestra.types import UiAction, UiState

PAGES: dict[str, tuple[str, str]] = {
    "dashboard": ("Dashboard", "System overview: health, recent tasks and agents."),
    "tasks": ("Tasks", "Tasks submitted to the core engine and their results."),
    "agents": ("Agents", "Agents hosted by the agent framework."),
    "monitoring": ("Monitoring", "Metrics, events and component health."),
    "docs": ("Documentation", "User, API, architecture and module documentation."),
}


class FrontendImpl(FrontendBase):
    """Frontend Core: a single store changed by actions, and deterministic page rendering."""

    _state: UiState

    async def on_start(self) -> None:
        self._state = self._initial()

    def _initial(self) -> UiState:
        return UiState(view=self.config.default_view, data={})

    async def render_view(self, view: str, page_params: dict[str, Any] = {}) -> RenderViewResult:
        """Render a page"""
        title, purpose = _page(view)
        parts = [
            f'<section class="page page-{view}">',
            f"<h1>{escape(title)}</h1>",
            f"<p>{escape(purpose)}</p>",
        ]
        if page_params:
            parts.append(_definitions("params", page_params))
        if self._state.view == view and self._state.data:
            parts.append(_definitions("state", self._state.data))
        parts.append("</section>")
        return RenderViewResult(view=view, title=title, html="\n".join(parts))

    async def get_state(self) -> UiState:
        """Current UI state"""
        return self._state

    async def dispatch_action(self, action: UiAction) -> UiState:
        """Apply an action to the UI state, return the new state"""
        self._state = reduce(self._state, action, self._initial())
        return self._state


def reduce(state: UiState, action: UiAction, initial: UiState) -> UiState:
    """The state after ``action`` (a new object); raises for an invalid action."""
    payload = action.payload or {}
    if action.kind == "reset":
        return initial
    if action.kind == "navigate":
        view = payload.get("view")
        if not isinstance(view, str):
            raise UnknownAction("navigate needs payload {view: <page>}", {"payload": payload})
        _page(view)
        return UiState(view=view, data=dict(state.data))
    if action.kind == "set":
        key = payload.get("key")
        if not isinstance(key, str) or not key or "value" not in payload:
            raise UnknownAction("set needs payload {key, value}", {"payload": payload})
        return UiState(view=state.view, data=state.data | {key: payload["value"]})
    raise UnknownAction(
        f"unknown action kind {action.kind!r}", {"kinds": ["navigate", "set", "reset"]}
    )


def _page(view: str) -> tuple[str, str]:
    """Title and purpose of a page; UnknownView when there is no such page."""
    if view not in PAGES:
        raise UnknownView(f"no page {view!r}", {"views": sorted(PAGES)})
    return PAGES[view]


def _definitions(css_class: str, values: dict[str, Any]) -> str:
    rows = "".join(
        f"<dt>{escape(key)}</dt><dd>{escape(_text(value))}</dd>"
        for key, value in sorted(values.items())
    )
    return f'<dl class="{css_class}">{rows}</dl>'


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)
