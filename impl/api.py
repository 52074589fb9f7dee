"""Implementation of module api (API Layer).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from typing import Any, Literal

from orchestra.contracts.api_v1 import (
    FormatResponseResult,
)
from orchestra.modules.api import ApiBase
from orchestra.runtime import stub


class ApiImpl(ApiBase):
    """API Layer"""

    @stub
    async def register_endpoint(
        self,
        path: str,
        handler: str,
        methods: list[Literal["GET", "POST", "PUT", "PATCH", "DELETE"]],
    ) -> bool:
        """Register new endpoint

        Registers `path` for the given HTTP methods, forwarding to the route `handler`.
        Registering the same path, handler and methods again is a no-op that returns true. Path
        segments in braces (`/tasks/{id}`) match any single segment."""
        raise NotImplementedError

    @stub
    async def validate_request(self, request: Any) -> bool:
        """Validate incoming request

        True when `request` is an object {method, path, headers?, query?, body?} whose method
        and path match a registered endpoint (body, when present, an object); false otherwise.
        Never raises for a malformed request: that is what it detects."""
        raise NotImplementedError

    @stub
    async def format_response(self, data: Any) -> FormatResponseResult:
        """Format response

        Wraps a result in the API's response body: {"success": true, "data": data}."""
        raise NotImplementedError
