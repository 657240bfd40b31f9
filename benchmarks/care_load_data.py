"""The scratch database of benchmarks/care_load.py: residents, users, cases with every step they
have reached, and a long hash-chained audit log.

Each case gets the rows of the steps its status implies (a screening once screened, an assessment
once assessed, ... two referrals and two follow-ups while in service; a closed case stops at a
random step), with an event per step, so a case detail reads what a real one would.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, insert, select, text

from gibon import db, population
from gibon.accounts import service as accounts
from gibon.accounts.models import Role
from gibon.audit.models import AuditEvent
from gibon.audit.service import GENESIS, _digest
from gibon.care.cases.transitions import OPEN, CaseStatus
from gibon.care.models import (
    Assessment,
    Case,
    CaseEvent,
    Conference,
    Consent,
    Decision,
    FollowUp,
    PlanVersion,
    Provider,
    Referral,
    Screening,
)
from gibon.kit import gwanak
from gibon.kit.crypto import Vault, load_or_create_key
from gibon.residents import service as residents
from gibon.residents.models import Person

PASSWORD = "bench-pass-1"
BATCH = 10_000
# The step each open status has reached, in order, with the event action that reached it.
STEPS = [("screen", "screened"), ("assess", "assessed"), ("decide", "decided"), ("plan", "planned")]
STEPS += [("approve", "approved"), ("link", "in_service")]
RANK = {s: i for i, s in enumerate(OPEN)}


def build(url: str, key: Path, cases: int, audits: int, persons: int, rng: random.Random) -> None:
    db.upgrade(url)
    engine = db.engine_for(url)
    vault = Vault(load_or_create_key(key))
    households, people = population.generate(seed=11, persons=persons)
    with db.transaction(engine) as s:
        residents.load_population(s, households, people, vault)
        _users(s)
        pool = [(pid, dong) for pid, dong in s.execute(select(Person.id, Person.dong))]
    with engine.begin() as conn:
        providers = _providers(conn)
        for start in range(0, cases, BATCH):
            _cases(conn, pool, min(BATCH, cases - start), providers, rng)
    append_audit(engine, audits, rng)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # the steady state autovacuum keeps a live database in (SQLite: statistics only)
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))


def _users(s: Any) -> None:
    for i, dong in enumerate(gwanak.dong_names() * 2):
        accounts.create_user(
            s,
            username=f"officer{i}",
            password=PASSWORD,
            role=Role.dong_officer,
            display_name=dong,
            dong=dong,
        )
    for i in range(8):
        accounts.create_user(
            s, username=f"team{i}", password=PASSWORD, role=Role.district_team, display_name="팀"
        )


def _providers(conn: Connection) -> list[int]:
    rows = [
        {
            "organization_id": f"bench-prov-{i:02d}",
            "name": f"관악 돌봄기관 {i}",
            "service_types": ["home_nursing", "meals", "housework"],
            "dongs": [],
            "capacity": 5000,
            "phone": "02-000-0000",
            "active": True,
            "version_id": 1,
            "created_at": datetime.now(UTC),
        }
        for i in range(10)
    ]
    return list(conn.execute(insert(Provider).returning(Provider.id), rows).scalars())


def _cases(
    conn: Connection, pool: list[tuple[str, str]], n: int, providers: list[int], rng: random.Random
) -> None:
    today, now = date.today(), datetime.now(UTC)
    rows = [
        _case(rng.choice(pool), rng.choice(list(CaseStatus)), today, now, rng) for _ in range(n)
    ]
    ids = conn.execute(insert(Case).returning(Case.id, sort_by_parameter_order=True), rows)
    reached = {
        cid: (_reached(row["status"], rng), row["status"])
        for cid, row in zip(ids.scalars(), rows, strict=True)
    }
    steps: dict[str, list[dict[str, Any]]] = {k: [] for k in ("events", "consents", "screen")}
    for cid, (n_steps, status) in reached.items():
        _step_rows(steps, cid, n_steps, providers, today, now, rng)
        if status == CaseStatus.closed.value:
            last = STEPS[n_steps - 1][1] if n_steps else "applied"
            steps["events"].append(_event(cid, "close", last, "closed", "bench", now))
    for model, key in [(CaseEvent, "events"), (Consent, "consents"), (Screening, "screen")]:
        conn.execute(insert(model), steps[key])
    for model, key in [(Assessment, "assess"), (Decision, "decide"), (Referral, "link")]:
        if steps.get(key):
            conn.execute(insert(model), steps[key])
    if steps.get("followups"):
        conn.execute(insert(FollowUp), steps["followups"])
    if steps.get("plan"):
        plan_ids = conn.execute(
            insert(PlanVersion).returning(PlanVersion.id, sort_by_parameter_order=True),
            steps["plan"],
        ).scalars()
        by_case = {p["case_id"]: pid for p, pid in zip(steps["plan"], plan_ids, strict=True)}
        for c in steps.get("approve", []):
            c["plan_version_id"] = by_case[c["case_id"]]
        if steps.get("approve"):
            conn.execute(insert(Conference), steps["approve"])


def _case(
    person: tuple[str, str], status: CaseStatus, today: date, now: datetime, rng: random.Random
) -> dict[str, Any]:
    return {
        "person_id": person[0],
        "dong": person[1],
        "channel": rng.choice(["self", "family", "hospital", "ex_officio", "nhis"]),
        "applicant_name": "신청인",
        "applicant_relation": "본인",
        "status": status.value,
        "opened_on": today - timedelta(days=rng.randint(1, 400)),
        "status_since": now,
        "version_id": 1,
        "created_at": now,
        "close_note": "",
        "close_reason": "goals_met" if status is CaseStatus.closed else None,
        "due_on": None
        if status is CaseStatus.closed
        else today + timedelta(days=rng.randint(-30, 60)),
    }


def _reached(status: str, rng: random.Random) -> int:
    """How many steps after intake a case has gone through (a closed one: a random number)."""
    if status == CaseStatus.closed.value:
        return rng.randint(0, len(STEPS))
    return RANK[CaseStatus(status)]


def _step_rows(
    out: dict[str, list[dict[str, Any]]],
    cid: int,
    n_steps: int,
    providers: list[int],
    today: date,
    now: datetime,
    rng: random.Random,
) -> None:
    by = f"officer{rng.randint(0, 41)}"
    out["events"].append(_event(cid, "open", None, "applied", by, now))
    out["consents"].append(
        {
            "case_id": cid,
            "purpose": "assessment",
            "given_by": "본인",
            "given_at": now,
            "recorded_by": by,
        }
    )
    previous = "applied"
    for action, to in STEPS[:n_steps]:
        out["events"].append(_event(cid, action, previous, to, by, now))
        out.setdefault(action, []).extend(_STEP[action](cid, by, providers, today, now, rng))
        previous = to
    if n_steps == len(STEPS):
        out.setdefault("followups", []).extend(_followups(cid, today, rng))


def _event(
    cid: int, action: str, src: str | None, to: str, by: str, now: datetime
) -> dict[str, Any]:
    return {
        "case_id": cid,
        "at": now,
        "actor": by,
        "action": action,
        "from_status": src,
        "to_status": to,
        "step_days": None if src is None else 9.0,
        "detail": "",
    }


def _screen(
    cid: int, by: str, _p: list[int], _t: date, now: datetime, rng: random.Random
) -> list[dict[str, Any]]:
    items = {
        k: rng.randint(0, 2)
        for k in ("bathing", "dressing", "eating", "toilet", "walking", "continence")
    }
    return [
        {
            "case_id": cid,
            "items": items,
            "score": sum(items.values()),
            "outcome": "full_assessment",
            "note": "",
            "by": by,
            "at": now,
        }
    ]


def _assess(
    cid: int, by: str, _p: list[int], _t: date, now: datetime, rng: random.Random
) -> list[dict[str, Any]]:
    adl = {f"adl_{i}": rng.randint(1, 3) for i in range(7)}
    iadl = {f"iadl_{i}": rng.randint(1, 3) for i in range(10)}
    data = {
        "k_adl": adl,
        "k_iadl": iadl,
        "cognition": {"mmse": rng.randint(14, 30), "diagnosed_dementia": rng.random() < 0.2},
        "nutrition": {"meals_per_day": rng.randint(1, 3), "weight_loss": rng.random() < 0.3},
        "falls": {"last_year": rng.randint(0, 3), "fear": rng.random() < 0.5},
        "medical": {
            "conditions": rng.sample(["고혈압", "당뇨", "관절염", "심부전", "뇌졸중"], 2),
            "medications": rng.randint(0, 12),
            "hospital_days": rng.randint(0, 30),
        },
        "housing": {
            "stairs": True,
            "semi_basement": rng.random() < 0.1,
            "heating": "gas",
            "safety_bars": False,
        },
        "social": {"lives_alone": rng.random() < 0.4, "caregiver": "자녀", "contacts_per_week": 2},
        "income": {"basic_livelihood": rng.random() < 0.2, "basic_pension": True},
    }
    scores = {"adl": sum(adl.values()), "iadl": sum(iadl.values()), "risk": rng.randint(0, 10)}
    return [{"case_id": cid, "kind": "full", "data": data, "scores": scores, "by": by, "at": now}]


def _decide(
    cid: int, by: str, _p: list[int], today: date, now: datetime, rng: random.Random
) -> list[dict[str, Any]]:
    level = rng.choice(["low", "medium", "high"])
    return [
        {
            "case_id": cid,
            "level": level,
            "suggested_level": level,
            "reasons": "일상생활 수행에 부분 도움이 필요하고 독거로 낙상 위험이 있음",
            "reassess_on": today + timedelta(days=180),
            "by": by,
            "at": now,
        }
    ]


def _plan(
    cid: int, by: str, providers: list[int], today: date, now: datetime, rng: random.Random
) -> list[dict[str, Any]]:
    services = [
        {
            "type": t,
            "provider_id": rng.choice(providers),
            "frequency": "주 2회",
            "start": today.isoformat(),
            "end": (today + timedelta(days=180)).isoformat(),
        }
        for t in ("home_nursing", "meals", "housework")
    ]
    return [
        {
            "case_id": cid,
            "number": 1,
            "goals": ["낙상 없이 집에서 생활", "식사 규칙적으로"],
            "services": services,
            "change_note": "",
            "approved": True,
            "by": by,
            "at": now,
        }
    ]


def _approve(
    cid: int, by: str, _p: list[int], today: date, now: datetime, _r: random.Random
) -> list[dict[str, Any]]:
    people = [
        {"name": f"참석자{i}", "org": o}
        for i, o in enumerate(["구", "보건소", "동", "공단", "기관"])
    ]
    return [
        {
            "case_id": cid,
            "held_on": today,
            "participants": people,
            "agenda": "지원계획 심의",
            "minutes": "계획 1판 승인",
            "decision": "approved",
            "by": by,
            "version_id": 1,
            "created_at": now,
        }
    ]


def _link(
    cid: int, _by: str, providers: list[int], today: date, now: datetime, rng: random.Random
) -> list[dict[str, Any]]:
    return [
        {
            "case_id": cid,
            "provider_id": rng.choice(providers),
            "service_type": t,
            "status": "started",
            "note": "",
            "offered_on": today,
            "started_on": today,
            "version_id": 1,
            "created_at": now,
        }
        for t in ("home_nursing", "meals")
    ]


def _followups(cid: int, today: date, rng: random.Random) -> list[dict[str, Any]]:
    return [
        {
            "case_id": cid,
            "kind": k,
            "due_on": today + timedelta(days=rng.randint(-10, 60)),
            "assignee_org": None,
            "status": "scheduled",
            "notes": "",
            "version_id": 1,
            "created_at": datetime.now(UTC),
        }
        for k in ("phone", "visit")
    ]


_STEP = {
    "screen": _screen,
    "assess": _assess,
    "decide": _decide,
    "plan": _plan,
    "approve": _approve,
    "link": _link,
}


def append_audit(engine: Engine, n: int, rng: random.Random) -> None:
    """Append ``n`` audit rows, continuing the chain from its last link (so verify still passes)."""
    at = datetime.now(UTC) - timedelta(days=365)
    with engine.begin() as conn:
        last = conn.execute(
            select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
        ).scalar()
        prev = last or GENESIS
        for start in range(0, n, BATCH):
            rows = []
            for i in range(min(BATCH, n - start)):
                e = AuditEvent(
                    at=at + timedelta(seconds=(start + i) * 30),
                    actor=f"officer{rng.randint(0, 41)}",
                    role="dong_officer",
                    action="read",
                    resource="care_case",
                    resource_id=str(rng.randint(1, 100_000)),
                    purpose="사례 조회",
                    detail="",
                    prev_hash=prev,
                )
                e.hash = prev = _digest(e)
                rows.append(
                    {
                        c.key: getattr(e, c.key)
                        for c in AuditEvent.__table__.columns
                        if c.key != "id"
                    }
                )
            conn.execute(insert(AuditEvent), rows)


def recreate(admin_url: str, name: str) -> None:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def cases_by_dong(url: str) -> dict[str, list[int]]:
    by_dong: dict[str, list[int]] = {}
    with create_engine(url).connect() as conn:
        for cid, dong in conn.execute(select(Case.id, Case.dong)):
            by_dong.setdefault(dong, []).append(cid)
    return by_dong


def counts(url: str) -> dict[str, int]:
    tables = ["care_cases", "care_case_events", "care_assessments", "care_referrals"]
    tables += ["care_followups", "audit_events", "persons"]
    with create_engine(url).connect() as conn:
        return {
            t: int(conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()) for t in tables
        }
