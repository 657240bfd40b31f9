"""Where my application stands: the statute's steps, the current one, the next with its article
and deadline (and whose deadline it is), the officer's name and phone."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.care import rules
from gibon.care.cases.transitions import CaseStatus
from gibon.window import service
from tests import factories
from tests.window import helpers


def test_the_path_marks_done_now_and_later_steps_with_their_articles() -> None:
    path = service.path_of(CaseStatus.assessed)
    assert [s.state for s in path[:4]] == ["done", "done", "now", "later"]
    assert path[0].article == rules.STEP_BASIS["open"].ref == "법 제10조제1항"
    assert path[3].article == rules.STEP_BASIS["decide"].ref
    assert "법에는 단계별 기한이 없어요" in service.deadline_basis(CaseStatus.applied)
    assert rules.REVIEW_RULE.ref in service.deadline_basis(CaseStatus.in_service)


def test_my_application_shows_the_next_step_its_deadline_and_the_officers_phone(
    client: TestClient, session: Session
) -> None:
    person = helpers.elder(session, skip=1)
    officer = factories.make_user(session, Role.dong_officer, dong=person.dong)
    officer.display_name, officer.phone = f"{person.dong} 주민센터 윤슬기", "02-0000-1234"
    session.commit()
    helpers.applied(client, session, person, share=False)
    page = client.get("/my").text
    assert f"{person.dong} 주민센터 · 윤슬기 · 전화 02-0000-1234" in page
    assert "다음 단계: 사전 확인 완료 (법 제10조제3항)" in page
    assert "관악구가 정한 처리 기한" in page
    assert '<li class="step-now" aria-current="step">신청 접수' in page
