"""Care's role-and-area questions, answered by the one access policy (``gibon.access.policy``).

Kept for the care modules (and crisis) that ask by role set; a refusal is a ``policy.Refused``,
raised and not written here: the edge that owns the transaction audits it apart. dong officer:
cases of their own dong; district team and admin: every case; provider: referrals sent to its
organisation; visiting professional / pharmacist: the follow-ups assigned to them; policy
analyst: aggregates only.
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Target
from gibon.accounts.models import Role, User
from gibon.care._rows import CaseFields
from gibon.care.models import FollowUp

DISTRICT_WIDE = frozenset({Role.admin, Role.district_team})
CASE_ROLES = DISTRICT_WIDE | {Role.dong_officer}
VISITING = frozenset({Role.visiting_professional, Role.pharmacist})
AGGREGATE_ROLES = CASE_ROLES | {Role.policy_analyst}


def refuse(session: Session, user: User, what: str, resource_id: str | None = None) -> NoReturn:
    policy.refuse(user, Action.change, what, resource_id)


def require_role(session: Session, user: User, roles: frozenset[Role], what: str) -> None:
    if user.role_enum not in roles:
        refuse(session, user, what)


def dong_filter(session: Session, user: User, what: str) -> str | None:
    """The dong a case list is limited to (None = all); refuses roles that see no case lists."""
    require_role(session, user, CASE_ROLES, what)
    return user.dong if user.role_enum is Role.dong_officer else None


def can_work(user: User, case: CaseFields) -> bool:
    return policy.permits(user, Action.change, "care_case", Target(dong=case.dong))


def require_case(session: Session, user: User, case: CaseFields, what: str = "care_case") -> None:
    if not can_work(user, case):
        refuse(session, user, what, str(case.id))


def provider_owns(user: User, organization_id: str | None) -> bool:
    """Whether the user is the provider (organisation) a referral was sent to."""
    return (
        user.role_enum is Role.provider
        and bool(user.organization_id)
        and (organization_id == user.organization_id)
    )


def assigned(user: User, followup: FollowUp) -> bool:
    return (
        user.role_enum in VISITING
        and bool(user.organization_id)
        and (followup.assignee_org == user.organization_id)
    )
