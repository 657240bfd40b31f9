"""별지 제1호서식 (통합지원 신청서), 제2호서식 (개인별지원계획) and the 종합판정 result notice
(법 제12조①) filled from the case, as PDF.

The items are those the 시행규칙 names (제7조, 제9조①) taken from the case's own record; the
page layout is gibon's, not a facsimile of the official form.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import User
from gibon.care import deadlines, labels, repository
from gibon.care.cases import service
from gibon.care.models import Case, Decision, DocumentCheck
from gibon.errors import NotFound
from gibon.residents.models import Person

SEOUL = ZoneInfo("Asia/Seoul")
TEMPLATES = Path(str(resources.files("gibon") / "web" / "templates" / "care"))


@cache
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"])
    )
    env.globals.update(L=labels)
    return env


def application_html(session: Session, user: User, case_id: int) -> str:
    """별지 제1호서식: who applies (규칙 제7조①), for whom, on what ground, with which consents."""
    case, person = service.read_case(session, user, case_id, "별지 제1호서식 출력")
    return (
        _env()
        .get_template("form_application.html")
        .render(
            case=case,
            person=person,
            consents=repository.consents(session, case.id),
            documents=_documents(session, case.id),
            today=deadlines.today(),
        )
    )


def plan_notice_html(session: Session, user: User, case_id: int, number: int) -> str:
    """별지 제2호서식: the plan's contents (법 제13조①), views (②) and the notice (규칙 제9조①)."""
    case, person = service.read_case(session, user, case_id, f"별지 제2호서식 출력 ({number}판)")
    return plan_notice_of(session, case, person, number)


def plan_notice_of(session: Session, case: Case, person: Person, number: int) -> str:
    """The 제2호서식 of a case already read and audited by the caller (officer or resident)."""
    plan = repository.plan(session, case.id, number)
    if plan is None:
        raise NotFound(f"지원계획 {number}판이 없습니다", where="number", example="1")
    providers = {p.id: p for p in repository.providers(session)}
    return (
        _env()
        .get_template("form_plan_notice.html")
        .render(
            case=case,
            person=person,
            plan=plan,
            providers=providers,
            decision=repository.latest_decision(session, case.id),
            next_review=case.due_on,
            today=deadlines.today(),
        )
    )


def decision_notice_of(session: Session, case: Case, person: Person, decision: Decision) -> str:
    """The 종합판정 result as the person is told it (법 제12조①), of a case the caller read."""
    return (
        _env()
        .get_template("form_decision_notice.html")
        .render(
            case=case,
            person=person,
            decision=decision,
            decided_on=_seoul_day(decision.at),
            today=deadlines.today(),
        )
    )


def _seoul_day(at: datetime) -> date:
    """The day in Seoul of a stored time (UTC; SQLite returns it without its zone)."""
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(SEOUL).date()


def _documents(session: Session, case_id: int) -> list[Any]:

    return list(session.scalars(select(DocumentCheck).where(DocumentCheck.case_id == case_id)))


def pdf(html: str) -> bytes:
    from weasyprint import HTML  # heavy import: only when a PDF is asked for

    out: bytes = HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
    return out
