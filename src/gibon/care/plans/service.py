"""개인별지원계획 (versioned, comparable, notified) and the optional 통합지원회의 (규칙 제9조②)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action
from gibon.accounts.models import User
from gibon.care import deadlines, repository, settings
from gibon.care.cases import service
from gibon.care.cases.schemas import ConsentPurpose
from gibon.care.models import Conference, PlanVersion
from gibon.care.plans.schemas import (
    SERVICE_LABELS,
    ConferenceCreate,
    ConferenceUpdate,
    PlanCreate,
    PlanNotice,
    PlanRead,
    ServiceType,
)
from gibon.db import utcnow
from gibon.errors import Conflict, InvalidInput, NotFound


def add_plan(session: Session, user: User, case_id: int, body: PlanCreate) -> PlanVersion:
    """A new plan version; editing a stale version is a conflict showing both versions."""
    submitted = body.model_dump(mode="json")
    case = service.case_for_change(session, user, case_id, body.version, submitted)
    latest = repository.latest_plan_number(session, case.id)
    if body.based_on != latest:
        current = repository.plan(session, case.id, latest)
        raise Conflict(
            f"다른 사람이 지원계획을 먼저 바꿨습니다 (수정한 판 {body.based_on}, 최신 판 {latest})",
            where="based_on",
            example=str(latest),
            details={
                "your_version": body.based_on,
                "current_version": latest,
                "current": plan_dict(current) if current else None,
                "submitted": submitted,
            },
        )
    _check_providers(session, body)
    service.transition(session, user, case, "plan", f"지원계획 {latest + 1}판 수립")
    if body.views_on is not None and body.views_on > deadlines.today():
        raise InvalidInput(
            "의견을 들은 날이 오늘보다 뒤입니다", where="views_on", example=str(deadlines.today())
        )
    row = PlanVersion(
        case_id=case.id,
        number=latest + 1,
        goals=body.goals,
        services=submitted["services"],
        change_note=body.change_note,
        linkage=body.linkage,
        views=body.views,
        views_by=body.views_by,
        views_on=body.views_on,
        by=user.username,
        at=utcnow(),
    )
    session.add(row)
    session.flush()
    service.refresh_due(session, case)  # the first plan starts the 3-month 점검 clock
    return row


def missing_for_notice(plan: PlanVersion | PlanRead) -> list[tuple[str, str]]:
    """(field, what is missing) before a plan may be notified (법 제13조①②, 규칙 제9조①)."""
    gaps: list[tuple[str, str]] = []
    for i, item in enumerate(plan.services):
        name = SERVICE_LABELS.get(ServiceType(item["service_type"]), item["service_type"])
        if not item.get("provider_id"):
            gaps.append((f"services.{i}.provider_id", f"{name}의 제공 주체"))
        if not str(item.get("frequency") or "").strip():
            gaps.append((f"services.{i}.frequency", f"{name}의 수량"))
    providers = {item.get("provider_id") for item in plan.services if item.get("provider_id")}
    if len(providers) >= 2 and not plan.linkage.strip():
        gaps.append(("linkage", "제공기관이 둘 이상일 때의 연계 방법 (법 제13조제1항제2호)"))
    if not plan.views.strip() or plan.views_on is None:
        gaps.append(("views", "본인·가족의 의견 진술 기록과 그 날짜 (법 제13조제2항)"))
    return gaps


def conference_needed(plan: PlanVersion | PlanRead) -> bool:
    """The district's setting (규칙 제9조②: optional in law) for a first or a changed plan."""
    s = settings.current()
    return s.conference_first_plan if plan.number == 1 else s.conference_plan_change


def notify(session: Session, user: User, case_id: int, body: PlanNotice) -> PlanVersion:
    """규칙 제9조①: the latest plan is made known on 별지 제2호서식, once it is complete."""
    case = service.case_for_change(
        session, user, case_id, body.version, body.model_dump(mode="json")
    )
    number = repository.latest_plan_number(session, case.id)
    plan = repository.plan(session, case.id, number)
    if plan is None:
        raise InvalidInput("안내할 지원계획이 없습니다", where="plan")
    gaps = missing_for_notice(plan)
    if gaps:
        raise InvalidInput(
            f"지원계획 {number}판을 안내할 수 없습니다. 빠진 것: {', '.join(g for _f, g in gaps)}",
            where=gaps[0][0],
            example="수량: 주 2회, 회당 60분",
        )
    if conference_needed(plan) and not plan.approved:
        raise InvalidInput(
            f"이 구는 지원계획을 안내하기 전에 통합지원회의를 거치도록 정했습니다 (구 설정). "
            f"{number}판을 회의에 올리세요",
            where="conference",
        )
    if body.notified_on > deadlines.today():
        raise InvalidInput(
            "안내일이 오늘보다 뒤입니다", where="notified_on", example=str(deadlines.today())
        )
    service.transition(
        session, user, case, "notify", f"지원계획 {number}판을 {body.notice_to}에게 안내"
    )
    plan.notified_on, plan.notice_to = body.notified_on, body.notice_to
    session.flush()
    return plan


