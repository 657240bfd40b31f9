"""Creating accounts and checking passwords (argon2)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role, User
from gibon.errors import InvalidInput
from gibon.kit import gwanak

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def create_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    display_name: str,
    dong: str | None = None,
    organization_id: str | None = None,
) -> User:
    if role is Role.dong_officer and dong not in gwanak.dong_names():
        raise InvalidInput(
            "a dong officer needs one of the 21 dongs", where="dong", example="신림동"
        )
    if len(password) < 8:
        raise InvalidInput(
            "password needs at least 8 characters", where="password", example="gibon-demo-1"
        )
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role.value,
        display_name=display_name,
        dong=dong,
        organization_id=organization_id,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username, User.is_active.is_(True)))
    if user is None:
        _hasher.hash(password)  # same cost whether or not the account exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return None
    return user


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)
