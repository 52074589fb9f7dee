"""Module 12 for real: PyJWT tokens with kid, AES-GCM, keys from env or a rotating key file."""

from __future__ import annotations

import asyncio
import stat
import sys
from pathlib import Path
from typing import Any

import jwt
import pytest

from .flagkit import ROOT

sys.path[:0] = [str(ROOT / "generated"), str(ROOT)]

from orchestra.contracts.security_v1 import (  # noqa: E402
    DecryptionFailed,
    InvalidToken,
    TokenExpired,
)
from orchestra.modules.security import SecurityConfig  # noqa: E402
from orchestra.system import CLIENTS, MODULES  # noqa: E402
from specloom_runtime import System  # noqa: E402

from impl import security as sec  # noqa: E402

OTHERS = [d.name for d in MODULES if d.name != "security"]


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SPECLOOM_DATA_DIR", str(tmp_path / "data"))
    for name in ("SECRET_KEY", "KEY_FILE"):
        monkeypatch.delenv(f"ORCHESTRA_SECURITY_{name}", raising=False)
    return tmp_path / "data"


def _run(body: Any) -> Any:
    async def main() -> Any:
        async with System(MODULES, clients=CLIENTS, force_mock=OTHERS) as system:
            assert system.modules["security"].mode == "impl"
            return await body(system.client("Security@1", source_agent="test"))

    return asyncio.run(main())


def _flip(text: str, index: int) -> str:
    char = text[index]
    return text[:index] + ("A" if char != "A" else "B") + text[index + 1 :]


def test_tokens_are_jwts_with_kid_roles_scope_and_survive_a_restart(data_dir: Path) -> None:
    token = _run(lambda s: s.issue_token(subject="ada", roles=["admin", "reader"], ttl_s=60))
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "HS256" and header["kid"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["sub"] == "ada" and claims["scope"] == "admin reader"
    assert claims["exp"] - claims["iat"] == 60
    key_file = data_dir / "security.keys"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert header["kid"] == key_file.read_text().split()[0]
    # a new process of the module (new start) verifies it: the keys live in the data dir
    result = _run(lambda s: s.verify_token(token=token))
    assert (result.subject, result.roles) == ("ada", ["admin", "reader"])
    assert sec.verify_bearer(token)["sub"] == "ada"


@pytest.mark.parametrize("where", [5, -5, 40])
def test_tampered_token_is_invalid(where: int) -> None:
    async def body(s: Any) -> None:
        token = await s.issue_token(subject="ada", roles=["admin"])
        with pytest.raises(InvalidToken):
            await s.verify_token(token=_flip(token, where))
        with pytest.raises(InvalidToken):
            await s.authorize(token=_flip(token, where), action="read", resource="x")

    _run(body)


def test_foreign_unsigned_and_wrong_algorithm_tokens_are_invalid() -> None:
    keyring = sec.Keyring(secret="another-secret-of-at-least-32-characters!")
    foreign = sec.issue(keyring, "ada", ["admin"], 60)
    unsigned = jwt.encode({"sub": "ada", "roles": ["admin"], "exp": 2**40}, None, algorithm="none")

    async def body(s: Any) -> None:
        for token in (foreign, unsigned, "a.b.c", "not-a-token"):
            with pytest.raises(InvalidToken):
                await s.verify_token(token=token)

    _run(body)


def test_expired_token_is_token_expired() -> None:
    keyring = sec.Keyring.from_config(SecurityConfig.from_env())
    expired = sec.issue(keyring, "ada", ["admin"], -5)

    async def body(s: Any) -> None:
        with pytest.raises(TokenExpired):
            await s.verify_token(token=expired)
        with pytest.raises(TokenExpired):
            await s.authorize(token=expired, action="read", resource="database/users")

    _run(body)
    with pytest.raises(TokenExpired):
        sec.verify_bearer(expired)


def test_ciphertexts_differ_are_authenticated_and_bound_to_their_key() -> None:
    async def body(s: Any) -> tuple[str, str]:
        one = await s.encrypt(plaintext="s\u00e9cret")
        two = await s.encrypt(plaintext="s\u00e9cret")
        assert one != two and one.startswith("v1.")
        assert await s.decrypt(ciphertext=one) == "s\u00e9cret"
        for bad in (_flip(one, -3), _flip(one, 4), one[:-4], "v2" + one[2:], "v1..AAAA", "x"):
            with pytest.raises(DecryptionFailed):
                await s.decrypt(ciphertext=bad)
        return one, two

    one, _ = _run(body)
    # the same ciphertext after a restart (same key file): still decrypts
    assert _run(lambda s: s.decrypt(ciphertext=one)) == "s\u00e9cret"


def test_secret_key_from_env(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> None:
    monkeypatch.setenv("ORCHESTRA_SECURITY_SECRET_KEY", "x" * 40)
    token = _run(lambda s: s.issue_token(subject="bob", roles=["reader"]))
    assert not (data_dir / "security.keys").exists()
    other = sec.Keyring(secret="x" * 40)
    assert sec.verify(other, token)["sub"] == "bob"
    monkeypatch.setenv("ORCHESTRA_SECURITY_SECRET_KEY", "y" * 40)
    with pytest.raises(InvalidToken):
        _run(lambda s: s.verify_token(token=token))


def test_key_rotation_keeps_old_tokens_and_ciphertexts_until_their_key_is_dropped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "keys"
    first = sec.rotate_key_file(path)
    monkeypatch.setenv("ORCHESTRA_SECURITY_KEY_FILE", str(path))

    async def body(s: Any) -> None:
        old_token = await s.issue_token(subject="ada", roles=["admin"])
        old_secret = await s.encrypt(plaintext="before")
        second = sec.rotate_key_file(path)  # the running module rereads the file
        new_token = await s.issue_token(subject="ada", roles=["admin"])
        assert jwt.get_unverified_header(old_token)["kid"] == first
        assert jwt.get_unverified_header(new_token)["kid"] == second
        assert (await s.verify_token(token=old_token)).subject == "ada"
        assert await s.decrypt(ciphertext=old_secret) == "before"
        assert (await s.encrypt(plaintext="after")).startswith(f"v1.{second}.")
        sec.rotate_key_file(path, keep=0)  # only the newest key is left
        with pytest.raises(InvalidToken):
            await s.verify_token(token=old_token)
        with pytest.raises(InvalidToken):
            await s.verify_token(token=new_token)
        with pytest.raises(DecryptionFailed):
            await s.decrypt(ciphertext=old_secret)

    _run(body)


def test_bad_key_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text("k1 short\n")
    with pytest.raises(ValueError, match="KID SECRET"):
        sec.verify_bearer("x.y.z", SecurityConfig(key_file=str(path)))


def test_no_key_in_the_repository_or_specs() -> None:
    tracked = [ROOT / "specs", ROOT / "impl", ROOT / "generated"]
    for folder in tracked:
        for path in folder.rglob("*"):
            assert path.name != sec.KEY_FILE, path
