"""JSON API for the care network: /api/conferences, /api/providers, /api/referrals, /api/followups."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query

from gibon.access.deps import (
    ConferenceEditor,
    ConferenceHolder,
    ConferenceReader,
    FollowUpLister,
    FollowUpScheduler,
    FollowUpWorker,
    ProviderAdder,
    ProviderReader,
    ReferralEditor,
    ReferralInbox,
    ReferralOfferer,
    ReferralReader,
)
from gibon.care import plans, referrals, repository, serialize
from gibon.care.schemas import (
    ConferenceCreate,
    ConferenceUpdate,
    FollowUpCreate,
    FollowUpDone,
    Id,
    ProviderCreate,
    ReferralCreate,
    ReferralUpdate,
)
from gibon.web.deps import DbSession

conferences = APIRouter(prefix="/api/conferences", tags=["care"])
providers = APIRouter(prefix="/api/providers", tags=["care"])
referral_api = APIRouter(prefix="/api/referrals", tags=["care"])
followups = APIRouter(prefix="/api/followups", tags=["care"])
routers = [conferences, providers, referral_api, followups]


@conferences.post("", status_code=201)
def hold_conference(
    body: ConferenceCreate, db: DbSession, user: ConferenceHolder
) -> dict[str, Any]:
    """통합지원회의: participants, agenda, minutes; ``approve_plan`` approves that plan version."""
    return serialize.with_case_version(db, plans.hold_conference(db, user, body), body.case_id)


@conferences.get("/{conference_id}")
def get_conference(conference_id: Id, db: DbSession, user: ConferenceReader) -> dict[str, Any]:
    return serialize.row(plans.get_conference(db, user, conference_id))


@conferences.patch("/{conference_id}")
def update_minutes(
    conference_id: Id, body: ConferenceUpdate, db: DbSession, user: ConferenceEditor
) -> dict[str, Any]:
    return serialize.row(plans.update_minutes(db, user, conference_id, body))


@providers.get("")
def list_providers(
    db: DbSession, user: ProviderReader, service_type: str | None = Query(None, max_length=32)
) -> list[dict[str, Any]]:
    """The provider catalogue (no personal data): service types, area, capacity and current load."""
    return [
        serialize.row(p, load=repository.provider_load(db, p.id))
        for p in repository.providers(db, service_type)
    ]


@providers.post("", status_code=201)
def add_provider(body: ProviderCreate, db: DbSession, user: ProviderAdder) -> dict[str, Any]:
    return serialize.row(referrals.add_provider(db, user, body))


@referral_api.get("")
def my_referrals(
    db: DbSession,
    user: ReferralInbox,
    status: Literal["offered", "accepted", "declined", "started", "ended"] | None = None,
) -> list[dict[str, Any]]:
    """For a provider: the referrals sent to its organisation (names hidden once consent is withdrawn)."""
    return [
        serialize.row(ref, person_name=name, dong=dong, consent_active=ok)
        for ref, ok, name, dong in referrals.referrals_for_provider(db, user, status)
    ]


@referral_api.post("", status_code=201)
def offer(body: ReferralCreate, db: DbSession, user: ReferralOfferer) -> dict[str, Any]:
    return serialize.with_case_version(db, referrals.offer(db, user, body), body.case_id)


@referral_api.get("/{referral_id}")
def get_referral(referral_id: Id, db: DbSession, user: ReferralReader) -> dict[str, Any]:
    return serialize.row(referrals.get_referral(db, user, referral_id))


@referral_api.patch("/{referral_id}")
def update_referral(
    referral_id: Id, body: ReferralUpdate, db: DbSession, user: ReferralEditor
) -> dict[str, Any]:
    """accept | decline (reason) | start | end (outcome)."""
    ref = referrals.update_referral(db, user, referral_id, body)
    return serialize.with_case_version(db, ref, ref.case_id)


@followups.get("")
def list_followups(
    db: DbSession,
    user: FollowUpLister,
    status: Literal["scheduled", "missed", "done", "cancelled"] | None = None,
) -> list[dict[str, Any]]:
    """Follow-ups you may see: your own visits (visiting professionals) or your area's."""
    return [
        serialize.row(f, person_name=p.name, dong=c.dong)  # type: ignore[attr-defined]
        for f, c, p in referrals.followups_for(db, user, status)
    ]


@followups.post("", status_code=201)
def schedule(body: FollowUpCreate, db: DbSession, user: FollowUpScheduler) -> dict[str, Any]:
    return serialize.with_case_version(db, referrals.schedule(db, user, body), body.case_id)


@followups.post("/{followup_id}/done")
def complete(
    followup_id: Id, body: FollowUpDone, db: DbSession, user: FollowUpWorker
) -> dict[str, Any]:
    row = referrals.complete(db, user, followup_id, body)
    return serialize.with_case_version(db, row, row.case_id)
