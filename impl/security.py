"""Implementation of module security (Security Layer): signed tokens, roles, encryption.

Standard library only; the keys for signing, encryption and authentication are derived from the
``secret_key`` setting with HMAC-SHA256 (one label each), or from 32 random bytes per start when
it is null (then tokens and ciphertexts do not survive a restart).

- Tokens: ``base64url(claims JSON) "." base64url(HMAC-SHA256(claims))``, claims
  ``{sub, roles, exp}`` with ``exp`` in UTC epoch seconds; signatures are compared in constant
  time, expiry is checked on the server clock.
- Authorization: a token's roles are looked up in the ``policy`` setting; ``"*"`` allows every
  action. The resource is not part of the policy (role -> actions), so it does not change the
  decision.
- Encryption: ``"v1." base64url(nonce | ciphertext | tag)`` with a random 16-byte nonce, the
  plaintext XORed with an HMAC-SHA256 keystream (HMAC as a PRF in counter mode), and an
  HMAC-SHA256 tag over version, nonce and ciphertext (encrypt-then-MAC, checked before any
  decryption). WARNING: this is a textbook generic composition built from stdlib primitives
  because the project has no cryptography library; it has not been audited. The module guide
  asks for AES-GCM or Fernet: with the ``cryptography`` package, Fernet would replace
  ``_seal``/``_open`` one for one.

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

from orchestra.contracts.security_v1 import (
    DecryptionFailed,
    InvalidToken,
    TokenExpired,
    VerifyTokenResult,
)
from orchestra.modules.security import SecurityBase

_NONCE = 16
_TAG = 32
_PREFIX = "v1."


class SecurityImpl(SecurityBase):
    """Security Layer: HMAC-signed tokens, a role policy and authenticated encryption."""

    _sign_key: bytes
    _enc_key: bytes
    _mac_key: bytes

    async def on_start(self) -> None:
        secret = self.config.secret_key
        master = secret.encode() if secret is not None else secrets.token_bytes(32)
        self._sign_key, self._enc_key, self._mac_key = (
            hmac.digest(master, label, "sha256") for label in (b"sign", b"encrypt", b"mac")
        )

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
        nonce, data = secrets.token_bytes(_NONCE), plaintext.encode()
        body = _xor(data, self._keystream(nonce, len(data)))
        return _PREFIX + _b64encode(nonce + body + self._tag(nonce, body))

    async def decrypt(self, ciphertext: str) -> str:
        """Decrypt a ciphertext made by encrypt"""
        failed = DecryptionFailed("the ciphertext is malformed, tampered with or foreign")
        if not ciphertext.startswith(_PREFIX):
            raise failed
        raw = _b64decode(ciphertext[len(_PREFIX) :])
        if raw is None or len(raw) < _NONCE + _TAG:
            raise failed
        nonce, body, tag = raw[:_NONCE], raw[_NONCE:-_TAG], raw[-_TAG:]
        if not hmac.compare_digest(tag, self._tag(nonce, body)):
            raise failed
        try:
            return _xor(body, self._keystream(nonce, len(body))).decode()
        except UnicodeDecodeError:
            raise failed from None

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

    def _keystream(self, nonce: bytes, length: int) -> bytes:
        blocks = (
            hmac.digest(self._enc_key, nonce + counter.to_bytes(8, "big"), "sha256")
            for counter in range((length + 31) // 32)
        )
        return b"".join(blocks)[:length]

    def _tag(self, nonce: bytes, body: bytes) -> bytes:
        return hmac.digest(self._mac_key, _PREFIX.encode() + nonce + body, "sha256")


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


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
