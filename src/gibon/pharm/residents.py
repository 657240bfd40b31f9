"""Finding the resident a pharmacist visits: by name, birth date or resident number, shown by name.

A search by resident number arrives in a POST body only, is compared through the keyed hash (or the
stored masked form) and is never written to a URL or to the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from gibon.accounts.models import User
from gibon.errors import InvalidInput
from gibon.kit import dates
from gibon.kit.crypto import Vault
from gibon.pharm import repository
from gibon.residents import contact
from gibon.residents.models import Person

SEARCH_EXAMPLE = "김영희, 1944-03-02 (또는 19440302), 440302-2******"
_FULL_RRN = re.compile(r"^\d{6}-?\d{7}$")
_MASKED_RRN = re.compile(r"^(\d{6})(?:-?(\d)\**)?$")
_DATE_LIKE = re.compile(r"^\d{4}[-./ ]?\d{1,2}[-./ ]?\d{1,2}\.?$")


@dataclass(frozen=True)
class ResidentRow:
    id: str
    name: str
    age: int
    sex: str
    dong: str
    address: str
    rrn_masked: str


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def address(person: Person) -> str:
    """The resident's synthetic address (gibon.residents.contact, the same on every page).

    gibon's residents are synthetic and carry no address; this one is derived from the household id
    so that a visit list can show where to go, and is never a real person's address.
    """
    return contact.synthetic_address(person.household_id, person.dong)


def row(person: Person, today: date) -> ResidentRow:
    return ResidentRow(
        person.id,
        person.name,
        age_on(person.birth_date, today),
        "여" if person.sex == "F" else "남",
        person.dong,
        address(person),
        person.rrn_masked,
    )


def search(db: Session, user: User, vault: Vault, query: str, today: date) -> list[ResidentRow]:
    """Residents by name (or its beginning), birth date, full or masked resident number."""
    del user  # every pharm user may search; the read is audited by the caller's policy
    q = " ".join(query.split())
    if len(q) < 2:
        raise InvalidInput("두 글자 이상 입력하세요", where="검색어", example=SEARCH_EXAMPLE)
    if _FULL_RRN.match(q):
        found = repository.persons_by_rrn_hash(db, vault.lookup_hash(q))
    elif masked := _MASKED_RRN.match(q):
        found = repository.persons_by_masked_rrn(db, f"{masked.group(1)}-{masked.group(2) or ''}")
    elif _DATE_LIKE.match(q):
        found = repository.persons_born(db, dates.parse(q, "생년월일"))
    else:
        found = repository.persons_named(db, q)
    return [row(p, today) for p in found]


def kind(query: str) -> str:
    """What was searched, for the audit log (never the number itself)."""
    q = " ".join(query.split())
    if _FULL_RRN.match(q) or _MASKED_RRN.match(q):
        return "주민등록번호"
    return "생년월일" if _DATE_LIKE.match(q) else "이름"
