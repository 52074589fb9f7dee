"""Implementation of module documentation (Documentation).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from typing import Literal

from orchestra.modules.documentation import DocumentationBase
from orchestra.runtime import stub
from orchestra.types import Document, DocumentInfo


class DocumentationImpl(DocumentationBase):
    """Documentation"""

    @stub
    async def list_documents(
        self, section: Literal["user", "api", "architecture", "module"] | None = None
    ) -> list[DocumentInfo]:
        """List documents, optionally of one section"""
        raise NotImplementedError

    @stub
    async def get_document(self, path: str) -> Document:
        """Get a document's Markdown source"""
        raise NotImplementedError

    @stub
    async def render(self, path: str, format: Literal["html", "markdown"] = "html") -> str:
        """Render a document"""
        raise NotImplementedError
