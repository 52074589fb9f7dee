"""``specloom fmt``: spec files rewritten in a canonical key order, comments kept.

``order.py`` derives the canonical order from the JSON Schemas of the spec kinds (the order of
their ``properties``); ``rewrite.py`` applies it to a file with ruamel.yaml's round-trip mode and
proves the result means the same as the original before anything is written.
"""

from __future__ import annotations

from .rewrite import FormatResult, format_folder, format_text

__all__ = ["FormatResult", "format_folder", "format_text"]
