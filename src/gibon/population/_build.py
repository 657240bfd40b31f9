"""Assemble one chunk of the synthetic population into the two contract tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import polars as pl
import pyarrow as pa

from gibon.population import _geo, _health, _housing, _members, _names, _structure, _work, rrn
from gibon.population._alloc import IntArray
from gibon.population._params import Profile, reference_date


class Population(NamedTuple):
    households: pl.DataFrame
    persons: pl.DataFrame


@dataclass
class Offsets:
    """Where the next chunk's ids start, and the RRN serials already handed out."""

    households: int = 0
    persons: int = 0
    serials: rrn.SerialCounter = field(default_factory=rrn.SerialCounter)


def _vocab(values: tuple[str, ...], index: IntArray) -> pl.Series:
    return pl.Series(values, dtype=pl.String).gather(pl.Series(index, dtype=pl.UInt32))


def _ids(prefix: str, start: int, n: int, width: int) -> pl.Series:
    nums = pl.Series(np.arange(start + 1, start + n + 1, dtype=np.int64))
    return (prefix + nums.cast(pl.String).str.zfill(width)).alias("id")


def _birth_dates(rng: np.random.Generator, age: IntArray) -> np.ndarray:
    year = reference_date().year - age  # the reference date is 31 December
    jan1 = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days: np.ndarray = jan1 + (rng.random(len(age)) * np.where(leap, 366, 365)).astype(
        "timedelta64[D]"
    )
    return days


def _rrns(offsets: Offsets, birth: np.ndarray, male: np.ndarray) -> pl.Series:
    year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    month = birth.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    day_index = (birth - np.datetime64("1900-01-01")).astype(np.int64)
    serial = offsets.serials.take(day_index, male)
    return rrn.make(year, month, day, male, serial)


def _conditions(health: _health.Health) -> pl.Series:
    """A list column built from offsets and values (far faster than per-row list expressions)."""
    codes = list(health.conditions)
    flags = np.stack([health.conditions[c] for c in codes], axis=1)
    _, cols = np.nonzero(flags)  # row-major: each person's codes in table order
    offsets = np.zeros(len(flags) + 1, dtype=np.int32)
    np.cumsum(flags.sum(1), out=offsets[1:])
    values = pl.Series(codes, dtype=pl.String).gather(pl.Series(cols, dtype=pl.UInt32)).to_arrow()
    lists = pa.ListArray.from_arrays(pa.array(offsets), values.cast(pa.string()))
    series = pl.from_arrow(lists)
    assert isinstance(series, pl.Series)
    return series.alias("conditions")


def build_chunk(rng: np.random.Generator, profile: Profile, offsets: Offsets) -> Population:
    structure = _structure.build(profile)
    hh = _members.expand(structure, rng)
    mem = _members.fill(
        hh, structure, rng, float(profile.value("young_heads_pct")), profile.raw.get("ages", {})
    )
    n_h, n_p = len(hh.size), len(mem.age)
    age, male, rel = mem.age, mem.male, mem.relation
    work = _work.draw(rng, age, male, hh.size[mem.household] == 1)
    income = np.bincount(
        mem.household, work.earned + work.business + work.pension, minlength=n_h
    ).astype(np.int64)
    head_age = age[rel == _members.HEAD]
    housing = _housing.draw(rng, profile, hh.dong, hh.size, head_age, income)
    owner = housing.tenure[mem.household] == _housing.OWNER
    adult = age >= 19
    prop = _work.property_income(rng, owner & adult & (rel <= _members.SPOUSE), adult)
    has_spouse = np.zeros(n_h, dtype=bool)
    has_spouse[mem.household[rel == _members.SPOUSE]] = True
    partnered = has_spouse[mem.household] & (rel <= _members.SPOUSE)
    health = _health.draw(rng, profile, age, male, partnered)
    family = _names.surnames(rng, n_h)[mem.household]
    own = ~((rel == _members.CHILD) | (male & (rel <= _members.SPOUSE)))
    surname = np.where(own, _names.surnames(rng, n_p), family)
    birth = _birth_dates(rng, age)
    lat, lon = _geo.sample_points(rng, hh.dong)
    dongs = pl.Series(profile.dongs, dtype=pl.String)
    hid = _ids("H", offsets.households, n_h, 7)
    households = pl.DataFrame(
        {
            "household_id": hid,
            "dong": dongs.gather(pl.Series(hh.dong, dtype=pl.UInt32)),
            "size": pl.Series(hh.size, dtype=pl.Int64),
            "tenure": _vocab(_housing.TENURE, housing.tenure),
            "housing_type": _vocab(_housing.HOUSING, housing.housing_type),
            "deposit": housing.deposit,
            "monthly_rent": housing.monthly_rent,
            "asset_housing": housing.asset_housing,
            "asset_deposits": housing.asset_deposits,
            "asset_financial": housing.asset_financial,
            "asset_car": housing.asset_car,
            "debt": housing.debt,
            "living_alone": hh.size == 1,
            "lat": lat,
            "lon": lon,
        }
    )
    hix = pl.Series(mem.household, dtype=pl.UInt32)
    persons = pl.DataFrame(
        {
            "person_id": _ids("P", offsets.persons, n_p, 8),
            "household_id": hid.gather(hix),
            "dong": households["dong"].gather(hix),
            "birth_date": pl.Series(birth, dtype=pl.Date),
            "sex": _vocab(("F", "M"), male.astype(np.int64)),
            "relation": _vocab(_members.RELATIONS, rel),
            "name": pl.Series(_names.names(rng, surname, male), dtype=pl.String),
            "rrn": _rrns(offsets, birth, male),
            "employment": _vocab(_work.EMPLOYMENT, work.employment),
            "earned_income": work.earned,
            "business_income": work.business,
            "pension_income": work.pension,
            "property_income": prop,
            "disability": _vocab(_health.DISABILITY, health.disability),
            "conditions": _conditions(health),
            "ltc_grade": _vocab(_health.LTC_GRADES, np.maximum(health.ltc, 0)).zip_with(
                pl.Series(health.ltc >= 0), pl.Series([None], dtype=pl.String)
            ),
            "student": work.student,
            "pregnant": health.pregnant,
        }
    )
    offsets.households += n_h
    offsets.persons += n_p
    return Population(households, persons)
