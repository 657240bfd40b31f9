"""Large type and English for the window: a cookie each, set by an open form, shown on every
/my page; the window's own words come from one label source."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from gibon.window import words
from tests.window import helpers


def test_large_type_and_english_are_remembered_and_shown(
    client: TestClient, session: Session
) -> None:
    token = helpers.sign_in(client, helpers.resident(session, helpers.elder(session)))
    assert '<div class="my">' in client.get("/my").text
    set_large = client.post(
        "/my/display",
        data={"large": "1", "back": "/my/records", "csrf_token": token},
        follow_redirects=False,
    )
    assert (set_large.status_code, set_large.headers["location"]) == (303, "/my/records")
    assert '<div class="my large">' in client.get("/my/records").text
    client.post(
        "/my/display", data={"lang": "en", "back": "https://evil.example", "csrf_token": token}
    )
    english = client.get("/my/consents").text
    assert '<html lang="en">' in english
    assert "My consents" in english and "Larger text" not in english  # large is still on
    assert "Normal text" in english and "한국어" in english
    assert '<div class="my large">' in english


def test_every_word_has_both_languages() -> None:
    for key, (ko, en) in words.WORDS.items():
        assert ko and en and ko != en, key
    assert words.words("en")["nav_my"] == "My welfare" and words.words(None)["nav_my"] == "내 복지"
