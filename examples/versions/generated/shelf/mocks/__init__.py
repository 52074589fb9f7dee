"""Mocks of every contract, built from the examples (for developing against)."""
