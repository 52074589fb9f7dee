"""Immutable typed model read by the templates, plus JSON Schema helpers (type hints, synthesis)."""
