"""Every query of the resident's window on its own tables."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import User
from gibon.window.models import Guardianship, ResidentRequest


def guardianships_in_force(session: Session, user_id: int, today: date) -> list[Guardianship]:
    query = select(Guardianship).where(
        Guardianship.guardian_user_id == user_id,
        Guardianship.revoked_at.is_(None),
        Guardianship.starts_on <= today,
        Guardianship.ends_on >= today,
    )
    return list(session.scalars(query.order_by(Guardianship.id)))


def guardianships(session: Session, dong: str | None, limit: int = 200) -> list[Guardianship]:
    """Newest first; ``dong`` None for every dong (the guardianship holds no dong: see service)."""
    del dong
    query = select(Guardianship).order_by(Guardianship.id.desc()).limit(limit)
    return list(session.scalars(query))


def guardianships_for(session: Session, person_id: str) -> list[Guardianship]:
    query = select(Guardianship).where(Guardianship.person_id == person_id)
    return list(session.scalars(query.order_by(Guardianship.id.desc())))


def requests_of(session: Session, person_id: str) -> list[ResidentRequest]:
    query = select(ResidentRequest).where(ResidentRequest.person_id == person_id)
    return list(session.scalars(query.order_by(ResidentRequest.id.desc())))


def queue(
    session: Session, kinds: tuple[str, ...], dong: str | None, status: str | None, limit: int
) -> list[ResidentRequest]:
    query = select(ResidentRequest).where(ResidentRequest.kind.in_(kinds))
    if dong:
        query = query.where(ResidentRequest.dong == dong)
    if status:
        query = query.where(ResidentRequest.status == status)
    return list(session.scalars(query.order_by(ResidentRequest.id.desc()).limit(limit)))


def get_request(session: Session, request_id: int) -> ResidentRequest | None:
    return session.get(ResidentRequest, request_id, with_for_update=True)


def users_by_ids(session: Session, user_ids: set[int]) -> list[User]:
    if not user_ids:
        return []
    return list(session.scalars(select(User).where(User.id.in_(user_ids))))


def users_by_usernames(session: Session, usernames: set[str]) -> list[User]:
    if not usernames:
        return []
    return list(session.scalars(select(User).where(User.username.in_(usernames))))


def open_for_case(session: Session, case_id: int) -> list[ResidentRequest]:
    """The resident's open requests and notices about one case (shown on the case page)."""
    query = select(ResidentRequest).where(
        ResidentRequest.case_id == case_id, ResidentRequest.status == "open"
    )
    return list(session.scalars(query.order_by(ResidentRequest.id)))
