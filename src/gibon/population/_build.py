"""Assemble one chunk of the synthetic population into the two contract tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import polars as pl
import pyarrow as pa

from gibon.kit import places
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


@dataclass(frozen=True)
class _Draws:
    """Every random draw of one chunk, made in a fixed order (so a seed fixes the population)."""

    hh: _members.Households
    mem: _members.Members
    work: _work.Work
    housing: _housing.Housing
    property_income: IntArray
    health: _health.Health
    birth: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    names: pl.Series


def _draw(rng: np.random.Generator, profile: Profile) -> _Draws:
    structure = _structure.build(profile)
    hh = _members.expand(structure, rng)
    young_heads = float(profile.value("young_heads_pct"))
    mem = _members.fill(hh, structure, rng, young_heads, profile.raw.get("ages", {}))
    age, male, rel = mem.age, mem.male, mem.relation
    has_spouse = np.zeros(len(hh.size), dtype=bool)
    has_spouse[mem.household[rel == _members.SPOUSE]] = True
    partnered = has_spouse[mem.household] & (rel <= _members.SPOUSE)
    alone = hh.size[mem.household] == 1
    work = _work.draw(rng, profile, age, male, alone, mem.household, partnered & male)
    earnings = work.earned + work.business + work.pension
    income = np.bincount(mem.household, earnings, minlength=len(hh.size)).astype(np.int64)
    housing = _housing.draw(rng, profile, hh.dong, hh.size, age[rel == _members.HEAD], income)
    owner = housing.tenure[mem.household] == _housing.OWNER
    adult = age >= 19
    prop = _work.property_income(rng, profile, owner & adult & (rel <= _members.SPOUSE), adult)
    working = work.employment < _work.UNEMPLOYED
    health = _health.draw(rng, profile, age, male, partnered, working)
    # children, and men who head a family or are its husband, carry the family surname
    family = _names.surnames(rng, len(hh.size))[mem.household]
    own = ~((rel == _members.CHILD) | (male & (rel <= _members.SPOUSE)))
    surname = np.where(own, _names.surnames(rng, len(age)), family)
    birth = _birth_dates(rng, age)
    lat, lon = _geo.sample_points(rng, hh.dong)
    names = _names.names(rng, surname, male)
    return _Draws(hh, mem, work, housing, prop, health, birth, lat, lon, names)


def _households(d: _Draws, profile: Profile, hid: pl.Series) -> pl.DataFrame:
    dongs = pl.Series(profile.dongs, dtype=pl.String)
    h = d.housing
    return pl.DataFrame(
        {
            "household_id": hid,
            "dong": dongs.gather(pl.Series(d.hh.dong, dtype=pl.UInt32)),
            "size": pl.Series(d.hh.size, dtype=pl.Int64),
            "tenure": _vocab(_housing.TENURE, h.tenure),
            "housing_type": _vocab(_housing.HOUSING, h.housing_type),
            "deposit": h.deposit,
            "monthly_rent": h.monthly_rent,
            "asset_housing": h.asset_housing,
            "asset_deposits": h.asset_deposits,
            "asset_financial": h.asset_financial,
            "asset_car": h.asset_car,
            "debt": h.debt,
            "living_alone": d.hh.size == 1,
            "lat": d.lat,
            "lon": d.lon,
        }
    )


def _persons(d: _Draws, offsets: Offsets, households: pl.DataFrame) -> pl.DataFrame:
    m, w, health = d.mem, d.work, d.health
    hix = pl.Series(m.household, dtype=pl.UInt32)
    no_grade = pl.Series([None], dtype=pl.String)
    return pl.DataFrame(
        {
            "person_id": _ids("P", offsets.persons, len(m.age), 8),
            "household_id": households["household_id"].gather(hix),
            "dong": households["dong"].gather(hix),
            "birth_date": pl.Series(d.birth, dtype=pl.Date),
            "sex": _vocab(("F", "M"), m.male.astype(np.int64)),
            "relation": _vocab(_members.RELATIONS, m.relation),
            "name": d.names,
            "rrn": _rrns(offsets, d.birth, m.male),
            "employment": _vocab(_work.EMPLOYMENT, w.employment),
            "earned_income": w.earned,
            "business_income": w.business,
            "pension_income": w.pension,
            "property_income": d.property_income,
            "disability": _vocab(_health.DISABILITY, health.disability),
            "conditions": _conditions(health),
            "ltc_grade": _vocab(_health.LTC_GRADES, np.maximum(health.ltc, 0)).zip_with(
                pl.Series(health.ltc >= 0), no_grade
            ),
            "student": w.student,
            "pregnant": health.pregnant,
        }
    )


def _places(rng: np.random.Generator, profile: Profile, n: int) -> pl.DataFrame:
    """Gwanak is in Seoul; a Korea-profile household is in a 시도 drawn by registered population,
    then in a 시군구 of that 시도 drawn by its residents (``gibon.kit.places``).

    The draws use child generators, so adding them left every other draw of the chunk unchanged.
    """
    if profile.name != "korea":
        return pl.DataFrame(
            {
                "sido": pl.Series([places.HOME_SIDO] * n, dtype=pl.String),
                "sigungu": pl.Series([places.HOME_SIGUNGU] * n, dtype=pl.String),
            }
        )
    codes, shares = places.population_shares()
    (child,) = rng.spawn(1)
    pick = child.choice(len(codes), size=n, p=shares)
    (inner,) = rng.spawn(1)
    sigungu = np.empty(n, dtype=object)
    for k, code in enumerate(codes):
        idx = np.flatnonzero(pick == k)
        local, weights = places.sigungu_shares(code)
        sigungu[idx] = np.asarray(local, dtype=object)[
            inner.choice(len(local), len(idx), p=weights)
        ]
    sido = pl.Series("sido", codes, dtype=pl.String).gather(pl.Series(pick, dtype=pl.UInt32))
    return pl.DataFrame({"sido": sido, "sigungu": pl.Series(sigungu.tolist(), dtype=pl.String)})


def build_chunk(rng: np.random.Generator, profile: Profile, offsets: Offsets) -> Population:
    """One calibrated population of ``profile.persons``; ids continue from ``offsets``."""
    d = _draw(rng, profile)
    households = _households(d, profile, _ids("H", offsets.households, len(d.hh.size), 7))
    households = pl.concat([households, _places(rng, profile, households.height)], how="horizontal")
    persons = _persons(d, offsets, households)
    offsets.households += len(households)
    offsets.persons += len(persons)
    return Population(households, persons)
