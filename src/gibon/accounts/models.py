from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gibon.db import Base, TimestampMixin, utcnow


class Role(StrEnum):
    admin = "admin"
    district_team = "district_team"
    dong_officer = "dong_officer"
    visiting_professional = "visiting_professional"
    pharmacist = "pharmacist"
    provider = "provider"
    policy_analyst = "policy_analyst"
    resident = "resident"  # a resident in their own window (/my), linked to one person


ROLE_LABELS_KO: dict[Role, str] = {
    Role.admin: "관리자",
    Role.district_team: "구 통합돌봄과",
    Role.dong_officer: "동 주민센터 담당자",
    Role.visiting_professional: "방문 의료인",
    Role.pharmacist: "방문 약사",
    Role.provider: "서비스 제공기관",
    Role.policy_analyst: "정책 분석가",
    Role.resident: "주민",
}

# Roles that may see personal data at all; the policy analyst sees aggregates only, and a
# resident sees only their own (policy scope ``own``).
PERSONAL_DATA_ROLES = frozenset(Role) - {Role.policy_analyst}
STAFF_ROLES = frozenset(Role) - {Role.resident}


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    # Area scope: the dong of a dong officer; the provider or professional an account speaks for.
    dong: Mapped[str | None] = mapped_column(String(20), default=None)
    organization_id: Mapped[str | None] = mapped_column(String(64), default=None)
    # A resident account's person in the registry (persons.id); None for staff. No foreign key:
    # the demo loader replaces the registry, and a resident account must survive that.
    person_id: Mapped[str | None] = mapped_column(String(16), default=None, index=True)
    # The office phone a resident is given for their officer (window: where my application stands).
    phone: Mapped[str | None] = mapped_column(String(20), default=None)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set for an account an administrator created or reset: the first sign-in must choose a password.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    password_changed_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), default=None
    )
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    # Persons a resident account may act for besides its own (guardianships in force), loaded per
    # request by the resident's window; policy scope ``own`` admits them. Not a column.
    authorised_for = frozenset[str]()

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def sees_personal_data(self) -> bool:
        return self.role_enum in PERSONAL_DATA_ROLES


class SessionKind(StrEnum):
    cookie = "cookie"  # a browser's sign-in, sent as the gibon_sid cookie
    bearer = "bearer"  # an API client's short-lived token, sent as Authorization: Bearer


class UserSession(Base):
    """One sign-in: the browser cookie or API token holds a random id, the table its SHA-256.

    A leaked table therefore opens no session; revoking is setting ``revoked_at``.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # When the password was last checked: a renewed token never outlives the working day.
    signed_in_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoked_reason: Mapped[str | None] = mapped_column(String(32), default=None)
    client_address: Mapped[str] = mapped_column(String(64), default="")


class SignInThrottle(Base):
    """Failed sign-ins counted per account name and per client address (keys are SHA-256)."""

    __tablename__ = "sign_in_throttles"
    __table_args__ = (UniqueConstraint("scope", "key", name="uq_sign_in_throttles_scope_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(8))  # account | address
    key: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
