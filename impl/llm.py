"""Implementation of module llm (LLM Integration): the real ``ollama`` client, or offline.

Two backends behind the same four methods; ``model`` null always means the ``model`` setting.

- Ollama: used when the ``host`` setting is given explicitly (``ORCHESTRA_LLM_HOST``), with the
  real ``ollama.AsyncClient`` (per-read timeout ``timeout_s``). generate and chat stream the
  answer from the server (NDJSON) and assemble it, under one overall deadline of ``timeout_s``,
  so a server that drips or hangs gives LlmUnavailable in time, never a hang. pull_model of a
  model already listed by the server answers true without pulling; else it pulls (streamed
  progress, ending in "success"). A 404, "not found" or "does not exist" answer is
  ModelNotFound; connection errors, timeouts and other server errors are LlmUnavailable, so no
  raw HTTP error crosses the bus. At start-up the Ollama service is looked up through
  Infrastructure@1 and provisioned when missing (``ollama/ollama:latest`` on the host's port).
- Offline (the default, no host set): no model runs and nothing is contacted. It knows exactly
  one model, the configured default, which is always "available" (pull_model of it is true); any
  other model is ModelNotFound. generate answers ``[<model> offline] <prompt>``, chat the same
  with the last message's content, always ``done``; options are ignored. This keeps demos and
  contract tests deterministic without a server; it is a stand-in, not a language model.

Health, honestly: :meth:`LlmImpl._probe` asks the server for its model list; ``self.status`` says
``offline``, ``ok`` (the last contact answered) or ``unreachable`` (with the reason), updated by
the probe at start-up and by every call.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
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
from orchestra.types import ChatMessage
from specloom_runtime import SpecloomError

logger = logging.getLogger(__name__)

OLLAMA_IMAGE = "ollama/ollama:latest"


class LlmImpl(LlmBase):
    """LLM Integration: the ollama client when a host is configured, else a fixed offline model."""

    _client: ollama.AsyncClient | None
    status: dict[str, Any]

    async def on_start(self) -> None:
        if "host" not in self.config.model_fields_set:
            self._client = None
            self.status = {"backend": "offline", "status": "offline"}
            return
        self._client = ollama.AsyncClient(host=self.config.host, timeout=self.config.timeout_s)
        self.status = {"backend": "ollama", "host": self.config.host, "status": "unknown"}
        await self._probe()
        infrastructure = self.deps.infrastructure
        port = urlsplit(self.config.host).port or 11434
        try:
            if await infrastructure.get_resource(self.config.service) is None:
                spec = {"image": OLLAMA_IMAGE, "ports": [port]}
                await infrastructure.provision("service", self.config.service, spec)
        except SpecloomError as exc:
            logger.warning("could not provision the Ollama service: %s", exc)

    async def _probe(self) -> dict[str, Any]:
        """Ask the server whether it answers (its model list); returns and keeps the status."""
        if self._client is None:
            return self.status
        try:
            self.status["models"] = len(await self.list_models())
        except LlmUnavailable:
            self.status.pop("models", None)  # _errors recorded the reason
        return self.status

    async def health_detail(self) -> str:
        """Whether the Ollama server answers now (asked at most ``min(timeout_s, 5)`` seconds):
        ``ollama at URL: reachable, model M available (N models)`` (or ``not pulled``),
        ``ollama at URL: unreachable: <reason>``, or ``offline`` without a host."""
        if self._client is None:
            return f"offline (no host set): stand-in answers, model {self.config.model}"
        where = f"ollama at {self.config.host}"
        try:
            async with asyncio.timeout(min(self.config.timeout_s, 5.0)):
                names = [m.name for m in await self.list_models()]
        except TimeoutError:
            self._unreachable("timed out")
            return f"{where}: unreachable: no answer within {min(self.config.timeout_s, 5.0):g} s"
        except LlmUnavailable:
            return f"{where}: unreachable: {self.status.get('reason', 'no answer')}"
        model = self.config.model
        state = "available" if model in names else "not pulled"
        return f"{where}: reachable, model {model} {state} ({len(names)} models)"

    async def generate(
        self, prompt: str, model: str | None = None, options: dict[str, Any] = {}
    ) -> GenerateResult:
        """Generate a completion for a prompt"""
        name = model or self.config.model
        if self._client is None:
            self._offline(name)
            return GenerateResult(model=name, response=f"[{name} offline] {prompt}", done=True)
        parts: list[str] = []
        answered, done = name, False
        with self._errors(name):
            async with asyncio.timeout(self.config.timeout_s):
                stream = await self._client.generate(
                    model=name, prompt=prompt, options=options, stream=True
                )
                async for part in _parts(stream):
                    parts.append(part.response or "")
                    answered = part.model or answered
                    done = bool(part.done) and part.done_reason in (None, "stop")
        return GenerateResult(model=answered, response="".join(parts), done=done)

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
        parts: list[str] = []
        answered, done, role = name, False, "assistant"
        with self._errors(name):
            async with asyncio.timeout(self.config.timeout_s):
                stream = await self._client.chat(
                    model=name,
                    messages=[m.model_dump(mode="json") for m in messages],
                    options=options,
                    stream=True,
                )
                async for part in _parts(stream):
                    parts.append(part.message.content or "")
                    role = part.message.role or role
                    answered = part.model or answered
                    done = bool(part.done) and part.done_reason in (None, "stop")
        role = role if role in ("system", "user", "assistant") else "assistant"
        reply = ChatMessage.model_validate({"role": role, "content": "".join(parts)})
        return ChatResult(model=answered, message=reply, done=done)

    async def list_models(self) -> list[ListModelsResultItem]:
        """List the models available locally"""
        if self._client is None:
            return [ListModelsResultItem.model_validate({"name": self.config.model})]
        with self._errors(""):
            async with asyncio.timeout(self.config.timeout_s):
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
        if name in {m.name for m in await self.list_models()}:
            return True
        with self._errors(name):
            async with asyncio.timeout(self.config.timeout_s):
                stream = await self._client.pull(name, stream=True)
                last = ""
                async for progress in _parts(stream):
                    last = progress.status or last
        if last != "success":
            raise LlmUnavailable(f"pulling {name!r} ended with {last!r}", {"model": name})
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
        """Turn ollama and HTTP errors into the contract's declared errors; keep the status."""
        try:
            yield
        except ollama.ResponseError as exc:
            text = str(exc.error).lower()
            if exc.status_code == 404 or "not found" in text or "does not exist" in text:
                self._answered()
                raise ModelNotFound(f"model {model!r} not found", {"model": model}) from None
            self._unreachable(f"answered {exc.status_code}")
            raise LlmUnavailable(
                f"Ollama answered {exc.status_code}: {exc.error}", {"status": exc.status_code}
            ) from None
        except (ConnectionError, httpx.HTTPError, TimeoutError) as exc:
            reason = "timed out" if isinstance(exc, TimeoutError) else _reason(exc)
            self._unreachable(reason)
            raise LlmUnavailable(
                f"Ollama at {self.config.host} is unreachable: {reason}",
                {"host": self.config.host},
            ) from None
        else:
            self._answered()

    def _answered(self) -> None:
        self.status["status"] = "ok"
        self.status.pop("reason", None)

    def _unreachable(self, reason: str) -> None:
        self.status.update(status="unreachable", reason=reason)


def _reason(exc: BaseException) -> str:
    """A connection error in a few words, from its first cause (the ollama client wraps
    httpx's): ``ConnectError: [Errno 111] Connection refused``."""
    while (cause := exc.__cause__ or exc.__context__) is not None and len(str(cause)) < 200:
        exc = cause
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def _parts(stream: Any) -> AsyncIterator[Any]:
    """The parts of a streamed answer (the client returns an async iterator when streaming)."""
    async for part in stream:
        yield part
