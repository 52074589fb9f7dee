"""Implementation of module security (Security Layer).

Yours to edit: specloom wrote this file once and never overwrites it. Methods still marked
``@stub`` are served by the mock until implemented (`specloom fill` can draft them).
"""

from __future__ import annotations

from orchestra.contracts.security_v1 import (
    VerifyTokenResult,
)
from orchestra.modules.security import SecurityBase
from orchestra.runtime import stub


class SecurityImpl(SecurityBase):
    """Security Layer"""

    @stub
    async def issue_token(self, subject: str, roles: list[str], ttl_s: int | None = None) -> str:
        """Issue an access token for a subject with roles"""
        raise NotImplementedError

    @stub
    async def verify_token(self, token: str) -> VerifyTokenResult:
        """Verify a token and return its claims"""
        raise NotImplementedError

    @stub
    async def authorize(self, token: str, action: str, resource: str) -> bool:
        """Decide whether a token's roles allow an action on a resource"""
        raise NotImplementedError

    @stub
    async def encrypt(self, plaintext: str) -> str:
        """Encrypt a text"""
        raise NotImplementedError

    @stub
    async def decrypt(self, ciphertext: str) -> str:
        """Decrypt a ciphertext made by encrypt"""
        raise NotImplementedError
