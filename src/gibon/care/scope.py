"""Who may see or change what: role and area scope, with every refusal audited.

dong officer: cases of their own dong; district team and admin: every case; provider: only the
referrals sent to its organisation; visiting professional / pharmacist: only the follow-ups
assigned to them; policy analyst: aggregates only, never a person.
"""

from __future__ import annotations

from typing import NoReturn

from sqlalchemy.orm import Session

from gibon.accounts.models import Role, User
from gibon.audit import service as audit
from gibon.care._rows import CaseFields
from gibon.care.models import FollowUp, Referral
from gibon.errors import Forbidden

DISTRICT_WIDE = frozenset({Role.admin, Role.district_team})
CASE_ROLES = DISTRICT_WIDE | {Role.dong_officer}
VISITING = frozenset({Role.visiting_professional, Role.pharmacist})
AGGREGATE_ROLES = CASE_ROLES | {Role.policy_analyst}


def refuse(session: Session, user: User, what: str, resource_id: str | None = None) -> NoReturn:
    """Record the refusal in its own commit (so the rollback of the request keeps it) and 403."""
    audit.record_on_commit(
        session,
        actor=user.username,
        role=user.role,
        action="denied",
        resource=what,
        resource_id=resource_id,
    )
    session.commit()
    raise Forbidden(
        "이 작업을 할 권한이 없습니다 (not permitted for your role or area)", where=what
    )


def require_role(session: Session, user: User, roles: frozenset[Role], what: str) -> None:
    if user.role_enum not in roles:
        refuse(session, user, what)


def dong_filter(session: Session, user: User, what: str) -> str | None:
    """The dong a case list is limited to (None = all); refuses roles that see no case lists."""
    require_role(session, user, CASE_ROLES, what)
    return user.dong if user.role_enum is Role.dong_officer else None


def can_work(user: User, case: CaseFields) -> bool:
    role = user.role_enum
    return role in DISTRICT_WIDE or (role is Role.dong_officer and case.dong == user.dong)


def require_case(session: Session, user: User, case: CaseFields, what: str = "care_case") -> None:
    if not can_work(user, case):
        refuse(session, user, what, str(case.id))


def provider_owns(user: User, referral: Referral) -> bool:
    return (
        user.role_enum is Role.provider
        and bool(user.organization_id)
        and (referral.provider.organization_id == user.organization_id)
    )


def assigned(user: User, followup: FollowUp) -> bool:
    return (
        user.role_enum in VISITING
        and bool(user.organization_id)
        and (followup.assignee_org == user.organization_id)
    )
