"""Downloads of every work list (CSV and .xlsx), each audited with its row count.

One router for all lists so each domain's pages stay as they are: the rows come from the same
service functions the pages use (the same scope checks, the same audit of the read), then
``gibon.kit.export`` writes them with Korean headings and values.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from starlette.responses import Response

from gibon.access import policy
from gibon.access.deps import (
    CaseExporter,
    FollowUpExporter,
    OutreachExporter,
    PlanExporter,
    ReferralExporter,
    SimulationReader,
)
from gibon.access.policy import Action, Scope
from gibon.accounts.models import ROLE_LABELS_KO, Role, User
from gibon.audit import service as audit
from gibon.benefits import labels as benefit_labels
from gibon.care import labels as care_labels
from gibon.care.cases import queues
from gibon.care.referrals import service as referrals
from gibon.kit import export, gwanak
from gibon.kit.export import Column
from gibon.simulator import service as simulator
from gibon.simulator.models import OUTCOME_LABELS_KO
from gibon.visits import service as visits
from gibon.web import people
from gibon.web.deps import DbSession

router = APIRouter(include_in_schema=False)
Format = Query("xlsx", pattern="^(csv|xlsx)$")
MAX_ROWS = 100_000


def audited(
    db: Any, user: User, resource: str, rows: list[dict[str, Any]], fmt: str, note: str
) -> list[dict[str, Any]]:
    """Record the export (who, which list, how many rows, which format) in the request's commit."""
    audit.record_on_commit(
        db,
        actor=user.username,
        role=user.role,
        action="export",
        resource=resource,
        resource_id=None,
        purpose=f"{note} 내려받기",
        detail=f"rows={len(rows)} format={fmt}",
    )
    return rows


QUEUE = [
    Column("id", "사례 번호"),
    Column("name", "이름"),
    Column("rrn_masked", "주민등록번호(가림)"),
    Column("dong", "동"),
    Column("status", "단계"),
    Column("due_on", "현 단계 기한"),
    Column("overdue", "기한 초과"),
    Column("need_level", "지원 필요도"),
    Column("officer", "담당자"),
]


@router.get("/care/export")
def care_queue(
    request: Request,
    db: DbSession,
    user: CaseExporter,
    status: str = Query("open", max_length=16),
    due: str = Query("", max_length=8),
    dong: str = Query("", max_length=20),
    mine: bool = False,
    format: str = Format,
) -> Response:
    """통합돌봄 업무 목록 (the page's filters, every page at once; a name or resident-number
    search is never put in a URL, so it is not a filter here)."""
    from gibon.care.cases.pages import _status

    req = queues.QueueRequest(dong or None, mine, _status(status), due or None, None, MAX_ROWS, 0)
    _, items = queues.work_queue(db, user, request.app.state.vault, req)
    officers = {
        u.id: f"{u.display_name} ({ROLE_LABELS_KO[Role(u.role)]})"
        for u in db.scalars(
            select(User).where(User.id.in_({c.officer_id for c in items if c.officer_id}))
        )
    }
    rows = [
        {
            **c.model_dump(),
            "status": c.status_label,
            "need_level": care_labels.LEVEL.get(c.need_level or "", ""),
            "officer": officers.get(c.officer_id or 0, ""),
        }
        for c in items
    ]
    rows = audited(db, user, "care_queue", rows, format, "통합돌봄 업무 목록")
    return export.response(export.check_format(format), QUEUE, rows, "통합돌봄_업무목록")


FOLLOWUPS = [
    Column("due_on", "예정일"),
    Column("name", "대상자"),
    Column("dong", "동"),
    Column("kind", "종류"),
    Column("status", "상태"),
    Column("assignee", "방문 담당"),
    Column("done_on", "완료일"),
    Column("notes", "점검 내용"),
]


@router.get("/care/followups/export")
def care_followups(
    db: DbSession,
    user: FollowUpExporter,
    status: str = Query("scheduled", pattern="^(|scheduled|missed|done)$"),
    format: str = Format,
) -> Response:
    name_of = people.namer(db)
    rows = [
        {
            "due_on": f.due_on,
            "name": getattr(p, "name", ""),
            "dong": getattr(c, "dong", ""),
            "kind": care_labels.FOLLOWUP.get(f.kind, "점검"),
            "status": care_labels.FOLLOWUP_STATUS.get(f.status, "예정"),
            "assignee": name_of(f.assignee_org) if f.assignee_org else "",
            "done_on": getattr(f, "done_on", None),
            "notes": f.notes,
        }
        for f, c, p in referrals.followups_for(db, user, status or None)
    ]
    rows = audited(db, user, "care_followup_list", rows, format, "모니터링 일정")
    return export.response(export.check_format(format), FOLLOWUPS, rows, "모니터링_일정")


REFERRALS = [
    Column("id", "의뢰 번호"),
    Column("name", "대상자"),
    Column("dong", "동"),
    Column("service", "서비스"),
    Column("offered_on", "의뢰일"),
    Column("status", "상태"),
    Column("note", "거절 사유·종료 결과"),
]


@router.get("/care/referrals/export")
def care_referrals(
    db: DbSession,
    user: ReferralExporter,
    status: str = Query("", pattern="^(|offered|accepted|declined|started|ended)$"),
    format: str = Format,
) -> Response:
    rows = [
        {
            "id": r.id,
            "name": name,
            "dong": dong,
            "service": care_labels.SERVICE.get(r.service_type, "기타"),
            "offered_on": r.offered_on,
            "status": care_labels.REFERRAL.get(r.status, ""),
            "note": r.decline_reason or r.outcome or "",
        }
        for r, _ok, name, dong in referrals.referrals_for_provider(db, user, status or None)
    ]
    rows = audited(db, user, "care_referral_list", rows, format, "서비스 연계 의뢰함")
    return export.response(export.check_format(format), REFERRALS, rows, "서비스_의뢰함")