def _check_providers(session: Session, body: PlanCreate) -> None:
    known = {p.id: p for p in repository.providers(session)}
    for i, item in enumerate(body.services):
        provider = known.get(item.provider_id) if item.provider_id else None
        if item.provider_id and provider is None:
            raise InvalidInput(
                "없는 제공기관입니다", where=f"services.{i}.provider_id", example="1"
            )
        if provider and item.service_type.value not in provider.service_types:
            raise InvalidInput(
                f"{provider.name}은(는) 이 서비스를 제공하지 않습니다",
                where=f"services.{i}.service_type",
                example=provider.service_types[0],
            )


def plan_dict(plan: PlanVersion) -> dict[str, Any]:
    return {
        "number": plan.number,
        "goals": plan.goals,
        "services": plan.services,
        "change_note": plan.change_note,
        "linkage": plan.linkage,
        "views": plan.views,
        "notified_on": plan.notified_on.isoformat() if plan.notified_on else None,
        "approved": plan.approved,
        "by": plan.by,
        "at": plan.at.isoformat(),
    }


@dataclass(frozen=True)
class PlanDiff:
    a: int
    b: int
    goals_added: list[str]
    goals_removed: list[str]
    services_added: list[dict[str, Any]]
    services_removed: list[dict[str, Any]]


def compare(session: Session, user: User, case_id: int, a: int, b: int) -> PlanDiff:
    service.read_case(session, user, case_id, f"지원계획 비교 {a}:{b}")
    old, new = repository.plan(session, case_id, a), repository.plan(session, case_id, b)
    if old is None or new is None:
        raise NotFound(
            "비교할 지원계획 판이 없습니다", where="a" if old is None else "b", example="1"
        )
    key = _service_key
    old_s, new_s = {key(s): s for s in old.services}, {key(s): s for s in new.services}
    return PlanDiff(
        a,
        b,
        goals_added=[g for g in new.goals if g not in old.goals],
        goals_removed=[g for g in old.goals if g not in new.goals],
        services_added=[s for k, s in new_s.items() if k not in old_s],
        services_removed=[s for k, s in old_s.items() if k not in new_s],
    )


def _service_key(item: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(item.get(k) for k in ("service_type", "provider_id", "frequency", "start", "end"))


def hold_conference(session: Session, user: User, body: ConferenceCreate) -> Conference:
    """통합지원회의: record participants, agenda, minutes and, optionally, approve one plan version."""
    case = service.case_for_change(
        session, user, body.case_id, body.version, body.model_dump(mode="json")
    )
    # The conference shares the case with other agencies: only with the person's consent.
    service.require_consent(session, case, ConsentPurpose.sharing, "consent")
    conf = Conference(
        case_id=case.id,
        held_on=body.held_on,
        participants=[p.model_dump(mode="json") for p in body.participants],
        agenda=body.agenda,
        minutes=body.minutes,
        by=user.username,
    )
    session.add(conf)
    session.flush()
    if body.approve_plan is not None:
        _approve(session, user, case, conf, body.approve_plan)
    else:
        service.record(session, user, "create", "care_conference", conf.id, "통합지원회의 기록")
        session.flush()
    return conf


def _approve(session: Session, user: User, case: Any, conf: Conference, number: int) -> None:
    plan = repository.plan(session, case.id, number)
    if plan is None:
        raise InvalidInput(f"지원계획 {number}판이 없습니다", where="approve_plan", example="1")
    if number != repository.latest_plan_number(session, case.id):
        raise InvalidInput(
            "최신 판의 지원계획만 승인할 수 있습니다",
            where="approve_plan",
            example=str(repository.latest_plan_number(session, case.id)),
        )
    service.transition(session, user, case, "approve", f"통합지원회의에서 지원계획 {number}판 협의")
    plan.approved = True
    conf.plan_version_id = plan.id
    conf.decision = "approved"
    session.flush()


def get_conference(session: Session, user: User, conference_id: int) -> Conference:
    conf = session.get(Conference, conference_id)
    if conf is None:
        raise NotFound(f"회의 {conference_id}번이 없습니다", where="conference_id")
    service.read_case(session, user, conf.case_id, "통합지원회의 조회")
    return conf


def update_minutes(
    session: Session, user: User, conference_id: int, body: ConferenceUpdate
) -> Conference:
    conf = session.get(Conference, conference_id)
    if conf is None:
        raise NotFound(f"회의 {conference_id}번이 없습니다", where="conference_id")
    case = service.load_case(session, user, conf.case_id, Action.change)
    if conf.version_id != body.version:
        raise Conflict(
            f"다른 사람이 회의록을 먼저 고쳤습니다 (보신 버전 {body.version}, 현재 버전 {conf.version_id})",
            where="version",
            example=str(conf.version_id),
            details={
                "your_version": body.version,
                "current_version": conf.version_id,
                "current": {"minutes": conf.minutes},
                "submitted": {"minutes": body.minutes},
            },
        )
    conf.minutes = body.minutes
    service.record(
        session, user, "update", "care_conference", conf.id, "회의록 수정", f"case={case.id}"
    )
    session.flush()
    return conf


def conferences_for(session: Session, user: User, case_id: int) -> list[Conference]:
    policy.check(user, Action.view, "care_conference")
    service.read_case(session, user, case_id, "통합지원회의 목록")
    return repository.conferences(session, case_id)
