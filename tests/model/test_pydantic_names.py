"""The BaseModel attribute list the generator keeps as a constant matches the installed pydantic."""

from __future__ import annotations

import subprocess
import sys

from pydantic import BaseModel

from generator.model.pydantic_names import BASEMODEL_ATTRIBUTES


def test_every_basemodel_attribute_is_listed() -> None:
    missing = sorted(set(dir(BaseModel)) - BASEMODEL_ATTRIBUTES)
    assert not missing, f"add to generator/model/pydantic_names.py: {missing}"


def test_the_generator_model_imports_no_pydantic() -> None:
    code = (
        "import sys, generator.model.typehints, generator.model.view; "
        "print('pydantic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
