"""Who may see which part of the crisis worklist — one function, so the district-wide access
policy can replace it in one place: a dong officer their own dong; the district team and admin
every dong; the policy analyst aggregates only (never a household)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gibon.accounts.models import Role, User
from gibon.care import scope as care_scope

AGGREGATES = frozenset({Role.admin, Role.district_team, Role.dong_officer, Role.policy_analyst})


def dong_scope(
    session: Session, user: User, dong: str | None, *, personal: bool = True
) -> str | None:
    """The dong the user may read (None = every dong); refuses and audits anything else.

    ``personal`` reads show households; aggregate reads (the quality report) admit the analyst.
    """
    roles = care_scope.CASE_ROLES if personal else AGGREGATES
    care_scope.require_role(session, user, roles, "crisis")
    if user.role_enum is Role.dong_officer:
        if not user.dong or (dong and dong != user.dong):
            care_scope.refuse(session, user, "crisis", dong)
        return user.dong
    return dong or None
