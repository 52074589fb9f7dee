"""Hand-written implementations of the shelf modules (one file per module)."""
