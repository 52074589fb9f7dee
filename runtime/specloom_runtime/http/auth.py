"""Bearer tokens of the HTTP edge: JWTs (HS256, PyJWT) signed with the system's local key.

The key comes from ``<PACKAGE>_GATEWAY_KEY`` (hex or any text of 32+ characters) or from the
file ``gateway.key`` in the system's data dir (``<PACKAGE>_DATA_DIR``, else
``$XDG_DATA_HOME/<package>``, else ``~/.local/share/<package>``), which is created with 32
random bytes (mode 0600) on first use. It is never part of the generated code.

A token's ``scope`` claim is a space-separated list: ``*`` (everything), ``Contract@major``
(every method of that contract version), ``Contract@major.method``, ``metrics``, ``events``.
Deny by default: an operation needs a token whose scopes cover it.

This is the seam module 12 (Security) plugs into: :class:`TokenAuthority` is what the gateway
asks; a system whose Security module issues real tokens can pass its own verifier.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt

__all__ = ["AuthError", "Claims", "TokenAuthority", "data_dir", "load_key"]

ALGORITHM = "HS256"
KEY_FILE = "gateway.key"
MAX_TTL_S = 366 * 24 * 3600


class AuthError(Exception):
    """A request is not allowed: ``status`` 401 (no or bad token) or 403 (scope missing)."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


@dataclass(frozen=True)
class Claims:
    subject: str
    scopes: frozenset[str]
    expires: float

    def allows(self, scope: str, method: str | None = None) -> bool:
        if "*" in self.scopes or scope in self.scopes:
            return True
        return method is not None and f"{scope}.{method}" in self.scopes


def data_dir(package: str, environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    explicit = env.get(f"{package.upper()}_DATA_DIR")
    if explicit:
        return Path(explicit)
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / package


def load_key(package: str, environ: Mapping[str, str] | None = None) -> bytes:
    """The signing key: from the environment, else the data dir's key file (made on first use)."""
    env = os.environ if environ is None else environ
    given = env.get(f"{package.upper()}_GATEWAY_KEY")
    if given:
        if len(given) < 32:
            raise ValueError(f"{package.upper()}_GATEWAY_KEY must have at least 32 characters")
        return given.encode("utf-8")
    folder = data_dir(package, env)
    path = folder / KEY_FILE
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _read_key(path)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32) + "\n")
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    text = path.read_text("ascii").strip()
    if len(text) < 32:
        raise ValueError(f"{path}: the key is too short (delete the file to make a new one)")
    return text.encode("ascii")


class TokenAuthority:
    """Issues and verifies the gateway's bearer tokens."""

    def __init__(self, key: bytes, *, issuer: str, audience: str | None = None) -> None:
        self._key = key
        self.issuer = issuer
        self.audience = audience or f"{issuer}-gateway"
        self._cache: dict[str, Claims] = {}

    @classmethod
    def for_package(cls, package: str, environ: Mapping[str, str] | None = None) -> TokenAuthority:
        return cls(load_key(package, environ), issuer=package)

    def issue(self, subject: str, scopes: Sequence[str], ttl_s: int) -> str:
        if not 1 <= ttl_s <= MAX_TTL_S:
            raise ValueError(f"ttl must be between 1 and {MAX_TTL_S} seconds")
        if not scopes:
            raise ValueError("a token needs at least one scope")
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.audience,
            "sub": subject,
            "scope": " ".join(scopes),
            "iat": now,
            "nbf": now,
            "exp": now + ttl_s,
            "jti": secrets.token_hex(8),
        }
        return jwt.encode(claims, self._key, algorithm=ALGORITHM)

    def verify(self, token: str) -> Claims:
        """The claims of a valid token; :class:`AuthError` 401 for anything else."""
        cached = self._cache.get(token)
        if cached is not None:
            if cached.expires > time.time():
                return cached
            del self._cache[token]
        try:
            data = jwt.decode(
                token,
                self._key,
                algorithms=[ALGORITHM],
                audience=self.audience,
                issuer=self.issuer,
                options={"require": ["exp", "iat", "sub", "scope"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError(401, "the token has expired") from None
        except jwt.PyJWTError:
            raise AuthError(401, "the token is not valid") from None
        scope = data.get("scope")
        if not isinstance(scope, str) or not isinstance(data.get("sub"), str):
            raise AuthError(401, "the token is not valid")
        claims = Claims(data["sub"], frozenset(scope.split()), float(data["exp"]))
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[token] = claims
        return claims

    def check(self, authorization: str | None, scope: str, method: str | None = None) -> Claims:
        """Claims for an ``Authorization`` header allowed ``scope``; AuthError 401/403 else."""
        if not authorization:
            raise AuthError(401, "a bearer token is required")
        kind, _, token = authorization.partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            raise AuthError(401, "a bearer token is required")
        claims = self.verify(token.strip())
        if not claims.allows(scope, method):
            raise AuthError(403, f"the token's scopes do not include {scope}")
        return claims
