"""Keys, resident-registration-number encryption (AES-GCM), keyed hashes and masking."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from gibon.errors import InvalidInput


def load_or_create_key(path: Path) -> bytes:
    """Read the 32-byte base64 key at ``path``; create it (mode 0600) when it does not exist."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = base64.b64encode(os.urandom(32))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key + b"\n")
    try:
        raw = base64.b64decode(path.read_bytes().strip(), validate=True)
    except ValueError as exc:
        raise InvalidInput(
            "secret key file is not base64",
            where=str(path),
            example="head -c32 /dev/urandom | base64",
        ) from exc
    if len(raw) != 32:
        raise InvalidInput(
            f"secret key must be 32 bytes, found {len(raw)}",
            where=str(path),
            example="head -c32 /dev/urandom | base64",
        )
    return raw


class Vault:
    """Encrypts and hashes personal identifiers with keys derived from one master key."""

    def __init__(self, master_key: bytes) -> None:
        self._aead = AESGCM(_derive(master_key, b"gibon/rrn-encryption"))
        self._hash_key = _derive(master_key, b"gibon/rrn-lookup")
        self.session_key = _derive(master_key, b"gibon/session").hex()

    def encrypt(self, plaintext: str) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, plaintext.encode(), b"rrn")

    def decrypt(self, blob: bytes) -> str:
        return self._aead.decrypt(blob[:12], blob[12:], b"rrn").decode()

    def lookup_hash(self, rrn: str) -> str:
        """Keyed hash for searching by resident number without storing or comparing plain numbers."""
        digits = normalize_rrn(rrn)
        return hmac.new(self._hash_key, digits.encode(), hashlib.sha256).hexdigest()


def _derive(master: bytes, label: bytes) -> bytes:
    return hmac.new(master, label, hashlib.sha256).digest()


def normalize_rrn(rrn: str) -> str:
    digits = rrn.replace("-", "").strip()
    if len(digits) != 13 or not digits.isdigit():
        raise InvalidInput(
            "resident registration number must have 13 digits",
            where="rrn",
            example="580302-2345678",
        )
    return digits


def mask_rrn(rrn: str) -> str:
    """580302-2345678 -> 580302-2******: birth date and sex digit only."""
    digits = normalize_rrn(rrn)
    return f"{digits[:6]}-{digits[6]}******"
