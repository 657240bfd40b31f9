from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gibon.db import Base, TimestampMixin


class Role(StrEnum):
    admin = "admin"
    district_team = "district_team"
    dong_officer = "dong_officer"
    visiting_professional = "visiting_professional"
    pharmacist = "pharmacist"
    provider = "provider"
    policy_analyst = "policy_analyst"


ROLE_LABELS_KO: dict[Role, str] = {
    Role.admin: "관리자",
    Role.district_team: "구 통합돌봄과",
    Role.dong_officer: "동 주민센터 담당자",
    Role.visiting_professional: "방문 의료인",
    Role.pharmacist: "방문 약사",
    Role.provider: "서비스 제공기관",
    Role.policy_analyst: "정책 분석가",
}

# Roles that may see personal data at all; the policy analyst sees aggregates only.
PERSONAL_DATA_ROLES = frozenset(Role) - {Role.policy_analyst}


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
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def sees_personal_data(self) -> bool:
        return self.role_enum in PERSONAL_DATA_ROLES
