from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gibon.population import Population, is_synthetic_rrn, is_valid_rrn, rrn


def _one(born: date, male: bool, serial: int) -> str:
    series = rrn.make(
        np.array([born.year]),
        np.array([born.month]),
        np.array([born.day]),
        np.array([male]),
        np.array([serial]),
    )
    return str(series[0])


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    male=st.booleans(),
    serial=st.integers(0, rrn.PER_DAY_AND_SEX - 1),
)
def test_every_generated_number_is_format_valid_and_marked_synthetic(
    born: date, male: bool, serial: int
) -> None:
    number = _one(born, male, serial)
    assert is_valid_rrn(number) and is_synthetic_rrn(number)
    assert number[:6] == born.strftime("%y%m%d")
    assert number[7] == str((1 if born.year < 2000 else 3) + (0 if male else 1))


@given(
    born=st.dates(min_value=date(1925, 1, 1), max_value=date(2024, 12, 31)), pos=st.integers(0, 12)
)
def test_changing_any_digit_breaks_the_check_digit_or_the_date(born: date, pos: int) -> None:
    number = _one(born, True, 17)
    digits = number.replace("-", "")
    changed = digits[:pos] + str((int(digits[pos]) + 1) % 10) + digits[pos + 1 :]
    assert not is_synthetic_rrn(changed[:6] + "-" + changed[6:])


def test_a_valid_number_without_the_mark_is_not_synthetic() -> None:
    first12 = "900101" + "1" + "23456"  # regional-code style serial, not 96-99
    real_style = f"{first12[:6]}-{first12[6:]}{rrn.check_digit(first12)}"
    assert is_valid_rrn(real_style)
    assert not is_synthetic_rrn(real_style)


def test_malformed_numbers_are_invalid() -> None:
    for bad in ("", "9001011234567", "900230-1960003", "900101-5960000", "abcdef-1234567", None):
        assert not is_valid_rrn(bad)  # type: ignore[arg-type]


def test_every_resident_of_the_district_has_a_unique_synthetic_number_matching_birth_and_sex(
    district: Population,
) -> None:
    p = district.persons
    assert p["rrn"].n_unique() == len(p)
    assert p["rrn"].str.contains(r"^\d{6}-[1-4]9[6-9]\d{4}$").all()
    assert all(is_synthetic_rrn(x) for x in p["rrn"].sample(2_000, seed=1))
    assert (p["rrn"].str.slice(0, 6) == p["birth_date"].dt.strftime("%y%m%d")).all()
    male_digit = p["rrn"].str.slice(7, 1).is_in(["1", "3"])
    assert (male_digit == (p["sex"] == "M")).all()


def test_serials_stay_unique_per_birth_day_across_calls() -> None:
    counter = rrn.SerialCounter()
    a = counter.take(np.array([10, 10, 11]), np.array([True, True, True]))
    b = counter.take(np.array([10, 11]), np.array([True, False]))
    assert a.tolist() == [0, 1, 0] and b.tolist() == [2, 0]
