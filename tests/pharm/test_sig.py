"""Korean directions read into numbers, including weekly and as-needed dosing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gibon.pharm import sig


def test_twice_daily_morning_and_evening_after_meals() -> None:
    s = sig.parse("1정 1일 2회 아침·저녁 식후")
    assert (s.units_per_dose, s.doses_per_day, s.slots, s.food) == (
        1,
        2,
        ("morning", "evening"),
        "after",
    )


def test_weekly_methotrexate_is_not_daily() -> None:
    s = sig.parse("1회 6정 주 1회 월요일")
    assert s.weekly and s.dosing_days_per_week == 1 and s.weekdays == (0,) and s.units_per_dose == 6


def test_every_eight_hours_is_three_times_a_day() -> None:
    assert sig.parse("8시간마다 1캡슐").doses_per_day == 3


def test_as_needed_has_no_daily_count() -> None:
    s = sig.parse("필요시 1정")
    assert s.prn and s.doses_per_day is None


def test_half_tablet_at_bedtime_is_a_split() -> None:
    s = sig.parse("1일 1회 취침 전 반정")
    assert s.split and s.units_per_dose == 0.5 and s.slots == ("bedtime",)


def test_every_other_day_counts_three_and_a_half_days_a_week() -> None:
    assert sig.parse("격일 1정").dosing_days_per_week == 3.5


@given(units=st.integers(1, 4), times=st.integers(1, 4))
def test_daily_units_are_units_times_frequency(units: int, times: int) -> None:
    s = sig.parse(f"{units}정 1일 {times}회")
    assert s.units_per_day == units * times and not s.weekly


@given(st.text(max_size=40))
def test_any_text_parses_without_error_and_never_negative(text: str) -> None:
    s = sig.parse(text)
    assert s.units_per_dose is None or s.units_per_dose >= 0
    assert s.doses_per_day is None or s.doses_per_day >= 0


def test_a_named_weekday_makes_a_once_daily_line_weekly() -> None:
    s = sig.parse("1일 1회 월요일 6정")
    assert s.weekly and s.units_per_day == 6


def test_different_amounts_morning_and_evening_add_up() -> None:
    assert sig.parse("아침 1정 저녁 2정").units_per_day == 3


def test_korean_number_words_and_english_abbreviations() -> None:
    assert sig.parse("하루 두 번 한 알씩").units_per_day == 2
    assert sig.parse("1 tab bid").units_per_day == 2
    assert sig.parse("4 tabs once weekly").weekly
