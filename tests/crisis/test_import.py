"""The bi-monthly 발굴 list: a district's own layout through a mapping, CP949 or UTF-8, each bad
row named by row and column, rejects that import again once fixed, nothing twice."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gibon.accounts.models import Role
from gibon.crisis import csvimport, intake
from gibon.crisis.models import Item, Signal
from gibon.errors import InvalidInput
from gibon.kit.crypto import Vault
from tests import factories
from tests.crisis.conftest import heads, rrn_of

MAPPING = """
encoding: cp949
date_format: "%Y%m%d"
columns: {rrn: 주민번호, indicator: 위기유형, observed_on: 기준일자}
indicators: {단전: power_cut, 건보체납: health_premium_arrears, 통신연체: telecom_arrears}
"""
TODAY = date(2026, 12, 1)


def _csv(rows: list[list[str]]) -> bytes:
    lines = ["성명,주민번호,위기유형,기준일자", *(",".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("cp949")


def _import(session: Session, vault: Vault, data: bytes, mapping: str = MAPPING):  # type: ignore[no-untyped-def]
    user = factories.make_user(session, Role.district_team)
    spec = csvimport.parse_mapping(mapping, "map.yaml")
    return intake.import_list(session, user, vault, data, spec, "list.csv", TODAY)


def test_a_cp949_list_in_the_districts_layout_imports_through_the_mapping(
    session: Session, vault: Vault, people: pl.DataFrame
) -> None:
    a, b = heads(session, n=2)
    data = _csv(
        [
            [a.name, rrn_of(people, a.id), "단전", "20261120"],
            [a.name, rrn_of(people, a.id), "건보체납", "20261115"],
            [b.name, rrn_of(people, b.id), "통신연체", "20261101"],
        ]
    )
    result = _import(session, vault, data)
    assert (result.accepted, result.rejected, result.encoding) == (3, 0, "cp949")
    stored = session.scalars(select(Signal).where(Signal.household_id == a.household_id)).all()
    assert {s.indicator for s in stored} == {"power_cut", "health_premium_arrears"}
    assert all(s.person_id == a.id for s in stored)
    item = session.scalars(select(Item).where(Item.household_id == a.household_id)).one()
    assert item.score >= 40 and {s.item_id for s in stored} == {item.id}


def test_the_resident_number_is_never_stored_in_plain_text(
    session: Session, vault: Vault, people: pl.DataFrame
) -> None:
    (a,) = heads(session, n=1)
    rrn = rrn_of(people, a.id)
    _import(session, vault, _csv([[a.name, rrn, "단전", "20261120"]]))
    for s in session.scalars(select(Signal)).all():
        text = " ".join(str(v) for v in vars(s).values())
        assert rrn not in text and rrn.replace("-", "") not in text


def test_bad_rows_are_named_by_row_and_column_and_the_good_rows_still_import(
    session: Session, vault: Vault, people: pl.DataFrame
) -> None:
    a, b = heads(session, n=2)
    data = _csv(
        [
            [a.name, rrn_of(people, a.id), "단전", "20261120"],
            [b.name, "12345", "단전", "20261120"],
            [b.name, rrn_of(people, b.id), "파산", "20261120"],
            [b.name, rrn_of(people, b.id), "단전", "20271231"],
            ["없는사람", "900101-1970001", "단전", "20261120"],
        ]
    )
    result = _import(session, vault, data)
    assert (result.accepted, result.rejected) == (1, 4)
    joined = "\n".join(result.errors)
    assert "3행 '주민번호' 열" in joined
    assert "4행 '위기유형' 열: 알 수 없는 위기정보 '파산'" in joined
    assert "5행 '기준일자' 열: 미래 날짜" in joined
    assert "6행 '주민번호' 열: 이 주민등록번호의 주민을 찾을 수 없습니다" in joined


def test_the_rejects_file_fixed_by_the_officer_imports_with_the_same_mapping(
    session: Session, vault: Vault, people: pl.DataFrame
) -> None:
    a, b = heads(session, n=2)
    first = _import(
        session,
        vault,
        _csv(
            [
                [a.name, rrn_of(people, a.id), "단전", "20261120"],
                [b.name, rrn_of(people, b.id), "단 전", "20261120"],
            ]
        ),
    )
    assert first.rejects_csv is not None and first.rejected == 1
    text = first.rejects_csv.decode("cp949")
    assert text.splitlines()[0] == "성명,주민번호,위기유형,기준일자,오류"
    fixed = text.replace("단 전", "단전").encode("cp949")
    second = _import(session, vault, fixed)
    assert (second.accepted, second.rejected, second.duplicates) == (1, 0, 0)
    again = _import(session, vault, fixed)
    assert (again.accepted, again.duplicates) == (0, 1)
    count = session.scalar(select(func.count()).select_from(Signal))
    assert count == 2


def test_a_utf8_file_is_read_when_the_mapping_says_auto(
    session: Session, vault: Vault, people: pl.DataFrame
) -> None:
    (a,) = heads(session, n=1)
    text = f"성명,주민번호,위기유형,기준일자\n{a.name},{rrn_of(people, a.id)},단전,20261120\n"
    result = _import(session, vault, text.encode("utf-8-sig"), MAPPING.replace("cp949", "auto"))
    assert (result.accepted, result.encoding) == (1, "utf-8")


def test_a_missing_column_stops_the_file_and_names_the_column() -> None:
    spec = csvimport.parse_mapping(MAPPING, "map.yaml")
    with pytest.raises(InvalidInput, match="'기준일자' 열이 없습니다"):
        csvimport.read("성명,주민번호,위기유형\n".encode("cp949"), spec, "list.csv", TODAY)


def test_a_mapping_without_the_three_columns_is_refused_with_an_example() -> None:
    with pytest.raises(InvalidInput) as err:
        csvimport.parse_mapping("columns: {rrn: 주민번호}", "map.yaml")
    assert err.value.example and "observed_on" in err.value.example
