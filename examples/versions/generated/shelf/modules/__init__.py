"""Per-module wiring: config, dependencies and the base class implementations subclass."""