OUTREACH = [
    Column("rank", "순위"),
    Column("head_name", "가구주"),
    Column("head_birth_year", "가구주 출생연도"),
    Column("size", "가구원 수"),
    Column("dong", "동"),
    Column("missed_amount", "놓친 월 금액(원)"),
    Column("programs", "받을 수 있는 급여"),
    Column("last_outcome", "최근 상담 결과"),
    Column("last_contact_at", "최근 상담일"),
]


@router.get("/simulator/outreach/export")
def outreach(
    db: DbSession,
    user: OutreachExporter,
    dong: str = Query("", max_length=20),
    format: str = Format,
) -> Response:
    """사각지대 발굴 목록: every household of the dong, not only the page on screen."""
    if not dong and policy.scope_of(user, Action.list, "outreach") is Scope.district:
        dong = gwanak.dong_names()[0]
    name, _total, items = simulator.outreach_list(db, user, dong or None, limit=MAX_ROWS)
    rows = [
        {
            "rank": i,
            "head_name": it.head_name,
            "head_birth_year": it.head_birth_year,
            "size": it.size,
            "dong": it.dong,
            "missed_amount": it.missed_amount,
            "programs": [
                f"{p['name_ko']} 월 {p['amount']:,}원 ({benefit_labels.KIND.get(p['kind'], '기타')})"
                for p in it.programs
            ],
            "last_outcome": OUTCOME_LABELS_KO.get(it.last_outcome, "") if it.last_outcome else "",  # type: ignore[call-overload]
            "last_contact_at": it.last_contact_at[:10] if it.last_contact_at else "",
        }
        for i, it in enumerate(items, start=1)
    ]
    rows = audited(db, user, "simulator_outreach", rows, format, f"사각지대 발굴 목록 ({name})")
    return export.response(export.check_format(format), OUTREACH, rows, f"사각지대발굴_{name}")


PLANS = [
    Column("plan_date", "날짜"),
    Column("title", "제목"),
    Column("revision", "개정"),
    Column("status", "상태"),
    Column("served", "배정"),
    Column("requested", "요청"),
    Column("feasible", "검증 통과"),
    Column("change", "변경 내용"),
    Column("created_by", "작성"),
]


@router.get("/visits/plans/export")
def visit_plans(
    db: DbSession,
    user: PlanExporter,
    format: str = Format,
) -> Response:
    name_of = people.namer(db)
    rows = [
        {
            "plan_date": p.plan_date,
            "title": p.title,
            "revision": p.revision,
            "status": "현재" if p.status == "current" else "이전 판",
            "served": p.served,
            "requested": p.requested,
            "feasible": p.feasible,
            "change": p.change,
            "created_by": name_of(p.created_by),
        }
        for p in visits.list_plans(db, user, None, limit=10_000)
    ]
    rows = audited(db, user, "visit_plan", rows, format, "의료드림 방문 계획 목록")
    return export.response(export.check_format(format), PLANS, rows, "의료드림_방문계획")


RUN_TABLES: dict[str, tuple[str, list[Column]]] = {
    "programs": (
        "급여별",
        [
            Column("name_ko", "급여"),
            Column("kind", "종류"),
            Column("take_up", "신청률"),
            Column("base_recipients", "현행 수급 (명·가구)"),
            Column("reform_recipients", "개혁안 수급"),
            Column("change_recipients", "수급 변화"),
            Column("base_cost", "현행 월 비용(원)"),
            Column("reform_cost", "개혁안 월 비용(원)"),
            Column("change_cost", "월 비용 변화(원)"),
            Column("reform_cost_year", "개혁안 연 비용(원)"),
            Column("reform_missed", "받지 않는 대상"),
            Column("reform_missed_amount", "받지 않는 금액(월, 원)"),
        ],
    ),
    "deciles": (
        "소득분위별",
        [
            Column("decile", "소득 10분위"),
            Column("income_from", "균등화 소득 (부터, 원)"),
            Column("income_to", "균등화 소득 (까지, 원)"),
            Column("persons", "사람"),
            Column("households", "가구"),
            Column("gain", "월 이득 합계(원)"),
            Column("mean_gain_per_household", "가구당 월 이득(원)"),
            Column("gain_pct", "가처분소득 대비 이득(%)"),
        ],
    ),
}


@router.get("/simulator/runs/{run_id}/export")
def simulator_run_table(
    run_id: int,
    db: DbSession,
    user: SimulationReader,
    table: str = Query("programs", pattern="^(programs|deciles)$"),
    format: str = Format,
) -> Response:
    """A stored run's result table (aggregates only) as a sheet."""
    run = simulator.get_run(db, run_id)
    title, columns = RUN_TABLES[table]
    rows = [
        {
            **row,
            "kind": benefit_labels.KIND.get(str(row.get("kind")), row.get("kind")),
            "gain_pct": round(float(row["gain_pct"]), 2) if row.get("gain_pct") is not None else "",
            "mean_gain_per_household": round(float(row["mean_gain_per_household"]))
            if row.get("mean_gain_per_household") is not None
            else "",
        }
        for row in (run.summary.get(table) or [])
    ]
    rows = audited(db, user, "simulator_run", rows, format, f"정책 시뮬레이션 {run_id} {title} 표")
    return export.response(
        export.check_format(format), columns, rows, f"시뮬레이션{run_id}_{title}"
    )
