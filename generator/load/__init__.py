"""Step 1, load: read spec files into plain JSON-like data that remembers where each node was.

``load_specs(folder)`` finds every ``*.yaml``/``*.yml``/``*.json`` below the folder, parses each
safely and returns :class:`SpecDocument` objects plus the diagnostics of files that could not be
read.
"""

from .files import KINDS, SpecDocument, detect_kind, load_specs
from .located import Located, parse_yaml

__all__ = ["KINDS", "Located", "SpecDocument", "detect_kind", "load_specs", "parse_yaml"]
