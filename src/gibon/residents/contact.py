"""Contact and context for the next call or visit: address, phone, age, household, worker.

The synthetic population carries no address or telephone, so both are derived here, the same
way every time, from the household's and person's ids: an address inside the household's dong on
an invented road ("가상로"), and a mobile number in the 010-0xxx block, which is never issued
to a subscriber. Pages show them with a "가상 주소" / "가상 번호" mark. Reading them is a read
of personal data: the calling service audits it together with the page it serves.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from gibon.accounts.models import ROLE_LABELS_KO, Role, User
from gibon.residents.models import Household, Person

RELATION_KO = {
    "head": "가구주",
    "spouse": "배우자",
    "child": "자녀",
    "parent": "부모",
    "other": "기타",
}
SYNTHETIC_NOTE = "가상 주소·번호 (합성 인구라 실제 주소·전화번호가 없습니다)"


@dataclass(frozen=True)
class Member:
    name: str
    relation: str
    age: int


@dataclass(frozen=True)
class Contact:
    """What an officer, provider or visitor needs to reach the resident, in Korean."""

    person_id: str
    name: str
    age: int
    address: str
    phone: str
    household_size: int
    members: list[Member] = field(default_factory=list)
    synthetic: bool = True


def _digits(key: str, salt: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{salt}:{key}".encode()).digest()[:8], "big")


def synthetic_address(household_id: str, dong: str) -> str:
    """A made-up road address inside the household's dong, stable for the household id.

    Every page that shows where a resident lives (care, 방문약료, 의료드림) uses this one.
    """
    n = _digits(household_id, "address")
    return f"서울특별시 관악구 가상로{1 + n % 40}길 {1 + (n >> 8) % 120} ({dong})"


def synthetic_phone(person_id: str) -> str:
    """A mobile number in 010-0xxx-xxxx: a block never issued, so it can reach no one."""
    n = _digits(person_id, "phone")
    return f"010-0{n % 1000:03d}-{(n >> 12) % 10000:04d}"


def age_on(birth: date, today: date) -> int:
    """만 나이 on ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def contacts_for(session: Session, person_ids: Iterable[str], today: date) -> dict[str, Contact]:
    """Contact and household for each person, in two queries however many rows a list has."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    people = {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))}
    hh_ids = sorted({p.household_id for p in people.values()})
    households = {
        h.id: h for h in session.scalars(select(Household).where(Household.id.in_(hh_ids)))
    }
    members: dict[str, list[Person]] = {}
    rows = session.scalars(
        select(Person).where(Person.household_id.in_(hh_ids)).order_by(Person.birth_date)
    )
    for m in rows:
        members.setdefault(m.household_id, []).append(m)
    out = {}
    for pid, p in people.items():
        hh = households[p.household_id]
        out[pid] = Contact(
            person_id=pid,
            name=p.name,
            age=age_on(p.birth_date, today),
            address=synthetic_address(hh.id, hh.dong),
            phone=synthetic_phone(pid),
            household_size=len(members.get(hh.id, [])) or hh.size,
            members=[
                Member(m.name, RELATION_KO.get(m.relation, "기타"), age_on(m.birth_date, today))
                for m in members.get(hh.id, [])
                if m.id != pid
            ],
        )
    return out


def contact_for(session: Session, person_id: str, today: date) -> Contact | None:
    return contacts_for(session, [person_id], today).get(person_id)


def heads_of(session: Session, household_ids: Iterable[str]) -> dict[str, str]:
    """The head's person id per household (the one an outreach call asks for)."""
    ids = sorted(set(household_ids))
    if not ids:
        return {}
    q = select(Person.household_id, Person.id).where(
        Person.household_id.in_(ids), Person.relation == "head"
    )
    return {h: p for h, p in session.execute(q)}


def worker_label(user: User | None, dong: str | None = None) -> str:
    """Name and role, never an id; an unassigned case names the dong office that holds it."""
    if user is None:
        return f"{dong} 주민센터 (담당자 미지정)" if dong else "담당자 미지정"
    return f"{user.display_name} ({ROLE_LABELS_KO.get(Role(user.role), '직원')})"


def workers_by_id(session: Session, user_ids: Iterable[int | None]) -> dict[int, str]:
    ids = sorted({i for i in user_ids if i is not None})
    if not ids:
        return {}
    return {u.id: worker_label(u) for u in session.scalars(select(User).where(User.id.in_(ids)))}


def workers_by_username(session: Session, usernames: Iterable[str | None]) -> dict[str, str]:
    names = sorted({n for n in usernames if n})
    if not names:
        return {}
    q = select(User).where(User.username.in_(names))
    return {u.username: worker_label(u) for u in session.scalars(q)}
