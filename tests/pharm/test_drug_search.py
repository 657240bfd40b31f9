"""The drug search and Korean product names: every product is read as known ingredients."""

from __future__ import annotations

import pytest

from gibon.pharm import context, inputs, rows
from gibon.pharm.knowledge import kb, products
from gibon.pharm.review import review


@pytest.mark.parametrize("product", sorted(products.table()))
def test_every_shipped_product_reads_as_ingredients_the_knowledge_base_knows(product: str) -> None:
    read = context.read_name(kb(), f"{product} 10mg")
    assert read and all(ingredient is not None for _, ingredient in read), read


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("노바스크", "노바스크정"),
        ("암로디핀", "암로디핀"),
        ("amlodipine", "암로디핀"),
        ("트리티코", "트리티코캡슐"),
    ],
)
def test_the_search_finds_by_product_korean_ingredient_or_english_name(
    query: str, first: str
) -> None:
    assert products.search(query)[0].drug_ko == first


def test_a_search_that_matches_nothing_is_empty_not_an_error() -> None:
    assert products.search("없는약이름") == [] and products.search("  ") == []


def test_a_product_name_in_a_file_is_reviewed_as_its_ingredients() -> None:
    data = {
        "patient": {"age": 80, "sex": "F"},
        "review_date": "2026-12-01",
        "dispensings": [
            {"date": "2026-11-01", "drug": "엑스포지정 5/80mg", "days_supply": 30},
            {"date": "2026-11-01", "drug": "노바스크정 5mg", "days_supply": 30},
        ],
    }
    rv = review(inputs.from_data(data))
    assert not rv.ctx.unknown
    assert any(f.category == "duplicate" and "amlodipine" in f.drugs for f in rv.findings)


def test_a_row_shows_how_the_review_will_read_it() -> None:
    assert rows.ingredients_ko("엑스포지정", None) == "암로디핀 + 발사르탄"
    assert rows.ingredients_ko("노바스그", None) == ""
