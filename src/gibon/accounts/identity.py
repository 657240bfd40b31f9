"""Where a resident proves who they are: the adapter point for identity verification.

gibon does not verify residents' identities itself. In production a district plugs in a
certified service behind ``IdentityVerifier``:

- 간편인증 (민간 인증서: 카카오, 네이버, PASS, 토스 …) through the 행정안전부 간편인증 hub or a
  contracted aggregator;
- 공동인증서 (former 공인인증서) with an identity check against the certificate's subject;
- 휴대폰 본인확인 by a 본인확인기관 designated under 정보통신망법 제23조의3 (이동통신 3사 등).

Each returns, after its own challenge, the person's 연계정보 (CI), name and birth date; the
district maps the CI to a resident through its registry link. The production slot is a class
with the same ``verify`` method that calls the service, checks its signed answer and returns a
``VerifiedIdentity``; nothing in gibon depends on which one it is.

``DemoVerifier`` signs in synthetic residents by demo credentials (an id and an argon2-hashed
demo password) so the resident window can be built and tested here; it must never be
configured where real residents sign in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from gibon.accounts import passwords


@dataclass(frozen=True)
class VerifiedIdentity:
    """Who the verifier vouches for; ``person_id`` is gibon's resident id."""

    person_id: str
    method: str  # e.g. "demo", "simple_auth", "certificate", "mobile"


@dataclass(frozen=True)
class Credentials:
    """What the resident submitted to the verifier's challenge (for the demo: id and password)."""

    login: str
    secret: str


class IdentityVerifier(Protocol):
    method: str

    def verify(self, credentials: Credentials) -> VerifiedIdentity | None:
        """The resident the credentials prove, or None; never raises for wrong credentials."""
        ...


class DemoVerifier:
    """Demo residents: login -> (person id, argon2 hash of the demo password)."""

    method = "demo"

    def __init__(self, residents: Mapping[str, tuple[str, str]]) -> None:
        self._residents = dict(residents)

    def verify(self, credentials: Credentials) -> VerifiedIdentity | None:
        known = self._residents.get(credentials.login)
        if known is None:
            passwords.burn(credentials.secret)  # as slow as a wrong password
            return None
        person_id, password_hash = known
        if not passwords.verify(password_hash, credentials.secret):
            return None
        return VerifiedIdentity(person_id=person_id, method=self.method)
