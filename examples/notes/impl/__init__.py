"""Hand-written implementations of the notes modules (one file per module)."""
