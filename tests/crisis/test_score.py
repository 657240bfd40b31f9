"""The triage score: transparent lines, combinations, recency, and one rule in two forms."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from gibon.crisis import indicators, score, synth

W = indicators.default_weights()
DAY = date(2026, 12, 1)


def test_a_power_cut_with_arrears_for_someone_alone_adds_the_named_combination() -> None:
    signals = [
        score.Signal("power_cut", DAY, "national_list"),
        score.Signal("health_premium_arrears", DAY, "national_list"),
    ]
    alone, _ = score.explain(signals, True, 50, W, DAY)
    family, reasons = score.explain(signals, False, 50, W, DAY)
    assert alone - family == 30
    assert family == 35 + 20
    assert any("국민건강보험공단" in r.text and "제12조제1항제3호" in r.text for r in reasons)


def test_a_signal_loses_half_its_points_after_the_half_life_and_all_after_the_window() -> None:
    fresh, _ = score.explain([score.Signal("power_cut", DAY, "national_list")], False, 40, W, DAY)
    half_day = DAY + timedelta(days=int(W.half_life_days))
    half, _ = score.explain(
        [score.Signal("power_cut", DAY, "national_list")], False, 40, W, half_day
    )
    late = DAY + timedelta(days=W.window_days + 1)
    gone, _ = score.explain([score.Signal("power_cut", DAY, "national_list")], False, 40, W, late)
    assert (fresh, half, gone) == (35, 18, 0)


def test_a_chattering_device_counts_once_however_many_alerts_it_sends() -> None:
    one = [score.Signal("smart_plug_no_activity", DAY, "device")]
    many = one * 40
    assert score.explain(one, True, 80, W, DAY)[0] == score.explain(many, True, 80, W, DAY)[0]


def test_every_reason_line_is_korean_and_names_where_the_signal_came_from() -> None:
    sigs = [score.Signal(i, DAY, indicators.catalogue()[i].source) for i in W.points]
    _, reasons = score.explain(sigs, True, 70, W, DAY)
    for r in reasons:
        assert "점" in r.text
        if r.indicator:
            ind = indicators.catalogue()[r.indicator]
            assert ind.agency in r.text and ind.legal in r.text


def _households(n: int, seed: int) -> pl.DataFrame:
    import numpy as np

    rng = np.random.default_rng(seed)
    return pl.DataFrame(
        {
            "household_id": [f"H{i:07d}" for i in range(n)],
            "dong": ["신림동"] * n,
            "living_alone": rng.random(n) < 0.6,
            "head_age": rng.integers(19, 95, n),
            "income": rng.integers(0, 5_000_000, n),
        }
    )


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_the_district_scorer_and_the_explained_score_agree_for_every_household(seed: int) -> None:
    hh = _households(4000, seed)
    stream = synth.generate(hh, 12, seed, date(2026, 11, 30))
    as_of = date(2026, 11, 30)
    frame = score.score_frame(stream.signals, hh, W, as_of)
    by_id = {r["household_id"]: r for r in hh.iter_rows(named=True)}
    grouped = stream.signals.group_by("household_id").agg(
        pl.struct("indicator", "observed_on", "source")
    )
    expected = {}
    for hid, rows in grouped.iter_rows():
        sigs = [score.Signal(r["indicator"], r["observed_on"], r["source"]) for r in rows]
        total, _ = score.explain(sigs, by_id[hid]["living_alone"], by_id[hid]["head_age"], W, as_of)
        expected[hid] = total
    got = dict(frame.iter_rows())
    assert {h: v for h, v in expected.items() if v} == {h: v for h, v in got.items() if v}


def test_weights_name_the_bad_key_and_show_a_valid_value() -> None:
    import pytest

    from gibon.errors import InvalidInput

    raw = W.as_data() | {"points": {"power_cut": "많이"}}
    with pytest.raises(InvalidInput) as err:
        indicators.parse_weights(raw, "weights.yaml")
    assert err.value.where == "weights.yaml: points.power_cut"
    with pytest.raises(InvalidInput, match="알 수 없는 위기정보"):
        indicators.parse_weights(W.as_data() | {"points": {"bankrupt": 10}}, "w")
