"""Transports: the seam between callers, service hosts and what carries envelopes.

``Transport`` (:mod:`.base`) is the interface; :class:`specloom_runtime.bus.Bus` is the
in-process transport (the default) and :class:`NatsTransport` (:mod:`.nats_transport`, needs
the ``nats`` extra) the NATS one. :func:`connect` picks one from a URL::

    transport = connect(None, system="orchestra")                 # in-process Bus
    transport = connect("nats://127.0.0.1:4222", system="orchestra", token="...")
    await transport.start()

Subjects on NATS: :mod:`.subjects`.
"""

from __future__ import annotations

from typing import Any

from .base import Handler, Observer, Route, Subscriber, Transport

__all__ = ["Handler", "Observer", "Route", "Subscriber", "Transport", "connect"]


def connect(url: str | None, *, system: str, **options: Any) -> Transport:
    """The transport for ``url``: ``None`` or ``""`` in-process, ``nats://...`` NATS.

    ``options`` go to :class:`NatsTransport` (token, user, password, concurrency, max_bytes,
    durable_events, signer) or, in-process, ``concurrency`` to the Bus. Nothing connects until
    ``start()``. Over NATS the signer defaults to the keys of the environment
    (:func:`specloom_runtime.signing.signer_from_env`; none configured: unsigned).
    """
    if not url:
        from ..bus import Bus

        return Bus(concurrency=int(options.get("concurrency", 16)))
    if not url.startswith(("nats://", "tls://", "ws://", "wss://")):
        raise ValueError(f"not a NATS URL: {url!r} (nats://host:port)")
    try:
        from .nats_transport import NatsTransport
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise RuntimeError(
            "the NATS transport needs nats-py: pip install 'specloom-runtime[nats]'"
        ) from exc
    if "signer" not in options:
        from ..signing import signer_from_env

        options["signer"] = signer_from_env()
    return NatsTransport(url, system=system, **options)
