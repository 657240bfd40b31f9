"""Password hashing (argon2id), the password policy and temporary passwords.

The policy follows OWASP ASVS 4.0 V2.1 and NIST SP 800-63B §5.1.1.2: at least 12 characters,
at most 128, any character allowed (no composition rules), not the account name, and not a
common password — also when only digits or symbols were added around a common one.
"""

from __future__ import annotations

import secrets
import string
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from gibon.errors import InvalidInput

MIN_LENGTH = 12
MAX_LENGTH = 128
COMMON_LIST = Path(__file__).parent / "data" / "common-passwords.txt"  # see data/SOURCE.md
_DECORATION = string.digits + string.punctuation + " "
# No 0/O, 1/l/I: a temporary password is read aloud or copied from a screen.
_TEMP_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def burn(password: str) -> None:
    """Spend the same argon2 work as a real check, so a missing account takes as long."""
    _hasher.hash(password)


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip())


def check_policy(password: str, username: str, where: str = "password") -> None:
    """Raise ``InvalidInput`` naming the first rule the new password breaks."""
    example = "관악산-봄날-산책길-2026"
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"비밀번호는 {MIN_LENGTH}자 이상이어야 합니다", where=where, example=example
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInput(
            f"비밀번호는 {MAX_LENGTH}자 이하여야 합니다", where=where, example=example
        )
    lowered = password.lower()
    if username and username.lower() in lowered:
        raise InvalidInput("비밀번호에 아이디를 넣을 수 없습니다", where=where, example=example)
    if is_common(lowered):
        raise InvalidInput(
            "널리 알려진 비밀번호입니다. 추측하기 어려운 문장을 쓰세요",
            where=where,
            example=example,
        )


def is_common(lowered: str) -> bool:
    common = common_passwords()
    core = lowered.strip(_DECORATION)
    return lowered in common or (len(core) >= 4 and core in common)


def temporary_password() -> str:
    """A random 16-letter password in four groups (about 80 bits), shown once to the admin."""
    groups = ("".join(secrets.choice(_TEMP_ALPHABET) for _ in range(4)) for _ in range(4))
    return "-".join(groups)
