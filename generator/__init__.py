"""specloom: spec-driven generator of typed, mocked, bus-wired Python systems.

The pipeline runs one way: ``load -> validate -> model -> render -> write``; each step is a
subpackage of the same name. ``cli`` is the only place that prints or exits.
"""

__version__ = "0.1.0"
