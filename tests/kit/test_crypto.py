from __future__ import annotations

from pathlib import Path

import pytest

from gibon.errors import InvalidInput
from gibon.kit.crypto import Vault, load_or_create_key, mask_rrn


def test_a_missing_key_file_is_created_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "k" / "secret.key"
    first = load_or_create_key(path)
    assert len(first) == 32
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_key(path) == first


def test_a_corrupt_key_file_is_refused_with_a_way_to_make_one(tmp_path: Path) -> None:
    path = tmp_path / "secret.key"
    path.write_text("not base64!!\n")
    with pytest.raises(InvalidInput, match="base64") as info:
        load_or_create_key(path)
    assert "urandom" in (info.value.example or "")


def test_resident_numbers_round_trip_and_never_encrypt_the_same_twice() -> None:
    vault = Vault(b"k" * 32)
    a, b = vault.encrypt("580302-2345678"), vault.encrypt("580302-2345678")
    assert a != b
    assert vault.decrypt(a) == "580302-2345678"
    assert b"580302" not in a


def test_the_lookup_hash_ignores_the_hyphen_and_depends_on_the_key() -> None:
    vault = Vault(b"k" * 32)
    assert vault.lookup_hash("580302-2345678") == vault.lookup_hash("5803022345678")
    assert Vault(b"j" * 32).lookup_hash("580302-2345678") != vault.lookup_hash("580302-2345678")


def test_masking_shows_only_birth_date_and_sex_digit() -> None:
    assert mask_rrn("580302-2345678") == "580302-2******"


def test_a_malformed_number_names_the_field_and_an_example() -> None:
    with pytest.raises(InvalidInput) as info:
        mask_rrn("58-03")
    assert info.value.where == "rrn"
    assert info.value.example == "580302-2345678"
