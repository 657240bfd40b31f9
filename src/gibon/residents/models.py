from __future__ import annotations

from datetime import date

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gibon.db import Base


class Household(Base):
    __tablename__ = "households"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    dong: Mapped[str] = mapped_column(String(20), index=True)
    size: Mapped[int] = mapped_column(Integer)
    tenure: Mapped[str] = mapped_column(String(20))
    housing_type: Mapped[str] = mapped_column(String(20))
    deposit: Mapped[int] = mapped_column(BigInteger, default=0)
    monthly_rent: Mapped[int] = mapped_column(BigInteger, default=0)
    asset_housing: Mapped[int] = mapped_column(BigInteger, default=0)
    asset_deposits: Mapped[int] = mapped_column(BigInteger, default=0)
    asset_financial: Mapped[int] = mapped_column(BigInteger, default=0)
    asset_car: Mapped[int] = mapped_column(BigInteger, default=0)
    debt: Mapped[int] = mapped_column(BigInteger, default=0)
    living_alone: Mapped[bool] = mapped_column(Boolean, default=False)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)

    members: Mapped[list[Person]] = relationship(back_populates="household", lazy="raise")


class Person(Base):
    __tablename__ = "persons"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    household_id: Mapped[str] = mapped_column(ForeignKey("households.id"), index=True)
    dong: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(40), index=True)
    # Resident registration number: AES-GCM ciphertext, plus a keyed hash for exact lookup.
    rrn_enc: Mapped[bytes] = mapped_column(LargeBinary)
    rrn_hash: Mapped[str] = mapped_column(String(64), index=True)
    rrn_masked: Mapped[str] = mapped_column(String(14))
    birth_date: Mapped[date] = mapped_column(Date, index=True)
    sex: Mapped[str] = mapped_column(String(1))
    relation: Mapped[str] = mapped_column(String(10))
    employment: Mapped[str] = mapped_column(String(20))
    earned_income: Mapped[int] = mapped_column(BigInteger, default=0)
    business_income: Mapped[int] = mapped_column(BigInteger, default=0)
    pension_income: Mapped[int] = mapped_column(BigInteger, default=0)
    property_income: Mapped[int] = mapped_column(BigInteger, default=0)
    disability: Mapped[str] = mapped_column(String(10), default="none")
    conditions: Mapped[list[str]] = mapped_column(JSON, default=list)
    ltc_grade: Mapped[str | None] = mapped_column(String(10), default=None)
    student: Mapped[bool] = mapped_column(Boolean, default=False)

    household: Mapped[Household] = relationship(back_populates="members", lazy="raise")
