"""Signed envelopes: HMAC-SHA256 over a canonical JSON form, with key ids for rotation.

The signature travels in the envelope, in ``payload.metadata["auth"]``::

    {"kid": "k2", "ts": 1764770000.123, "nonce": "9f...", "sig": "<hex HMAC-SHA256>"}

``sig`` is the HMAC, under key ``kid``, of the canonical JSON of the whole envelope with
``auth`` holding only ``kid``, ``ts`` and ``nonce`` (keys sorted, no spaces, UTF-8). A verifier
(:meth:`Signer.check`) rejects an envelope that is unsigned, names an unknown key, has a wrong
signature (forged, or tampered after signing), a ``ts`` outside ``window`` seconds of its clock,
or a nonce it has already seen within that window (a replay).

Keys never come from specs or the repository: ``SPECLOOM_SIGNING_KEYS`` (``kid=secret`` pairs
separated by commas) and/or ``SPECLOOM_SIGNING_KEY_FILE`` (a file of ``kid=secret`` lines); the
first key signs unless ``SPECLOOM_SIGNING_KID`` names another. Several keys verify, so a key is
rotated by adding the new one everywhere, then signing with it, then removing the old one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .envelope import Envelope

__all__ = ["Signer", "signer_from_env"]

AUTH = "auth"


def _canonical(envelope: Envelope, auth: Mapping[str, Any]) -> bytes:
    data = envelope.model_dump(mode="json")
    metadata = dict(data["payload"]["metadata"])
    metadata[AUTH] = {k: auth[k] for k in ("kid", "ts", "nonce")}
    data["payload"]["metadata"] = metadata
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class Signer:
    """Signs and verifies envelopes with HMAC-SHA256 keys (``{kid: secret bytes}``)."""

    def __init__(
        self,
        keys: Mapping[str, bytes],
        *,
        active: str | None = None,
        window: float = 60.0,
        max_nonces: int = 100_000,
    ) -> None:
        if not keys:
            raise ValueError("a Signer needs at least one key")
        self.keys = dict(keys)
        self.active = active or next(iter(self.keys))
        if self.active not in self.keys:
            raise ValueError(f"no key {self.active!r} to sign with")
        self.window = window
        self._nonces: OrderedDict[str, float] = OrderedDict()
        self._max_nonces = max_nonces

    def sign(self, envelope: Envelope, *, ts: float | None = None) -> Envelope:
        """A copy of ``envelope`` signed with the active key."""
        auth: dict[str, Any] = {
            "kid": self.active,
            "ts": round(time.time() if ts is None else ts, 3),
            "nonce": secrets.token_hex(12),
        }
        mac = hmac.new(self.keys[self.active], _canonical(envelope, auth), hashlib.sha256)
        auth["sig"] = mac.hexdigest()
        payload = envelope.payload
        metadata = {**payload.metadata, AUTH: auth}
        return envelope.model_copy(
            update={"payload": payload.model_copy(update={"metadata": metadata})}
        )

    def check(self, envelope: Envelope) -> str | None:
        """``None`` when ``envelope`` is validly signed (its nonce is then remembered), else
        why not: ``unsigned``, ``unknown key``, ``bad signature``, ``stale``, ``replayed``."""
        auth = envelope.payload.metadata.get(AUTH)
        if not isinstance(auth, dict) or not all(
            isinstance(auth.get(k), t) for k, t in (("kid", str), ("nonce", str), ("sig", str))
        ):
            return "unsigned"
        ts = auth.get("ts")
        if not isinstance(ts, int | float) or isinstance(ts, bool):
            return "unsigned"
        key = self.keys.get(auth["kid"])
        if key is None:
            return "unknown key"
        expected = hmac.new(key, _canonical(envelope, auth), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, auth["sig"]):
            return "bad signature"
        now = time.time()
        if abs(now - ts) > self.window:
            return "stale"
        self._forget(now)
        nonce = f"{auth['kid']}:{auth['nonce']}"
        if nonce in self._nonces:
            return "replayed"
        self._nonces[nonce] = ts
        return None

    def _forget(self, now: float) -> None:
        while self._nonces:
            nonce, ts = next(iter(self._nonces.items()))
            if now - ts <= self.window and len(self._nonces) < self._max_nonces:
                break
            del self._nonces[nonce]


def _parse(text: str, separator: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for item in text.split(separator):
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        kid, sep, secret = item.partition("=")
        if not sep or not kid.strip() or not secret.strip():
            raise ValueError("signing keys are kid=secret pairs")
        keys[kid.strip()] = secret.strip().encode()
    return keys


def signer_from_env(environ: Mapping[str, str] | None = None) -> Signer | None:
    """The :class:`Signer` configured by the environment (see the module docstring), or None."""
    env = os.environ if environ is None else environ
    keys: dict[str, bytes] = {}
    path = env.get("SPECLOOM_SIGNING_KEY_FILE")
    if path:
        keys.update(_parse(Path(path).read_text("utf-8"), "\n"))
    if env.get("SPECLOOM_SIGNING_KEYS"):
        keys.update(_parse(env["SPECLOOM_SIGNING_KEYS"], ","))
    if not keys:
        return None
    window = float(env.get("SPECLOOM_SIGNING_WINDOW", "60"))
    return Signer(keys, active=env.get("SPECLOOM_SIGNING_KID") or None, window=window)
