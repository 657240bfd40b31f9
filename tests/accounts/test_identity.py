"""The identity-verifier adapter point and its demo verifier."""

from __future__ import annotations

from gibon.accounts import identity, passwords


def _demo() -> identity.IdentityVerifier:
    return identity.DemoVerifier(
        {"elder-demo": ("P0000001", passwords.hash_password("resident-demo-1"))}
    )


def test_the_demo_verifier_vouches_for_a_resident_with_the_right_demo_password() -> None:
    found = _demo().verify(identity.Credentials("elder-demo", "resident-demo-1"))
    assert found == identity.VerifiedIdentity(person_id="P0000001", method="demo")


def test_the_demo_verifier_refuses_a_wrong_password_or_an_unknown_login() -> None:
    verifier = _demo()
    assert verifier.verify(identity.Credentials("elder-demo", "resident-demo-2")) is None
    assert verifier.verify(identity.Credentials("nobody", "resident-demo-1")) is None
