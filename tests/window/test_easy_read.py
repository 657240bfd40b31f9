"""Easy-read (쉬운 말): every sentence a resident reads on the window's pages is short, and no
word of the official jargon list appears (both kept as data in data/window/easy_read.yaml)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import yaml
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from tests import factories
from tests.window import helpers

RULES = yaml.safe_load(
    (Path(__file__).parents[2] / "src/gibon/data/window/easy_read.yaml").read_text("utf-8")
)
SKIP = re.compile(r"<(script|style|details|option|header|footer|select)\b.*?</\1>", re.S)
SENTENCE = re.compile(r"(?<=[.!?])\s+|\n")


def sentences(page: str) -> list[str]:
    body = page.split('<main id="main"', 1)[1]
    text = html.unescape(re.sub(r"<[^>]+>", "\n", SKIP.sub("\n", body)))
    out = []
    for part in SENTENCE.split(text):
        part = " ".join(part.split())
        if part:
            out.append(part)
    return out


def _pages(client: TestClient) -> dict[str, str]:
    return {
        path: client.get(path).text for path in ("/my", "/my/consents", "/my/records", "/my/whatif")
    }


def test_every_sentence_on_the_window_is_short_and_free_of_jargon(
    client: TestClient, session: Session
) -> None:
    person = helpers.elder(session, skip=2)
    factories.make_user(session, Role.dong_officer, dong=person.dong)
    session.commit()
    helpers.applied(client, session, person, share=True)
    pages = _pages(client)
    pages["/login"] = client.get("/my/login").text
    long, jargon = [], []
    for path, page in pages.items():
        for sentence in sentences(page):
            if len(sentence) > RULES["max_sentence"]:
                long.append(f"{path}: {sentence}")
            jargon += [f"{path}: {w} in {sentence}" for w in RULES["jargon"] if w in sentence]
    assert not long, long
    assert not jargon, jargon


def test_the_checker_finds_a_long_sentence_and_a_jargon_word() -> None:
    page = (
        '<main id="main"><p>'
        + "가" * (RULES["max_sentence"] + 1)
        + ".</p><p>수급권자예요.</p></main>"
    )
    found = sentences(page)
    assert any(len(s) > RULES["max_sentence"] for s in found)
    assert any("수급권자" in s for s in found)
