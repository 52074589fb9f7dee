"""Implementation of module testing (Testing Suite).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from typing import Literal

from orchestra.modules.testing import TestingBase
from orchestra.runtime import stub
from orchestra.types import TestReport


class TestingImpl(TestingBase):
    """Testing Suite"""

    @stub
    async def run_suite(
        self,
        suite: Literal["unit", "contract", "integration", "e2e", "smoke"],
        modules: list[str] = [],
    ) -> str:
        """Start a test run of a suite"""
        raise NotImplementedError

    @stub
    async def get_report(self, run_id: str) -> TestReport | None:
        """Report of a test run"""
        raise NotImplementedError
