"""Cheap argon2 parameters for the account tests: they check behaviour, not hashing cost.

Hashes carry their own parameters, so a hash made here verifies with the same cheap cost, and
production's parameters stay untouched (tests/web/test_auth.py checks the real hasher)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from gibon.accounts import passwords


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(
        passwords, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    )
    yield
