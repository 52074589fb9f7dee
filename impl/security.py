"""Implementation of module security (Security Layer): JWTs, roles, AES-GCM, rotating keys.

Keys (never in the specs or the repo): a :class:`Keyring` of ``(kid, secret)`` pairs, newest
first. From the ``secret_key`` setting (``ORCHESTRA_SECURITY_SECRET_KEY``: one key), else from
the ``key_file`` setting (``ORCHESTRA_SECURITY_KEY_FILE``), else from ``security.keys`` in the
system's data dir (``$SPECLOOM_DATA_DIR`` or ``.orchestra/``), created with one random key
(mode 0600) on first start, so every process of the system shares it and tokens survive
restarts. A key file has one ``KID SECRET`` line per key; it is reread when it changes, so a
rotation (:func:`rotate_key_file`: a new key on top) takes effect without a restart: the newest
key signs and encrypts, every listed key still verifies and decrypts.

From each secret two keys are derived with HKDF-SHA256 (one label each), so the signing key is
never the encryption key.

- Tokens: JWTs (PyJWT, HS256) with the key id in the header (``kid``) and the claims ``sub``,
  ``roles``, ``scope`` (the roles, space-separated, OAuth style), ``iat`` and ``exp`` (UTC). A
  bad signature, an unknown kid, a malformed token or missing claims is InvalidToken; a valid
  but expired one is TokenExpired (no leeway, server clock).
- Authorization: the token's roles are looked up in the ``policy`` setting; ``"*"`` allows any
  action. The policy maps roles to actions, so the resource does not change the decision.
- Encryption: AES-256-GCM (``cryptography``), a random 96-bit nonce per call; the ciphertext is
  ``v1.<kid>.<base64url(nonce + ciphertext + tag)>`` and the version and kid are authenticated as
  associated data. Anything malformed, tampered with or made with an unknown key is
  DecryptionFailed.

For the HTTP gateway (bearer auth and its ``token`` command): :func:`verify_bearer` and
:func:`issue_bearer` do what verify_token and issue_token do, in the caller's process, with the
same keys (the same settings and data dir), without a round trip on the bus.

Limits: no token revocation; the Infrastructure@1 dependency (secret store volume) is not used.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from orchestra.contracts.security_v1 import (
    DecryptionFailed,
    InvalidToken,
    TokenExpired,
    VerifyTokenResult,
)
from orchestra.modules.security import SecurityBase, SecurityConfig

KEY_FILE = "security.keys"
ISSUER = "orchestra"
_KID = re.compile(r"[A-Za-z0-9_-]{1,64}")


def data_dir() -> Path:
    """The system's data dir: ``$SPECLOOM_DATA_DIR``, else ``.orchestra/`` in the project root."""
    configured = os.environ.get("SPECLOOM_DATA_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / ".orchestra"


def _derive(secret: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret)


@dataclass(frozen=True)
class Key:
    kid: str
    signing: bytes
    encryption: bytes

    @classmethod
    def from_secret(cls, kid: str, secret: bytes) -> Key:
        return cls(
            kid, _derive(secret, b"orchestra token v1"), _derive(secret, b"orchestra aead v1")
        )


class Keyring:
    """Keys newest first, from one secret or a key file (reread when its mtime changes)."""

    def __init__(self, *, secret: str | None = None, path: Path | None = None) -> None:
        self._path = path
        self._stamp: tuple[int, int] | None = None
        self._keys: list[Key] = []
        if secret is not None:
            kid = base64.urlsafe_b64encode(_derive(secret.encode(), b"kid")[:6]).decode()
            self._keys = [Key.from_secret(kid, secret.encode())]
        elif path is None:
            raise ValueError("a keyring needs a secret or a key file")

    @classmethod
    def from_config(cls, config: SecurityConfig) -> Keyring:
        if config.secret_key is not None:
            return cls(secret=config.secret_key)
        if config.key_file is not None:
            return cls(path=Path(config.key_file))
        path = data_dir() / KEY_FILE
        if not path.exists():
            _create_key_file(path)
        return cls(path=path)

    @property
    def keys(self) -> list[Key]:
        if self._path is not None:
            stat = self._path.stat()
            stamp = (stat.st_mtime_ns, stat.st_size)
            if stamp != self._stamp:
                self._keys, self._stamp = _read_key_file(self._path), stamp
        return self._keys

    @property
    def current(self) -> Key:
        return self.keys[0]

    def find(self, kid: object) -> Key | None:
        return next((k for k in self.keys if k.kid == kid), None)


def _read_key_file(path: Path) -> list[Key]:
    keys = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        kid, _, secret = line.strip().partition(" ")
        if _KID.fullmatch(kid) is None or len(secret.strip()) < 32:
            raise ValueError(f"{path}:{number}: expected 'KID SECRET' (secret of 32+ characters)")
        keys.append(Key.from_secret(kid, secret.strip().encode()))
    if not keys:
        raise ValueError(f"{path}: no keys")
    return keys


def _new_line() -> str:
    return f"k{int(time.time())}-{secrets.token_hex(3)} {secrets.token_urlsafe(48)}\n"


def _create_key_file(path: Path) -> None:
    """Write a key file with one random key, readable by the owner only (never overwrites)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process of the system made it first
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(_new_line())


def rotate_key_file(path: Path, *, keep: int = 2) -> str:
    """Put a new random key on top of the key file at ``path``, keep the ``keep`` newest older
    ones; returns the new key id. The file is replaced atomically (mode 0600)."""
    old = path.read_text("utf-8").splitlines(keepends=True) if path.exists() else []
    old = [line for line in old if line.strip() and not line.lstrip().startswith("#")]
    line = _new_line()
    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(line + "".join(old[:keep]))
    os.replace(temp, path)
    return line.split(" ", 1)[0]


def issue(keyring: Keyring, subject: str, roles: list[str], ttl_s: int) -> str:
    key = keyring.current
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "sub": subject,
        "roles": list(roles),
        "scope": " ".join(roles),
        "iat": now,
        "exp": now + ttl_s,
    }
    return jwt.encode(claims, key.signing, algorithm="HS256", headers={"kid": key.kid})


def verify(keyring: Keyring, token: str) -> dict[str, Any]:
    """The claims of a token signed by a key of ``keyring`` (InvalidToken, TokenExpired)."""
    invalid = InvalidToken("the token is malformed or its signature does not verify")
    keyring.current  # noqa: B018 - load the keys first: a broken key file is not a bad token
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        raise invalid from None
    key = keyring.find(header.get("kid"))
    if key is None or header.get("alg") != "HS256":
        raise invalid
    try:
        claims = jwt.decode(
            token,
            key.signing,
            algorithms=["HS256"],
            issuer=ISSUER,
            options={"require": ["exp", "iat", "sub", "iss"]},
        )
    except jwt.ExpiredSignatureError:
        raise TokenExpired("the token has expired") from None
    except jwt.InvalidTokenError:
        raise invalid from None
    roles = claims.get("roles")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise invalid
    if not isinstance(claims["sub"], str) or not isinstance(claims["exp"], int):
        raise invalid
    return claims


def verify_bearer(token: str, config: SecurityConfig | None = None) -> dict[str, Any]:
    """Verify a bearer token in this process (for the HTTP gateway): the JWT claims ``sub``,
    ``roles``, ``scope``, ``iat``, ``exp``; raises InvalidToken or TokenExpired. Keys come from
    ``config`` (default: the security module's settings from the environment)."""
    return verify(_keyring(config), token)


def issue_bearer(
    subject: str, roles: list[str], ttl_s: int | None = None, config: SecurityConfig | None = None
) -> str:
    """Issue a token as issue_token does, in this process (for the gateway's ``token`` command)."""
    settings = config or SecurityConfig.from_env()
    return issue(_keyring(settings), subject, roles, ttl_s or settings.token_ttl_s)


def _keyring(config: SecurityConfig | None) -> Keyring:
    return Keyring.from_config(config or SecurityConfig.from_env())


class SecurityImpl(SecurityBase):
    """Security Layer: JWTs (HS256, kid), a role policy and AES-GCM, keys from a keyring."""

    _keyring: Keyring

    async def on_start(self) -> None:
        self._keyring = Keyring.from_config(self.config)
        self._keyring.current  # noqa: B018 - a broken key file fails the start, not a call

    async def issue_token(self, subject: str, roles: list[str], ttl_s: int | None = None) -> str:
        """Issue an access token for a subject with roles"""
        lifetime = self.config.token_ttl_s if ttl_s is None else ttl_s
        return issue(self._keyring, subject, roles, lifetime)

    async def verify_token(self, token: str) -> VerifyTokenResult:
        """Verify a token and return its claims"""
        claims = verify(self._keyring, token)
        return VerifyTokenResult(
            subject=claims["sub"],
            roles=claims["roles"],
            expires_at=datetime.fromtimestamp(claims["exp"], UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )

    async def authorize(self, token: str, action: str, resource: str) -> bool:
        """Decide whether a token's roles allow an action on a resource"""
        roles = verify(self._keyring, token)["roles"]
        allowed = {name for role in roles for name in self.config.policy.get(role, [])}
        return "*" in allowed or action in allowed

    async def encrypt(self, plaintext: str) -> str:
        """Encrypt a text"""
        key = self._keyring.current
        nonce = secrets.token_bytes(12)
        sealed = AESGCM(key.encryption).encrypt(nonce, plaintext.encode(), _aad(key.kid))
        return f"v1.{key.kid}.{_b64encode(nonce + sealed)}"

    async def decrypt(self, ciphertext: str) -> str:
        """Decrypt a ciphertext made by encrypt"""
        failed = DecryptionFailed("the ciphertext is malformed, tampered with or foreign")
        version, _, rest = ciphertext.partition(".")
        kid, _, body = rest.partition(".")
        key = self._keyring.find(kid)
        raw = _b64decode(body)
        if version != "v1" or key is None or raw is None or len(raw) < 12 + 16:
            raise failed
        try:
            plain = AESGCM(key.encryption).decrypt(raw[:12], raw[12:], _aad(kid))
            return plain.decode()
        except (InvalidTag, UnicodeError):
            raise failed from None


def _aad(kid: str) -> bytes:
    return b"v1." + kid.encode()


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes | None:
    """The bytes of canonical unpadded base64url ``text``, or None for anything else."""
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return data if _b64encode(data) == text else None
