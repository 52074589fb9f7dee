"""LLM fill of ``@stub`` methods via Ollama (``specloom fill``).

Submodules, each usable on its own:

- ``stubs``:  find ``@stub`` methods in an implementation file (``find_stubs``)
- ``splice``: validate an LLM answer (``extract_method``) and splice it in (``splice``)
- ``prompt``: the per-stub context and the chat prompt (``StubContext``, ``build_prompt``)
- ``llm``:    thin wrapper over ``ollama.Client`` with one-line errors (``ask``, ``check_server``)
- ``cache``:  answers cached by prompt hash, for exact offline replay (``AnswerCache``)
- ``engine``: the attempt loop writing the file once, atomically (``fill_file``, ``format_report``)

All errors derive from ``FillError``; their ``str()`` is one line meant for the user.
"""

from __future__ import annotations


class FillError(Exception):
    """Root of every error raised by the fill machinery (message: one line for the user)."""


class AnswerRejected(FillError):
    """An LLM answer is not an acceptable replacement for the stub (a failed attempt)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class LlmError(FillError):
    """Talking to Ollama failed.

    ``fatal`` errors (no server, unknown model, HTTP errors) stop the whole run; the others
    (timeout, answer cut off by the length limit, empty answer) only fail the current attempt.
    """

    def __init__(self, message: str, *, fatal: bool) -> None:
        super().__init__(message)
        self.fatal = fatal


__all__ = ["AnswerRejected", "FillError", "LlmError"]
