"""JSON API for the care network: /api/conferences, /api/providers, /api/referrals, /api/followups."""

from __future__ import annotations

from typing import Literal

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
from gibon.care import repository, serialize
from gibon.care._schema_base import Id
from gibon.care.plans import service as plans
from gibon.care.plans.schemas import ConferenceCreate, ConferenceRead, ConferenceUpdate
from gibon.care.referrals import service as referrals
from gibon.care.referrals.schemas import (
    FollowUpCreate,
    FollowUpDone,
    FollowUpRead,
    ProviderCreate,
    ProviderRead,
    ReferralCreate,
    ReferralRead,
    ReferralUpdate,
)
from gibon.web.deps import DbSession

conferences = APIRouter(prefix="/api/conferences", tags=["care"])
providers = APIRouter(prefix="/api/providers", tags=["care"])
referral_api = APIRouter(prefix="/api/referrals", tags=["care"])
followups = APIRouter(prefix="/api/followups", tags=["care"])
routers = [conferences, providers, referral_api, followups]


@conferences.post("", status_code=201, response_model=ConferenceRead)
def hold_conference(
    body: ConferenceCreate, db: DbSession, user: ConferenceHolder
) -> ConferenceRead:
    """통합지원회의: participants, agenda, minutes; ``approve_plan`` approves that plan version."""
    row = plans.hold_conference(db, user, body)
    return serialize.with_case_version(db, ConferenceRead, row, body.case_id)


@conferences.get("/{conference_id}", response_model=ConferenceRead)
def get_conference(conference_id: Id, db: DbSession, user: ConferenceReader) -> ConferenceRead:
    return serialize.read(ConferenceRead, plans.get_conference(db, user, conference_id))


@conferences.patch("/{conference_id}", response_model=ConferenceRead)
def update_minutes(
    conference_id: Id, body: ConferenceUpdate, db: DbSession, user: ConferenceEditor
) -> ConferenceRead:
    return serialize.read(ConferenceRead, plans.update_minutes(db, user, conference_id, body))


@providers.get("", response_model=list[ProviderRead])
def list_providers(
    db: DbSession, user: ProviderReader, service_type: str | None = Query(None, max_length=32)
) -> list[ProviderRead]:
    """The provider catalogue (no personal data): service types, area, capacity and current load."""
    return [
        serialize.read(ProviderRead, p, load=repository.provider_load(db, p.id))
        for p in repository.providers(db, service_type)
    ]


@providers.post("", status_code=201, response_model=ProviderRead)
def add_provider(body: ProviderCreate, db: DbSession, user: ProviderAdder) -> ProviderRead:
    return serialize.read(ProviderRead, referrals.add_provider(db, user, body))


@referral_api.get("", response_model=list[ReferralRead])
def my_referrals(
    db: DbSession,
    user: ReferralInbox,
    status: Literal["offered", "accepted", "declined", "started", "ended"] | None = None,
) -> list[ReferralRead]:
    """For a provider: the referrals sent to its organisation (names hidden once consent is withdrawn)."""
    return [
        serialize.read(ReferralRead, ref, person_name=name, dong=dong, consent_active=ok)
        for ref, ok, name, dong in referrals.referrals_for_provider(db, user, status)
    ]


@referral_api.post("", status_code=201, response_model=ReferralRead)
def offer(body: ReferralCreate, db: DbSession, user: ReferralOfferer) -> ReferralRead:
    row = referrals.offer(db, user, body)
    return serialize.with_case_version(db, ReferralRead, row, body.case_id)


@referral_api.get("/{referral_id}", response_model=ReferralRead)
def get_referral(referral_id: Id, db: DbSession, user: ReferralReader) -> ReferralRead:
    return serialize.read(ReferralRead, referrals.get_referral(db, user, referral_id))


@referral_api.patch("/{referral_id}", response_model=ReferralRead)
def update_referral(
    referral_id: Id, body: ReferralUpdate, db: DbSession, user: ReferralEditor
) -> ReferralRead:
    """accept | decline (reason) | start | end (outcome)."""
    ref = referrals.update_referral(db, user, referral_id, body)
    return serialize.with_case_version(db, ReferralRead, ref, ref.case_id)


@followups.get("", response_model=list[FollowUpRead])
def list_followups(
    db: DbSession,
    user: FollowUpLister,
    status: Literal["scheduled", "missed", "done", "cancelled"] | None = None,
) -> list[FollowUpRead]:
    """Follow-ups you may see: your own visits (visiting professionals) or your area's."""
    return [
        serialize.read(FollowUpRead, f, person_name=p.name, dong=c.dong)
        for f, c, p in referrals.followups_for(db, user, status)
    ]


@followups.post("", status_code=201, response_model=FollowUpRead)
def schedule(body: FollowUpCreate, db: DbSession, user: FollowUpScheduler) -> FollowUpRead:
    row = referrals.schedule(db, user, body)
    return serialize.with_case_version(db, FollowUpRead, row, body.case_id)


@followups.post("/{followup_id}/done", response_model=FollowUpRead)
def complete(
    followup_id: Id, body: FollowUpDone, db: DbSession, user: FollowUpWorker
) -> FollowUpRead:
    row = referrals.complete(db, user, followup_id, body)
    return serialize.with_case_version(db, FollowUpRead, row, row.case_id)
