"""Every rule of the simulator's web side: runs on the district, the outreach list, contacts.

Services only ``flush()``; the request owns the transaction. Planners see aggregates only; dong
officers see the households of their own dong, and every such read is audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import polars as pl
from sqlalchemy.orm import Session

from gibon import benefits
from gibon.access import policy
from gibon.access.policy import Action, Scope, Target
from gibon.accounts.models import User
from gibon.audit import service as audit
from gibon.benefits import explain as benefits_explain
from gibon.errors import InvalidInput, NotFound
from gibon.kit import clock
from gibon.residents import contact as resident_contact
from gibon.simulator import chunk, report, takeup
from gibon.simulator import reform as reform_mod
from gibon.simulator import repository as repo
from gibon.simulator import run as run_mod
from gibon.simulator.models import CLOSING, Outcome, OutreachContact, SimulationRun


def reform_from(example: str | None, text: str | None) -> tuple[reform_mod.Reform, str]:
    """A bundled example by id, or uploaded YAML text; exactly one of them."""
    if bool(example) == bool(text and text.strip()):
        raise InvalidInput(
            "예시 개혁안을 고르거나 개혁안을 올려 주세요 (둘 중 하나만)",
            where="example",
            example="gwanak_youth_basic_income",
        )
    if example:
        examples = reform_mod.examples()
        if example not in examples:
            raise InvalidInput(
                f"없는 예시 개혁안입니다: {example}", where="example", example=", ".join(examples)
            )
        text = examples[example].read_text(encoding="utf-8")
    assert text is not None
    return reform_mod.parse_text(text, "reform"), text


def run_on_district(
    session: Session,
    user: User,
    reform_text: str | None,
    example: str | None,
    month: str,
    seed: int,
) -> SimulationRun:
    spec, text = reform_from(example, reform_text)
    households, persons = repo.population_frames(session)
    if households.height == 0:
        raise NotFound("주민 자료가 아직 없습니다", where="residents", example="gibon demo load")
    res = run_mod.simulate(spec, frames=(households, persons), month=month, seed=seed)
    html = report.environment().get_template("simulator/_report.html").render(**report.context(res))
    summary = json.loads(
        json.dumps(
            {
                "meta": res.meta,
                "notices": res.notices,
                "totals": res.totals(),
                "distribution": {k: v.as_dict() for k, v in res.distribution.items()},
                "programs": res.programs.to_dicts(),
                "deciles": res.deciles.to_dicts(),
            },
            default=str,
        )
    )
    run = repo.add_run(
        session,
        SimulationRun(
            reform_name=spec.name,
            reform_yaml=text,
            month=res.meta["month"],
            seed=seed,
            created_by=user.username,
            summary=summary,
            report_html=html,
        ),
    )
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="simulate",
        resource="simulator_run",
        resource_id=str(run.id),
        purpose="정책 시뮬레이션 (집계만 저장)",
    )
    return run


def get_run(session: Session, run_id: int) -> SimulationRun:
    run = repo.get_run(session, run_id)
    if run is None:
        raise NotFound(f"정책 시뮬레이션 실행 {run_id}번이 없습니다", where="run_id")
    return run


@dataclass
class OutreachItem:
    household_id: str
    dong: str
    size: int
    head_name: str
    head_birth_year: int
    missed_amount: int
    programs: list[dict[str, Any]] = field(default_factory=list)
    last_outcome: str | None = None
    last_contact_at: str | None = None
    last_contact_by: str | None = None


def outreach_dong(
    user: User, dong: str | None, action: Action = Action.list, household: str | None = None
) -> str:
    """The dong whose households the user may see: a dong officer's own; the district team any."""
    area = policy.check(user, action, "outreach")
    if area is Scope.own_dong:
        policy.check(user, action, "outreach", Target(dong=dong or user.dong), household or dong)
        return str(user.dong)
    if not dong:
        raise InvalidInput("동을 고르세요", where="dong", example="신림동")
    return dong


