"""Whom a resident's window acts for: the signed-in resident, or a person a guardianship in force
names (chosen in the window, kept in a cookie, checked again on every request)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action
from gibon.accounts.models import User
from gibon.errors import InvalidInput
from gibon.residents.models import Person
from gibon.window import repository
from gibon.window.models import Guardianship

COOKIE = "gibon_acting"


@dataclass(frozen=True)
class Me:
    """The account signed in and the person the window shows and acts for."""

    user: User
    person_id: str
    guardianship: Guardianship | None  # None when acting for oneself
    grants: tuple[Guardianship, ...]  # every guardianship in force, to switch between
    names: dict[str, str]  # person id -> name, of the persons the grants name

    @property
    def for_other(self) -> bool:
        return self.guardianship is not None

    @property
    def may_act(self) -> bool:
        return self.guardianship is None or self.guardianship.scope == "act"

    @property
    def purpose_suffix(self) -> str:
        return " (대리인)" if self.for_other else ""


def me(session: Session, user: User, chosen: str | None, today: dt.date) -> Me:
    """Load the guardianships in force onto ``user`` (policy scope ``own``) and pick the person."""
    grants = tuple(repository.guardianships_in_force(session, user.id, today))
    user.authorised_for = frozenset(g.person_id for g in grants)
    pick = next((g for g in grants if str(g.id) == chosen), None)
    if pick is None and user.person_id is None:
        pick = grants[0] if grants else None
    names = {
        p.id: p.name
        for p in session.scalars(select(Person).where(Person.id.in_(user.authorised_for)))
    }
    if pick is not None:
        return Me(user, pick.person_id, pick, grants, names)
    if user.person_id is None:
        raise InvalidInput(
            "대신 볼 수 있는 분이 없어요. 대리인 기간이 끝났는지 동 주민센터에 물어보세요",
            where="대리인",
        )
    return Me(user, user.person_id, None, grants, names)


def require_act(me: Me, resource: str) -> None:
    """A guardian allowed to look only may not apply, withdraw or ask on the person's behalf."""
    if not me.may_act:
        policy.refuse(
            me.user,
            Action.create,
            resource,
            me.person_id,
            "대리인 권한이 ‘정보 보기만’이라 신청하거나 바꿀 수 없어요. 동 주민센터에 문의해 주세요",
        )
