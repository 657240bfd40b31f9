"""Who work can be assigned to: accounts the policy lets work what is assigned to them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.access.policy import POLICY, Action, Scope
from gibon.accounts.models import ROLE_LABELS_KO, Role, User
from gibon.errors import InvalidInput


def followup_assignees(session: Session) -> dict[str, str]:
    """Organisation id -> "name (role)" of active accounts that may complete assigned follow-ups."""
    roles = [
        role.value
        for role, scope in POLICY[("care_followup", Action.change)].items()
        if scope is Scope.assigned
    ]
    users = session.scalars(
        select(User)
        .where(User.role.in_(roles), User.is_active.is_(True), User.organization_id.is_not(None))
        .order_by(User.display_name)
    )
    return {
        str(u.organization_id): f"{u.display_name} ({ROLE_LABELS_KO[Role(u.role)]})" for u in users
    }


def check_followup_assignee(session: Session, org: str | None) -> None:
    """A follow-up goes to the dong (None) or to a known visiting professional or pharmacist."""
    if not org:
        return
    known = followup_assignees(session)
    if org not in known:
        raise InvalidInput(
            "등록된 방문 의료인·약사의 기관 ID가 아닙니다. 목록에서 고르세요",
            where="assignee_org",
            example=next(iter(known), "doctor-01"),
        )
