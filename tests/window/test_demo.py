"""Demo residents are chosen from the registry by their situation and sign in."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.residents.models import Household, Person
from gibon.window import demo
from tests import factories


def test_the_demo_residents_match_their_situation_and_sign_in(
    client: TestClient, session: Session
) -> None:
    today = date.today()
    chosen = demo.ensure(session, factories.PASSWORD, today)
    session.commit()
    assert {"elder", "tenant", "newborn"} <= set(chosen)
    elder = chosen["elder"]
    home = session.get(Household, elder.household_id)
    assert home is not None and home.living_alone and today.year - elder.birth_date.year >= 75
    tenant_home = session.get(Household, chosen["tenant"].household_id)
    assert tenant_home is not None and tenant_home.tenure == "monthly_rent"
    babies = session.scalars(
        select(Person).where(
            Person.household_id == chosen["newborn"].household_id, Person.relation == "child"
        )
    ).all()
    youngest = session.scalars(
        select(Person.birth_date)
        .where(Person.relation == "child")
        .order_by(Person.birth_date.desc())
    ).first()
    assert youngest in [b.birth_date for b in babies]
    shown = demo.accounts_shown(session)
    expected = [r.username for r in demo.DEMO_RESIDENTS if r.username in chosen]
    assert [u for u, _, _ in shown] == expected
    signed = client.post(
        "/my/login",
        data={"login": "elder", "secret": factories.PASSWORD},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert elder.name in client.get("/my").text


def test_an_administrator_cannot_make_a_resident_account_by_hand(session: Session) -> None:
    import pytest

    from gibon.accounts import admin
    from gibon.accounts.models import Role
    from gibon.accounts.service import Actor
    from gibon.errors import InvalidInput

    with pytest.raises(InvalidInput, match="주민 계정은 관리자가 만들지 않습니다"):
        admin.create_account(
            session,
            Actor("cli:test", "admin"),
            username="x-resident",
            display_name="가",
            role=Role.resident,
        )
