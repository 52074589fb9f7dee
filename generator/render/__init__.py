"""Step 4, render: the typed view -> ``{relative path: content}`` in memory, formatted with ruff.

Rendering is a pure function of the spec set and the templates: no file is written here, so a
failed render writes nothing and ``check`` can compare without touching the disk.
"""
