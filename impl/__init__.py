"""Hand-written implementations of the orchestra modules (one file per module)."""
