"""The HTTP edge of a generated system: gateway, HTTP mock, bearer tokens, the web page.

Needs the ``http`` extra (``pip install 'specloom-runtime[http]'``: Starlette, uvicorn, PyJWT,
jsonschema, prometheus-client). Driven by the OpenAPI document generated into the package.
"""

from .cli import COMMANDS, build_gateway, build_mock, main

__all__ = ["COMMANDS", "build_gateway", "build_mock", "main"]
