"""Young one-person households on the worklist: the youth programs the engine finds and the dong's
작은 1인가구지원센터; the UCLA 3-item loneliness screen at contact; referrals to local programs.

Services only ``flush()``; the screen and each referral are audited and leave an event row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from gibon.accounts.models import User
from gibon.audit import service as audit
from gibon.crisis import labels, repository, service, youth
from gibon.crisis.lifecycle import OPEN, Status
from gibon.crisis.models import Event, Item, Referral
from gibon.crisis.schemas import (
    CentreRead,
    LonelinessIn,
    LonelinessRead,
    ReferralIn,
    ReferralRead,
    YouthProgramRead,
    YouthRead,
)
from gibon.db import utcnow
from gibon.errors import InvalidInput, InvalidTransition


def _kst(moment: datetime) -> str:
    from gibon.crisis.work import kst

    return kst(moment)


def household_youth(session: Session, household_id: str) -> YouthRead | None:
    """The youth view when the household is a young one-person household, else None."""
    meta = repository.households_meta(session, [household_id])
    if meta.height == 0 or meta["head_birth"][0] is None:
        return None
    day = service.today()
    age = (day - meta["head_birth"][0]).days // 365
    alone = bool(meta["living_alone"][0])
    if not youth.is_young_single(alone, age):
        return None
    hh, ps = repository.household_frames(session, [household_id])
    found = youth.programs(hh, ps, day.strftime("%Y-%m"))
    c = youth.centre(str(meta["dong"][0]))
    return YouthRead(
        programs=[YouthProgramRead(**p.__dict__) for p in found],
        split_payment_note=youth.split_payment_note(age, alone, day),
        centre=CentreRead(
            name=c.name,
            place=c.place,
            address=c.address,
            programs=list(c.programs),
            programs_sourced=c.programs_sourced,
            services=c.services,
            source=c.source,
        )
        if c
        else None,
    )


def loneliness_read(item: Item) -> LonelinessRead | None:
    if item.loneliness is None or item.loneliness_score is None or item.loneliness_at is None:
        return None
    return LonelinessRead(
        answers=list(item.loneliness),
        answer_labels=[youth.UCLA_ANSWERS[a] for a in item.loneliness],
        score=item.loneliness_score,
        band=youth.ucla_band(item.loneliness_score),
        at=_kst(item.loneliness_at),
        citation=youth.UCLA_CITATION,
    )


def _open(item: Item) -> None:
    if Status(item.status) not in OPEN:
        raise InvalidTransition("닫힌 항목에는 기록할 수 없습니다", where="item_id")


def _event(session: Session, item: Item, actor: str, action: str, detail: str) -> None:
    session.add(
        Event(
            item_id=item.id,
            actor=actor,
            action=action,
            from_status=item.status,
            to_status=item.status,
            detail=detail[:500],
        )
    )


def record_loneliness(session: Session, user: User, item: Item, body: LonelinessIn) -> int:
    """The UCLA 3-item screen at contact: answers kept on the item, scored 3–9, audited."""
    _open(item)
    answers = [body.q1, body.q2, body.q3]
    score = youth.ucla_score(answers)
    item.loneliness, item.loneliness_score, item.loneliness_at = answers, score, utcnow()
    _event(session, item, user.username, "screen", f"UCLA 외로움 3문항 {score}점")
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="update",
        resource="crisis_item",
        resource_id=str(item.id),
        purpose="고립 선별 (UCLA 3문항)",
        detail=f"{score}점",
    )
    session.flush()
    return score


def refer(session: Session, user: User, item: Item, body: ReferralIn) -> Referral:
    """A referral to a local program, recorded like other referrals: what, where, who, when."""
    _open(item)
    if body.program not in labels.REFERRAL:
        raise InvalidInput(
            "알 수 없는 연계 프로그램입니다",
            where="program",
            example=" | ".join(labels.REFERRAL),
        )
    target = body.target.strip()
    if not target and body.program == "single_centre":
        c = youth.centre(item.dong)
        target = c.name if c else ""
    if not target:
        target = labels.REFERRAL[body.program]
    referral = Referral(
        item_id=item.id,
        program=body.program,
        target=target[:200],
        note=body.note.strip(),
        recorded_by=user.username,
    )
    session.add(referral)
    _event(session, item, user.username, "refer", f"{labels.REFERRAL[body.program]}: {target}")
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="create",
        resource="crisis_item",
        resource_id=str(item.id),
        purpose="지역 프로그램 연계",
        detail=f"{body.program} {target}"[:500],
    )
    session.flush()
    return referral


def referrals(session: Session, item_id: int) -> list[ReferralRead]:
    return [
        ReferralRead(
            id=r.id,
            program=r.program,
            program_label=labels.REFERRAL.get(r.program, r.program),
            target=r.target,
            note=r.note,
            at=_kst(r.at),
            recorded_by=r.recorded_by,
        )
        for r in repository.referrals(session, item_id)
    ]
