"""Dates as people type them."""

from __future__ import annotations

from datetime import date

import pytest

from gibon.errors import InvalidInput
from gibon.kit import dates


@pytest.mark.parametrize(
    "typed",
    ["2026-12-07", "2026.12.07", "2026/12/07", "20261207", "2026. 12. 7.", "2026-12-07T09:00"],
)
def test_every_usual_way_of_typing_a_date_is_read(typed: str) -> None:
    assert dates.parse(typed) == date(2026, 12, 7)


@pytest.mark.parametrize("typed", ["2026-13-07", "2026-02-30", "12/07/2026", "내일", "2026127"])
def test_a_wrong_date_is_a_korean_error_with_the_field_and_an_example(typed: str) -> None:
    with pytest.raises(InvalidInput) as exc:
        dates.parse(typed, "방문일")
    assert exc.value.where == "방문일" and "2026-12-07" in (exc.value.example or "")
    assert "날짜" in exc.value.message
