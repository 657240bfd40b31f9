"""docs/security.md shows the policy table as it is in the code."""

from __future__ import annotations

from pathlib import Path

from gibon.access import table

DOC = Path(__file__).parents[2] / "docs" / "security.md"


def _between(text: str, marker: str) -> str:
    start = text.index(f"<!-- {marker}")
    start = text.index("\n", start) + 1
    return text[start : text.index(f"<!-- /{marker} -->")].strip()


def test_the_policy_table_in_the_security_document_is_the_one_in_the_code() -> None:
    assert _between(DOC.read_text(encoding="utf-8"), "policy-table") == table.markdown()


def test_the_open_routes_in_the_security_document_are_the_ones_in_the_code() -> None:
    assert _between(DOC.read_text(encoding="utf-8"), "open-routes") == table.open_routes_markdown()
