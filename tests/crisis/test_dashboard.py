"""The dashboard: open items by dong on the dong map and the funnel from signals to support,
district total and each dong — counted here from the raw rows in plain Python."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.crisis import service, synthload
from gibon.crisis.models import Item, Signal
from gibon.kit import gwanak
from tests import factories


def _end() -> date:
    first = service.today().replace(day=1) - timedelta(days=45)
    return first.replace(day=1) - timedelta(days=1)


def test_the_funnel_and_the_map_count_what_the_rows_say(
    client: TestClient, session: Session, login
) -> None:
    synthload.load(session, 6, 5, _end())
    session.commit()
    items = session.scalars(select(Item)).all()
    signals = session.scalars(select(Signal)).all()
    want_open = Counter(it.dong for it in items if it.open_key is not None)
    want = {
        "signals": Counter(s.dong for s in signals),
        "households": Counter(d for d, _ in {(s.dong, s.household_id) for s in signals}),
        "items": Counter(it.dong for it in items),
        "contacted": Counter(it.dong for it in items if it.first_contact_at),
        "reached": Counter(it.dong for it in items if it.first_reached_at),
        "supported": Counter(it.dong for it in items if it.status in ("linked", "done")),
    }
    assert sum(want["supported"].values()) > 0 and sum(want_open.values()) > 0
    d = service.dashboard(session, factories.make_user(session, Role.district_team))
    assert set(d["by_dong"]) == set(gwanak.dong_names())
    for dong, row in d["by_dong"].items():
        assert row["open"] == want_open[dong]
        for key, counts in want.items():
            assert row[key] == counts[dong], (dong, key)
    assert d["total"]["items"] == len(items) and d["total"]["signals"] == len(signals)

    login(Role.district_team)
    html = client.get("/crisis/dashboard").text
    busiest = max(want_open, key=lambda k: want_open[k])
    assert f"<title>{busiest}: {want_open[busiest]:,}건</title>" in html
    assert f'href="/crisis?dong={busiest}"' in html
    assert html.count('<svg class="chart"') == 2
    assert f"지원 연계한 가구 {sum(want['supported'].values()):,}" in html

    login(Role.policy_analyst)
    html = client.get("/crisis/dashboard").text
    assert "<svg" in html and 'href="/crisis?dong=' not in html  # aggregates only

    login(Role.dong_officer, dong="신림동")
    html = client.get("/crisis/dashboard").text
    rows = re.findall(r'<tr><th><a href="/crisis\?dong=([^"]+)">', html)
    assert rows == ["신림동"]
