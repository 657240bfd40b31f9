"""The threshold what-if on the synthetic history: listed households and caught crises, counted
here by the test's own loop over the scored runs and the hidden truth; nothing stored."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.crisis import repository, score, service, synthload, whatif
from gibon.crisis.models import Item, SyntheticTruth
from tests import factories


def test_run_dates_step_two_months_and_end_on_the_last_day() -> None:
    runs = whatif.run_dates(date(2025, 11, 3), date(2026, 6, 20))
    assert runs == [date(2026, 1, 1), date(2026, 3, 1), date(2026, 5, 1), date(2026, 6, 20)]


def test_outcome_counts_caught_only_at_or_after_onset() -> None:
    scores = pl.DataFrame({
        "household_id": ["a", "a", "b", "c", "d"],
        "score": [50, 30, 45, 90, 10],
        "run_on": [date(2026, 1, 1), date(2026, 3, 1), date(2026, 1, 1), date(2026, 3, 1),
                   date(2026, 3, 1)],
    })  # fmt: skip
    truth = pl.DataFrame({"household_id": ["a", "c", "d"],
                          "onset_on": [date(2026, 2, 1), date(2026, 2, 1), date(2026, 1, 5)]})  # fmt: skip
    o = whatif.outcome(scores, truth, 40)
    # a is listed only before its onset; c after; b is not in crisis; d never listed
    assert (o.households_listed, o.caught, o.in_crisis) == (3, 1, 3)
    assert o.precision == round(1 / 3, 4) and o.recall == round(1 / 3, 4)
    assert whatif.outcome(scores, truth, 25).caught == 2  # a at 30 on 03-01 now counts


def _end() -> date:
    first = service.today().replace(day=1) - timedelta(days=45)
    return first.replace(day=1) - timedelta(days=1)


def test_the_page_and_cli_replay_the_synthetic_history_without_storing(
    client: TestClient, session: Session, login
) -> None:
    synthload.load(session, 6, 3, _end(), do_work=False)
    session.commit()
    items_before = session.scalar(select(func.count()).select_from(Item))
    weights = service.weights_in_force(session)
    team = factories.make_user(session, Role.district_team)
    r = service.threshold_what_if(session, team, 60)
    # the test's own count: score each run with the scoring rule, then loop in plain Python
    first, last = repository.signal_span(session)
    assert first and last
    runs = whatif.run_dates(first, last)
    signals = repository.signals_frame(session, first, None)
    meta = repository.households_meta(session, signals["household_id"].unique())
    onset = {
        h: d
        for h, d in session.execute(select(SyntheticTruth.household_id, SyntheticTruth.onset_on))
    }
    for t, got in ((weights.threshold, r["current"]), (60, r["proposed"])):
        listed: set[str] = set()
        caught: set[str] = set()
        for run in runs:
            age = ((pl.lit(run) - pl.col("head_birth")).dt.total_days() // 365).fill_null(0)
            hh = meta.select("household_id", "living_alone", age.cast(pl.Int64).alias("head_age"))
            s = score.score_frame(signals.filter(pl.col("observed_on") <= run), hh, weights, run)
            for hid, sc in s.iter_rows():
                if sc >= t:
                    listed.add(hid)
                    if hid in onset and run >= onset[hid]:
                        caught.add(hid)
        assert got["households_listed"] == len(listed) and got["caught"] == len(caught)
        assert got["in_crisis"] == len(onset)
    assert r["proposed"]["households_listed"] <= r["current"]["households_listed"]
    assert session.scalar(select(func.count()).select_from(Item)) == items_before

    login(Role.policy_analyst)
    html = client.get("/crisis/whatif?threshold=60").text
    assert "찾아낸 위기가구" in html and "<svg" in html and f"{r['proposed']['caught']:,}" in html
    bad = client.get("/crisis/whatif?threshold=abc")
    assert bad.status_code == 422 and "임계값은 숫자입니다" in bad.text
    login(Role.dong_officer, dong="신림동")
    page = client.get("/crisis/whatif?threshold=60").text
    assert "신림동" in page
