"""Implementation of module llm (LLM Integration): Ollama when configured, offline otherwise.

Two backends behind the same four methods; ``model`` null always means the ``model`` setting.

- Ollama: used only when the ``host`` setting is given explicitly (``ORCHESTRA_LLM_HOST``), with
  the real ``ollama.AsyncClient`` and ``timeout_s``. At start-up the Ollama service is looked up
  through Infrastructure@1 and provisioned when missing (``ollama/ollama:latest`` on the host's
  port). A 404 or "not found" answer is ModelNotFound; connection errors, timeouts and other
  server errors are LlmUnavailable, so no raw HTTP error crosses the bus.
- Offline (the default): no model runs and nothing is contacted. It knows exactly one model,
  the configured default, which is always "available" (pull_model of it is true); any other
  model is ModelNotFound. generate answers ``[<model> offline] <prompt>``, chat the same with
  the last message's content, always ``done``; options are ignored. This keeps demos and tests
  deterministic without a server; it is a stand-in, not a language model.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import httpx
import ollama
from orchestra.contracts.llm_v1 import (
    ChatResult,
    GenerateResult,
    ListModelsResultItem,
    LlmUnavailable,
    ModelNotFound,
)
from orchestra.modules.llm import LlmBase
from specloom_runtime import SpecloomError
from orchestra.types import ChatMessage

logger = logging.getLogger(__name__)

OLLAMA_IMAGE = "ollama/ollama:latest"


class LlmImpl(LlmBase):
    """LLM Integration: the ollama client when a host is configured, else a fixed offline model."""

    _client: ollama.AsyncClient | None

    async def on_start(self) -> None:
        if "host" not in self.config.model_fields_set:
            self._client = None
            return
        self._client = ollama.AsyncClient(host=self.config.host, timeout=self.config.timeout_s)
        infrastructure = self.deps.infrastructure
        port = urlsplit(self.config.host).port or 11434
        try:
            if await infrastructure.get_resource(self.config.service) is None:
                spec = {"image": OLLAMA_IMAGE, "ports": [port]}
                await infrastructure.provision("service", self.config.service, spec)
        except SpecloomError as exc:
            logger.warning("could not provision the Ollama service: %s", exc)

    async def generate(
        self, prompt: str, model: str | None = None, options: dict[str, Any] = {}
    ) -> GenerateResult:
        """Generate a completion for a prompt"""
        name = model or self.config.model
        if self._client is None:
            self._offline(name)
            return GenerateResult(model=name, response=f"[{name} offline] {prompt}", done=True)
        with self._errors(name):
            answer = await self._client.generate(model=name, prompt=prompt, options=options)
        return GenerateResult(
            model=answer.model or name, response=answer.response or "", done=bool(answer.done)
        )

    async def chat(
        self, messages: list[ChatMessage], model: str | None = None, options: dict[str, Any] = {}
    ) -> ChatResult:
        """Answer a chat conversation"""
        name = model or self.config.model
        if self._client is None:
            self._offline(name)
            content = f"[{name} offline] {messages[-1].content}"
            reply = ChatMessage(role="assistant", content=content)
            return ChatResult(model=name, message=reply, done=True)
        with self._errors(name):
            answer = await self._client.chat(
                model=name, messages=[m.model_dump() for m in messages], options=options
            )
        role = answer.message.role if answer.message.role in ("system", "user") else "assistant"
        reply = ChatMessage.model_validate({"role": role, "content": answer.message.content or ""})
        return ChatResult(model=answer.model or name, message=reply, done=bool(answer.done))

    async def list_models(self) -> list[ListModelsResultItem]:
        """List the models available locally"""
        if self._client is None:
            return [ListModelsResultItem.model_validate({"name": self.config.model})]
        with self._errors(""):
            listing = await self._client.list()
        return [
            ListModelsResultItem(name=m.model, size=None if m.size is None else int(m.size))
            for m in listing.models
            if m.model
        ]

    async def pull_model(self, name: str) -> bool:
        """Download a model into the local Ollama"""
        if self._client is None:
            self._offline(name)
            return True
        with self._errors(name):
            await self._client.pull(name)
        return True

    def _offline(self, name: str) -> None:
        """Raise ModelNotFound for any model but the configured one (offline backend)."""
        if name != self.config.model:
            raise ModelNotFound(
                f"model {name!r} is not available offline (only {self.config.model!r})",
                {"model": name},
            )

    @contextmanager
    def _errors(self, model: str) -> Iterator[None]:
        """Turn ollama and HTTP errors into the contract's declared errors."""
        try:
            yield
        except ollama.ResponseError as exc:
            text = str(exc.error).lower()
            if exc.status_code == 404 or "not found" in text or "does not exist" in text:
                raise ModelNotFound(f"model {model!r} not found", {"model": model}) from None
            raise LlmUnavailable(
                f"Ollama answered {exc.status_code}: {exc.error}", {"status": exc.status_code}
            ) from None
        except (ConnectionError, httpx.HTTPError) as exc:
            raise LlmUnavailable(
                f"Ollama at {self.config.host} is unreachable: {type(exc).__name__}",
                {"host": self.config.host},
            ) from None
