"""Implementation of module llm (LLM Integration).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from typing import Any

from orchestra.contracts.llm_v1 import (
    ChatResult,
    GenerateResult,
    ListModelsResultItem,
)
from orchestra.modules.llm import LlmBase
from orchestra.runtime import stub
from orchestra.types import ChatMessage


class LlmImpl(LlmBase):
    """LLM Integration"""

    @stub
    async def generate(
        self, prompt: str, model: str | None = None, options: dict[str, Any] = {}
    ) -> GenerateResult:
        """Generate a completion for a prompt"""
        raise NotImplementedError

    @stub
    async def chat(
        self, messages: list[ChatMessage], model: str | None = None, options: dict[str, Any] = {}
    ) -> ChatResult:
        """Answer a chat conversation"""
        raise NotImplementedError

    @stub
    async def list_models(self) -> list[ListModelsResultItem]:
        """List the models available locally"""
        raise NotImplementedError

    @stub
    async def pull_model(self, name: str) -> bool:
        """Download a model into the local Ollama"""
        raise NotImplementedError
