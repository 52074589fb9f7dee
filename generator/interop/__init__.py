"""Interop: other formats in (``specloom import``) and out (``specloom export``).

One module per direction and format (``openapi_in.py``, ``jsonschema_out.py``, ...). Commands are
registered in ``generator/cli.py`` under the ``export`` and ``import`` click groups.
"""
