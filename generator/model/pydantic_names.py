"""The attribute names of pydantic's ``BaseModel``, which a generated field must not shadow.

Importing pydantic costs ~50 ms, an eighth of a warm generation of the flagship, for this one
list; the list depends only on the pydantic version, so it is kept in the cache per version and
pydantic is imported only when the cache does not know it.
"""

from __future__ import annotations

import contextlib
import json
import os
from functools import cache


@cache
def basemodel_attributes() -> frozenset[str]:
    from ..dists import version
    from ..render.types_module import cache_dir

    installed = version("pydantic")
    path = cache_dir() / "pydantic" / f"basemodel-{installed}.json"
    if installed != "-":
        with contextlib.suppress(OSError, ValueError, TypeError):
            return frozenset(json.loads(path.read_text("utf-8")))
    from pydantic import BaseModel

    names = sorted(dir(BaseModel))
    if installed != "-":
        with contextlib.suppress(OSError):  # a read-only cache only costs time
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(names), "utf-8")
            os.replace(tmp, path)
    return frozenset(names)
