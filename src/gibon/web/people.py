"""People by name and role, never by internal id: accounts and the organisations they speak for."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import ROLE_LABELS_KO, Role, User


def directory(session: Session) -> dict[str, str]:
    """``{username or organisation id: "이름 (역할)"}`` for every account and care provider."""
    names: dict[str, str] = {}
    for user in session.scalars(select(User)):
        label = f"{user.display_name} ({ROLE_LABELS_KO.get(Role(user.role), '')})"
        names[user.username] = label
        if user.organization_id:
            names.setdefault(user.organization_id, label)
    from gibon.care.models import Provider  # the providers' own names, for referrals

    for provider in session.scalars(select(Provider)):
        names.setdefault(provider.organization_id, f"{provider.name} (서비스 제공기관)")
    from gibon.visits.engine.problem import PROFESSION_KO
    from gibon.visits.models import Staff  # the visiting roster, for route boards

    for staff in session.scalars(select(Staff)):
        job = PROFESSION_KO.get(staff.profession, "방문 전문인력")
        names.setdefault(staff.id, f"{staff.name} ({job})")
    return names


def namer(session: Session | None) -> Callable[[str | None], str]:
    """A lookup read once per page; an unknown id is shown as a neutral label, not as a code."""
    cache: dict[str, str] = {}

    def person(key: str | None) -> str:
        if not key:
            return "—"
        if not cache and session is not None:
            try:
                cache.update(directory(session))
            except Exception:  # an error page renders after its session closed
                cache["\0"] = ""
        if key in cache:
            return cache[key]
        return "시범 자료 적재(자동)" if key in ("system", "demo", "demo-loader", "gibon") else key

    return person


def professionals(session: Session) -> dict[str, str]:
    """Visiting professionals and pharmacists by the organisation id a follow-up is assigned to."""
    roles = (Role.visiting_professional.value, Role.pharmacist.value)
    rows = session.scalars(select(User).where(User.role.in_(roles), User.is_active.is_(True)))
    return {
        u.organization_id: f"{u.display_name} ({ROLE_LABELS_KO[Role(u.role)]})"
        for u in rows
        if u.organization_id
    }
