"""Implementation of module security (Security Layer): signed tokens, roles, encryption.

Tokens use the standard library (hmac); encryption uses ``cryptography``'s Fernet. The keys for signing, encryption and authentication are derived from the
``secret_key`` setting with HMAC-SHA256 (one label each), or from 32 random bytes per start when
it is null (then tokens and ciphertexts do not survive a restart).

- Tokens: ``base64url(claims JSON) "." base64url(HMAC-SHA256(claims))``, claims
  ``{sub, roles, exp}`` with ``exp`` in UTC epoch seconds; signatures are compared in constant
  time, expiry is checked on the server clock.
- Authorization: a token's roles are looked up in the ``policy`` setting; ``"*"`` allows every
  action. The resource is not part of the policy (role -> actions), so it does not change the
  decision.
- Encryption: Fernet from the ``cryptography`` package (AES-128-CBC + HMAC-SHA256,
  authenticated, random IV per call), keyed by a key derived from ``secret_key``.

Limits: no token revocation; the Infrastructure@1 dependency (secret store volume) is not used.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import secrets
import time
from datetime import UTC, datetime

from cryptography.fernet import Fernet
from cryptography.fernet import InvalidToken as InvalidFernetToken
from orchestra.contracts.security_v1 import (
    DecryptionFailed,
    InvalidToken,
    TokenExpired,
    VerifyTokenResult,
)
from orchestra.modules.security import SecurityBase


class SecurityImpl(SecurityBase):
    """Security Layer: HMAC-signed tokens, a role policy and authenticated encryption."""

    _sign_key: bytes
    _fernet: Fernet

    async def on_start(self) -> None:
        secret = self.config.secret_key
        master = secret.encode() if secret is not None else secrets.token_bytes(32)
        self._sign_key = hmac.digest(master, b"sign", "sha256")
        self._fernet = Fernet(base64.urlsafe_b64encode(hmac.digest(master, b"encrypt", "sha256")))

    async def issue_token(self, subject: str, roles: list[str], ttl_s: int | None = None) -> str:
        """Issue an access token for a subject with roles"""
        lifetime = self.config.token_ttl_s if ttl_s is None else ttl_s
        claims = {"sub": subject, "roles": roles, "exp": int(time.time()) + lifetime}
        body = _b64encode(json.dumps(claims, separators=(",", ":")).encode())
        return f"{body}.{_b64encode(self._signature(body))}"

    async def verify_token(self, token: str) -> VerifyTokenResult:
        """Verify a token and return its claims"""
        subject, roles, expires = self._claims(token)
        return VerifyTokenResult(
            subject=subject,
            roles=roles,
            expires_at=datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )

    async def authorize(self, token: str, action: str, resource: str) -> bool:
        """Decide whether a token's roles allow an action on a resource"""
        _, roles, _ = self._claims(token)
        allowed = {name for role in roles for name in self.config.policy.get(role, [])}
        return "*" in allowed or action in allowed

    async def encrypt(self, plaintext: str) -> str:
        """Encrypt a text"""
        return self._fernet.encrypt(plaintext.encode()).decode("ascii")

    async def decrypt(self, ciphertext: str) -> str:
        """Decrypt a ciphertext made by encrypt"""
        try:
            return self._fernet.decrypt(ciphertext.encode("ascii")).decode()
        except (InvalidFernetToken, UnicodeError):
            raise DecryptionFailed(
                "the ciphertext is malformed, tampered with or foreign"
            ) from None

    def _signature(self, body: str) -> bytes:
        return hmac.digest(self._sign_key, body.encode(), "sha256")

    def _claims(self, token: str) -> tuple[str, list[str], int]:
        """(subject, roles, expiry) of a token whose signature verifies and that has not expired."""
        invalid = InvalidToken("the token is malformed or its signature does not verify")
        body, dot, signature = token.partition(".")
        given = _b64decode(signature)
        if not dot or given is None or not hmac.compare_digest(given, self._signature(body)):
            raise invalid
        raw = _b64decode(body)
        try:
            claims = json.loads(raw) if raw is not None else None
        except ValueError:
            claims = None
        if not isinstance(claims, dict):
            raise invalid
        subject, roles, expires = claims.get("sub"), claims.get("roles"), claims.get("exp")
        if (
            not isinstance(subject, str)
            or not isinstance(roles, list)
            or not all(isinstance(role, str) for role in roles)
            or not isinstance(expires, int)
        ):
            raise invalid
        if expires <= time.time():
            raise TokenExpired("the token has expired", {"expired_at": expires})
        return subject, roles, expires


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes | None:
    """The bytes of canonical unpadded base64url ``text``, or None for anything else.

    Canonical: re-encoding gives ``text`` back, so no two texts decode to the same bytes (a
    flipped character can never go unnoticed).
    """
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return data if _b64encode(data) == text else None
