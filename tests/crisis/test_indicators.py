"""The indicator file: one place, every item with its legal source, agency and status."""

from __future__ import annotations

from gibon.crisis import indicators, synth


def test_every_indicator_has_a_legal_source_an_agency_and_a_known_status() -> None:
    for ind in indicators.catalogue().values():
        assert ind.legal and ind.agency and ind.label
        assert ind.status in indicators.STATUSES


def test_the_items_the_law_names_are_cited_to_the_article_that_names_them() -> None:
    cat = indicators.catalogue()
    assert "제12조제1항제1호" in cat["power_cut"].legal
    assert "시행령 제8조제1항제3호" in cat["telecom_arrears"].legal
    assert "제12조제1항제6호" in cat["financial_arrears"].legal
    assert cat["business_closure"].status == "annex"


def test_every_indicator_has_points_in_the_starting_weights() -> None:
    assert set(indicators.default_weights().points) == set(indicators.catalogue())


def test_every_synthetic_rate_says_whether_it_is_sourced_derived_or_estimated() -> None:
    def walk(node: object) -> list[dict[str, object]]:
        if isinstance(node, dict):
            found = [node] if "status" in node else []
            return found + [x for v in node.values() for x in walk(v)]
        return []

    rated = walk(synth.rates())
    assert rated and all(r["status"] in ("sourced", "derived", "estimate") for r in rated)
    assert all("source" in r for r in rated if r["status"] in ("sourced", "derived"))
