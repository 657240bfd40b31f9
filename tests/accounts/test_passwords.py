"""The password policy: length, not the account name, not a common password."""

from __future__ import annotations

import hashlib

import pytest

from gibon.accounts import passwords
from gibon.errors import InvalidInput


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-pass1", "12자 이상"),
        ("kimhaneul-2026-spring", "아이디"),
        ("qwertyuiop12", "널리 알려진"),
        ("1234567890ab", None),
        ("!!password123456!!", "널리 알려진"),
        ("x" * 129, "128자 이하"),
    ],
)
def test_a_new_password_breaking_a_rule_is_refused_naming_the_rule(
    password: str, reason: str | None
) -> None:
    if reason is None:
        passwords.check_policy(password, "kimhaneul")
        return
    with pytest.raises(InvalidInput, match=reason) as refused:
        passwords.check_policy(password, "kimhaneul")
    assert refused.value.where == "password" and refused.value.example


def test_the_example_the_policy_shows_passes_the_policy() -> None:
    with pytest.raises(InvalidInput) as refused:
        passwords.check_policy("short", "someone")
    assert refused.value.example is not None
    passwords.check_policy(refused.value.example, "someone")


def test_the_demo_and_test_passwords_pass_the_policy() -> None:
    for password in ("gibon-demo-1", "test-password-1", "browser-pass-1"):
        passwords.check_policy(password, "district")


def test_the_common_list_is_the_one_its_source_note_names() -> None:
    data = passwords.COMMON_LIST.read_bytes()
    note = (passwords.COMMON_LIST.parent / "SOURCE.md").read_text(encoding="utf-8")
    assert hashlib.sha256(data).hexdigest() in note
    assert len(passwords.common_passwords()) == 19_640
    assert "BSD" in note or "Redistribution and use" in note


def test_temporary_passwords_are_random_long_and_pass_the_policy() -> None:
    made = {passwords.temporary_password() for _ in range(50)}
    assert len(made) == 50
    for password in made:
        assert len(password) == 19
        passwords.check_policy(password, "someone")
