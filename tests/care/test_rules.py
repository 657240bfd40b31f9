"""Every rule gibon names rests on an article that exists in the statute excerpts it ships."""

from __future__ import annotations

import pytest

from gibon.care import deadlines, rules, settings
from gibon.care.cases.transitions import TRANSITIONS


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(("name", "basis"), rules.every_basis(), ids=lambda v: str(v)[:40])
def test_every_rule_names_an_article_of_the_shipped_statute_and_quotes_it_verbatim(name, basis):
    if basis.source is not rules.Source.law:
        assert basis.ref == "" and basis.label == "구 자체 결정"
        return
    text = rules.article_text(basis.ref)
    assert text is not None, f"{name}: {basis.ref} is not in the shipped excerpts"
    assert _norm(basis.quote) in _norm(text), f"{name}: quote not found in {basis.ref}"


def test_every_transition_and_deadline_carries_its_basis():
    assert {action for action, _source in TRANSITIONS} <= set(rules.STEP_BASIS)
    for basis in (
        deadlines.REVIEW_FIRST_BASIS,
        deadlines.REVIEW_EVERY_BASIS,
        deadlines.REASSESS_BASIS,
    ):
        assert basis.source is rules.Source.law and rules.article_text(basis.ref)
    assert deadlines.STEP_DAYS_BASIS.source is rules.Source.district
    for item in settings.describe(settings.current()):
        assert item.basis.source is not rules.Source.law or rules.article_text(item.basis.ref)


def test_an_article_that_does_not_exist_is_not_found():
    assert rules.article_text("규칙 제11조제6호") is None
    assert rules.article_text("법 제12조제4항") is None
    assert rules.article_text("영 제99조") is None
    assert rules.article_text("규칙 제10조제1항") is not None


def test_the_excerpts_keep_their_source_and_the_licence_note():
    for name in rules.STATUTE_FILES.values():
        head = (rules.STATUTE_DIR / name).read_text(encoding="utf-8")[:600]
        assert "출처: https://www.law.go.kr" in head and "commit" in head
    note = (rules.STATUTE_DIR.parent / "SOURCE.md").read_text(encoding="utf-8")
    assert "저작권법 제7조" in note


def test_the_law_bounds_the_review_settings(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("review:\n  every_months: 7\n", encoding="utf-8")
    with pytest.raises(Exception, match="1–6"):
        settings.load(bad)


def test_months_are_added_to_the_last_day_of_a_shorter_month():
    from datetime import date

    assert deadlines.add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert deadlines.add_months(date(2026, 12, 7), 6) == date(2027, 6, 7)


def test_docs_quote_the_sentence_each_step_relies_on():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "care.md").read_text(encoding="utf-8")
    for action, basis in rules.STEP_BASIS.items():
        if basis.source is rules.Source.law:
            assert f"| {basis.ref} | “{basis.quote}” |" in doc, action
