"""Shared types: none are defined in this spec set."""
