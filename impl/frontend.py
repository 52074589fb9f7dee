"""Implementation of module frontend (Frontend Core).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from typing import Any

from orchestra.contracts.frontend_v1 import (
    RenderViewResult,
)
from orchestra.modules.frontend import FrontendBase
from orchestra.runtime import stub
from orchestra.types import UiAction, UiState


class FrontendImpl(FrontendBase):
    """Frontend Core"""

    @stub
    async def render_view(self, view: str, page_params: dict[str, Any] = {}) -> RenderViewResult:
        """Render a page"""
        raise NotImplementedError

    @stub
    async def get_state(self) -> UiState:
        """Current UI state"""
        raise NotImplementedError

    @stub
    async def dispatch_action(self, action: UiAction) -> UiState:
        """Apply an action to the UI state, return the new state"""
        raise NotImplementedError
