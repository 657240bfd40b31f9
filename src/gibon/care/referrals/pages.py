"""Pages for the care network: a provider's referrals, a visiting professional's follow-ups."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from gibon.access.deps import FollowUpLister, ReferralInbox
from gibon.care import labels
from gibon.care.referrals import service as referrals
from gibon.web import people
from gibon.web.deps import DbSession, render

router = APIRouter(prefix="/care", include_in_schema=False)


@router.get("/referrals", response_class=HTMLResponse)
def provider_referrals(
    request: Request,
    db: DbSession,
    user: ReferralInbox,
    status: str = Query("", pattern="^(|offered|accepted|declined|started|ended)$"),
) -> Any:
    """서비스 연계 의뢰함: referrals sent to the signed-in provider."""
    rows = referrals.referrals_for_provider(db, user, status or None)
    shown = [r.case_id for r, ok, _name, _dong in rows if ok]  # consent withdrawn: nothing shown
    contacts = referrals.case_contacts(
        db, user, shown, "care_referral_list", "제공기관 의뢰 목록 (연락처·가구원)"
    )
    return render(
        request, "care/referrals.html", rows=rows, contacts=contacts, status=status, L=labels
    )


@router.get("/followups", response_class=HTMLResponse)
def followups_page(
    request: Request,
    db: DbSession,
    user: FollowUpLister,
    status: str = Query("scheduled", pattern="^(|scheduled|missed|done)$"),
) -> Any:
    """모니터링 일정: own visits for professionals, the area's follow-ups for officers."""
    rows = referrals.followups_for(db, user, status or None)
    contacts = referrals.case_contacts(
        db,
        user,
        [f.case_id for f, _c, _p in rows],
        "care_followup_list",
        "모니터링 목록 (연락처·가구원)",
    )
    return render(
        request,
        "care/followups.html",
        rows=rows,
        contacts=contacts,
        visitors=people.professionals(db),
        status=status,
        L=labels,
    )
