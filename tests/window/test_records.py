"""열람 기록: the list a resident sees is the audit rows about them, written during the test."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.audit import service as audit
from tests import factories
from tests.window import helpers

SEOUL = ZoneInfo("Asia/Seoul")
ITEM = re.compile(r"<li class=\"card( refused)?\">(.*?)</li>", re.S)


def test_the_records_list_is_every_read_of_my_data_written_during_the_test(
    client: TestClient, session: Session
) -> None:
    person, stranger = helpers.elder(session, skip=2), helpers.young(session)
    officer = factories.make_user(session, Role.dong_officer, dong=person.dong)
    officer.display_name = "신림동 주민센터 한가람"
    user = helpers.resident(session, person)
    written = [
        ("read", "person", person.id, "방문약료 대상자 확인"),
        ("denied", "household", person.household_id, "사례 조회"),
        ("export", "person", person.id, "방문 일정 내려받기"),
    ]
    for action, resource, rid, purpose in written:
        audit.record_on_commit(
            session,
            actor=officer.username,
            role=officer.role,
            action=action,
            resource=resource,
            resource_id=rid,
            purpose=purpose,
        )
    audit.record_on_commit(  # someone else's file: never on this list
        session,
        actor=officer.username,
        role=officer.role,
        action="read",
        resource="person",
        resource_id=stranger.id,
        purpose="다른 주민 조회",
    )
    session.commit()
    rows = audit.search(session, actor=officer.username, limit=10)
    helpers.sign_in(client, user)
    page = client.get("/my/records")
    assert page.status_code == 200
    items = ITEM.findall(page.text)
    assert len(items) == len(written)
    for (refused, body), row, (action, _, _, purpose) in zip(
        items, [r for r in rows if r.resource_id != stranger.id], reversed(written), strict=True
    ):
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
        assert at.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M") in body
        assert "신림동 주민센터 · 한가람" in body
        assert f"이유: {purpose}" in body
        assert bool(refused) == (action == "denied")
    assert "파일로 내려받았어요" in page.text
    assert "권한이 없어 막혔어요" in page.text
    assert "다른 주민 조회" not in page.text
    assert datetime.now(UTC)  # the page says its times are Korean time
    assert "(한국 시간)" in page.text
