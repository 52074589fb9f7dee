"""Interface contracts, one module per contract major version."""