def _missed(
    hh: pl.DataFrame, ent: pl.DataFrame, progs: list[Any], seed: int, rules: takeup.TakeUp
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Monthly amount missed per household, and which programs each misses."""
    keys = takeup.household_keys(hh["household_id"], seed)
    total = np.zeros(hh.height, dtype=np.int64)
    missed: dict[str, np.ndarray] = {}
    for prog in progs:
        if prog.kind not in chunk.COSTED:
            continue
        eligible = ent[f"{prog.id}_eligible"].to_numpy()
        m = eligible & (takeup.draws(keys, prog.id) >= rules.rule(prog.id).rate)
        missed[prog.id] = m
        total += np.where(m, ent[f"{prog.id}_amount"].to_numpy(), 0)
    return total, missed


def outreach_list(
    session: Session,
    user: User,
    dong: str | None,
    *,
    month: str | None = None,
    seed: int = 1,
    limit: int = 50,
    offset: int = 0,
    include_closed: bool = False,
) -> tuple[str, int, list[OutreachItem]]:
    """Households of the dong likely entitled but not receiving, most money missed first.

    Receipt is not in gibon's database: the synthetic district's receipt is the take-up draw
    (the same seed as ``gibon simulate``). A household leaves the list once an outcome closes it.
    The month is this month in Seoul unless one is named.
    """
    month = month or clock.this_month()
    dong = outreach_dong(user, dong)
    hh, ps = repo.population_frames(session, dong)
    if hh.height == 0:
        return dong, 0, []
    ent = benefits.calculate_population(hh, ps, month)
    progs = benefits.service.programs(benefits.default_system())
    total, missed = _missed(hh, ent, progs, seed, takeup.load())
    latest = repo.latest_contacts(session, dong)
    closed = {h for h, c in latest.items() if c.outcome in CLOSING}
    any_missed = np.zeros(hh.height, dtype=bool)
    for m in missed.values():
        any_missed |= m
    ids = hh["household_id"].to_numpy()
    keep = any_missed & (include_closed | ~np.isin(ids, list(closed)))
    order = [i for i in np.lexsort((ids, -total)) if keep[i]]
    page = order[offset : offset + limit]
    page_ids = [str(ids[i]) for i in page]
    names = repo.head_names(session, page_ids)
    explained = _explanations(hh, ps, page_ids, month)
    items = [_item(explained[str(ids[i])], missed, int(i), hh, total, names, latest) for i in page]
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="read",
        resource="simulator_outreach",
        resource_id=dong,
        purpose="사각지대 발굴 (찾아가는 상담 대상 목록)",
        detail=f"{len(items)} households, offset {offset}",
    )
    return dong, len(order), items


def household_missed(
    session: Session, household_id: str, month: str, seed: int = 1
) -> list[dict[str, Any]]:
    """The programs one household is entitled to but, by the same take-up draw as the outreach
    list, not receiving, each with the engine's explanation (the case page shows them).

    The caller has already checked and audited its read of the household (the case page does).
    """
    hh, ps = repo.household_frames(session, household_id)
    if hh.height == 0 or ps.height == 0:
        return []
    ent = benefits.calculate_population(hh, ps, month)
    progs = benefits.service.programs(benefits.default_system())
    _, missed = _missed(hh, ent, progs, seed, takeup.load())
    explained = _explanations(hh, ps, [household_id], month).get(household_id, [])
    return [p for p in explained if p["id"] in missed and missed[p["id"]][0]]


def _explanations(
    hh: pl.DataFrame, ps: pl.DataFrame, ids: list[str], month: str
) -> dict[str, list[dict[str, Any]]]:
    """The engine's issue-3 explanation of every program, for the listed households only."""
    if not ids:
        return {}
    chosen = pl.Series(ids).implode()
    sub_hh = hh.filter(pl.col("household_id").is_in(chosen))
    sub_ps = ps.filter(pl.col("household_id").is_in(chosen))
    sim = benefits.simulate(sub_hh, sub_ps, month)
    results = benefits_explain.results(sim, benefits.service.programs(sim.system), True)
    return {str(h): r["programs"] for h, r in zip(sub_hh["household_id"], results, strict=True)}


def _item(
    programs: list[dict[str, Any]],
    missed: dict[str, np.ndarray],
    i: int,
    hh: pl.DataFrame,
    total: np.ndarray,
    names: dict[str, tuple[str, int]],
    latest: dict[str, OutreachContact],
) -> OutreachItem:
    hid = str(hh["household_id"][i])
    chosen = [p for p in programs if p["id"] in missed and missed[p["id"]][i]]
    name, born = names.get(hid, ("", 0))
    contact = latest.get(hid)
    return OutreachItem(
        household_id=hid,
        dong=str(hh["dong"][i]),
        size=int(hh["size"][i]),
        head_name=name,
        head_birth_year=born,
        missed_amount=int(total[i]),
        programs=chosen,
        last_outcome=contact.outcome if contact else None,
        last_contact_at=contact.recorded_at.isoformat() if contact else None,
        last_contact_by=contact.recorded_by if contact else None,
    )


def outreach_contacts(
    session: Session, user: User, items: list[OutreachItem], today: date
) -> dict[str, tuple[resident_contact.Contact, str]]:
    """The head's contact and household, and who last called, for each listed household;
    audited as one read of the contacts shown (the list itself was audited by outreach_list)."""
    heads = resident_contact.heads_of(session, [it.household_id for it in items])
    people = resident_contact.contacts_for(session, heads.values(), today)
    callers = resident_contact.workers_by_username(session, [it.last_contact_by for it in items])
    out = {}
    for it in items:
        found = people.get(heads.get(it.household_id, ""))
        if found is not None:
            by = callers.get(it.last_contact_by or "")
            out[it.household_id] = (found, by or "아직 없음 (이 동 주민센터가 처음 연락합니다)")
    if items:
        audit.record_on_commit(
            session,
            actor=user.username,
            role=user.role,
            action="read",
            resource="simulator_outreach",
            resource_id=items[0].dong,
            purpose="사각지대 발굴 목록의 연락처·가구원",
            detail=f"연락처 {len(out)}가구",
        )
    return out


def record_contact(
    session: Session,
    user: User,
    household_id: str,
    outcome: str,
    programs: list[str],
    note: str = "",
) -> OutreachContact:
    try:
        value = Outcome(outcome)
    except ValueError:
        raise InvalidInput(
            "상담 결과를 목록에서 골라 주세요",
            where="outcome",
            example=" | ".join(o.value for o in Outcome),
        ) from None
    household = repo.get_household(session, household_id)
    if household is None:
        raise NotFound(f"가구 {household_id}를 찾을 수 없습니다", where="household_id")
    outreach_dong(user, household.dong, Action.change, household_id)
    known = set(benefits.PROGRAM_IDS)
    unknown = [p for p in programs if p not in known]
    if unknown:
        raise InvalidInput(f"없는 급여입니다: {unknown[0]}", where="programs", example="livelihood")
    contact = repo.add_contact(
        session,
        OutreachContact(
            household_id=household_id,
            dong=household.dong,
            programs=programs,
            outcome=value.value,
            note=note.strip()[:2000],
            recorded_by=user.username,
        ),
    )
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="write",
        resource="simulator_outreach_contact",
        resource_id=household_id,
        purpose="사각지대 발굴 상담 결과 기록",
        detail=value.value,
    )
    return contact


def contacts(session: Session, user: User, household_id: str) -> list[OutreachContact]:
    household = repo.get_household(session, household_id)
    if household is None:
        raise NotFound(f"가구 {household_id}를 찾을 수 없습니다", where="household_id")
    outreach_dong(user, household.dong, Action.list, household_id)
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="read",
        resource="simulator_outreach_contact",
        resource_id=household_id,
        purpose="사각지대 발굴 상담 이력 조회",
    )
    return repo.contacts_for(session, household_id)
