"""DUR 용량주의's shortcut: when it skips the day-by-day sum, no day's sum could pass the limit."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from gibon.pharm import sig
from gibon.pharm.checks import dur_lists
from gibon.pharm.timeline import Supply

DAY0 = date(2025, 3, 1)
ONCE = sig.parse("1정 1일 1회")


def _supply(row: int, start: int, days: int, mg: float | None) -> Supply:
    first = DAY0 + timedelta(days=start)
    return Supply(
        row, "metformin", "metformin", first, first, first + timedelta(days=days - 1), mg, ONCE,
        "oral", "가의원", "가약국", days,
    )  # fmt: skip


supplies = st.lists(
    st.tuples(
        st.integers(0, 200),
        st.integers(1, 90),
        st.one_of(st.none(), st.sampled_from([0.0, 250.0, 500.0, 850.0, 1000.0, 2000.0])),
    ),
    max_size=8,
).map(lambda rows: [_supply(i, *r) for i, r in enumerate(rows)])


@given(supplies, st.sampled_from([500.0, 1000.0, 2000.0, 2500.0]))
def test_no_day_passes_the_limit_when_the_shortcut_says_none_can(
    items: list[Supply], limit: float
) -> None:
    ceiling = limit * 1.0001
    if dur_lists._never_above(items, ceiling):
        total, _, _ = dur_lists._daily_totals(items)
        assert total <= ceiling


@given(supplies)
def test_the_daily_sum_is_the_plain_sum_over_each_start_day(items: list[Supply]) -> None:
    best: tuple[float, date | None, list[Supply]] = (0.0, None, [])
    for day in sorted({s.start for s in items}):  # the sum as first written, every supply each day
        active = [s for s in items if s.start <= day <= s.end and s.mg_per_day is not None]
        total = sum(s.mg_per_day or 0.0 for s in active)
        if total > best[0]:
            best = (total, day, active)
    assert dur_lists._daily_totals(items) == best
