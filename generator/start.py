"""The ``specloom`` console script: datamodel-code-generator's child first, then the CLI.

A cold ``generate`` waits for that child (its warm-up costs more than the rest of the run on the
other core), so a plain ``generate`` that will likely need it (an empty or disabled types cache)
starts it here, before the CLI imports click, jinja2 and jsonschema; the run adopts it
(``pipeline.prestart_types``), or it is killed when the run has no use for it (no-op, a cached
output, a usage error).
"""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["generate"] and not {"--watch", "--help", "-h"} & set(args):
        from .render.types_module import start_early

        start_early(use_cache="--no-cache" not in args)
    from .cli import main as cli

    cli()
