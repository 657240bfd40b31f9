"""Who may see which part of the crisis worklist, as the access policy says: a dong officer their
own dong; the district team and admin every dong; the policy analyst aggregates only (never a
household)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gibon.access import policy
from gibon.access.policy import Action, Scope
from gibon.accounts.models import User


def dong_scope(
    session: Session, user: User, dong: str | None, *, personal: bool = True
) -> str | None:
    """The dong the user may read (None = every dong); refuses (audited apart) anything else.

    ``personal`` reads show households (``crisis_item``); aggregate reads (the quality report,
    ``crisis_quality``) admit the analyst.
    """
    action, resource = (Action.list, "crisis_item") if personal else (Action.view, "crisis_quality")
    policy.check(user, action, resource)
    # A dong officer's reads, aggregates too, stay in their own dong as before.
    if policy.scope_of(user, Action.list, "crisis_item") is Scope.own_dong:
        if not user.dong or (dong and dong != user.dong):
            policy.refuse(user, action, resource, dong)
        return user.dong
    return dong or None
