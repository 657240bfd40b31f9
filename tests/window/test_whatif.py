"""What if: a job, a move, a baby recomputed through the benefits engine; nothing is stored."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gibon.audit.models import AuditEvent
from gibon.residents.models import Household, Person
from gibon.window import service, whatif
from tests.window import helpers

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _home(session: Session, person: Person) -> service.Home:
    household = session.get(Household, person.household_id)
    assert household is not None
    members = list(session.scalars(select(Person).where(Person.household_id == household.id)))
    return service.Home(person, household, members)


def test_a_baby_brings_the_child_programs_and_a_high_income_takes_the_means_tested_away(
    session: Session,
) -> None:
    person = helpers.young(session)
    home = _home(session, person)
    month, today = date.today().strftime("%Y-%m"), date.today()
    baby = {c.then.id: c for c in whatif.compare(home, whatif.Event("baby"), month, today)}
    assert baby["child_allowance"].then.state == "yes" and baby["child_allowance"].difference > 0
    assert baby["parental_benefit"].then.state == "yes"
    rich = whatif.compare(home, whatif.Event("job", income=9_000_000), month, today)
    assert all(
        c.then.state != "yes" for c in rich if c.then.id in ("livelihood", "youth_rent_seoul")
    )


def test_the_page_computes_without_storing_and_refuses_bad_numbers_in_korean(
    client: TestClient, session: Session
) -> None:
    person = helpers.young(session)
    token = helpers.sign_in(client, helpers.resident(session, person))
    persons = session.scalar(select(func.count()).select_from(Person))
    stored = session.get(Household, person.household_id)
    assert stored is not None
    rent_before, dong_before = stored.monthly_rent, stored.dong
    bad = client.post("/my/whatif", data={"event": "job", "income": "많이", "csrf_token": token})
    assert bad.status_code == 422 and "원 단위 숫자로" in bad.text
    page = client.post(
        "/my/whatif",
        data={
            "event": "move",
            "rent": "450,000",
            "deposit": "5000000",
            "dong": "신림동",
            "csrf_token": token,
        },
    )
    assert page.status_code == 200
    assert "이사하면 (새 집의 월세·보증금·동): 달라지는 것" in page.text
    assert session.scalar(select(func.count()).select_from(Person)) == persons
    session.refresh(stored)
    assert (stored.monthly_rent, stored.dong) == (rent_before, dong_before)
    audited = session.scalars(
        select(AuditEvent).where(AuditEvent.purpose == "생활 변화 모의 계산 (저장 없음)")
    ).all()
    assert len(audited) == 1 and audited[0].resource_id == person.household_id
