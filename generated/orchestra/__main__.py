"""``python -m orchestra run|list|call|health``.

Implementations are imported from the project root ('..' relative to the
folder holding this package), or from SPECLOOM_IMPL_ROOT when set.
"""

import os
import sys
from pathlib import Path

from specloom_runtime.cli import main

from .system import CLIENTS, MODULES

if __name__ == "__main__":
    _root = Path(
        os.environ.get("SPECLOOM_IMPL_ROOT", Path(__file__).resolve().parent.parent / "..")
    ).resolve()
    sys.path.insert(0, str(_root))
    os.environ.setdefault("SPECLOOM_IMPL_PACKAGE", "impl")
    _docs = Path(__file__).resolve().parent.parent / "docs"
    sys.exit(
        main(
            MODULES,
            CLIENTS,
            prog="python -m orchestra",
            docs=_docs,
            package="orchestra",
            project=_root,
        )
    )
