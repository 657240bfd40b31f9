"""Measure a generated population against its targets and write calibration.md.

Measurements are additive counts, so a population streamed in chunks is measured chunk by chunk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from gibon.population import _health, _housing
from gibon.population._params import Profile, reference_date

Counts = dict[str, Any]
AGES = 101


def _household_index(households: pl.DataFrame, persons: pl.DataFrame) -> np.ndarray:
    """Row of each person's household; positional when persons come grouped (as generated)."""
    size = households["size"].to_numpy()
    if int(size.sum()) == len(persons):
        idx = np.repeat(np.arange(len(households)), size)
        ids = households["household_id"].gather(pl.Series(idx, dtype=pl.UInt32))
        if bool((ids == persons["household_id"]).all()):
            return idx
    rows = households.select("household_id").with_row_index("row")
    joined = persons.select("household_id").join(
        rows, on="household_id", how="left", maintain_order="left"
    )
    return joined["row"].to_numpy().astype(np.int64)


def measure(households: pl.DataFrame, persons: pl.DataFrame, profile: Profile) -> Counts:
    dong_index = {d: i for i, d in enumerate(profile.dongs)}
    age = (reference_date().year - persons["birth_date"].dt.year()).to_numpy().clip(0, AGES - 1)
    male = (persons["sex"] == "M").to_numpy()
    hidx = _household_index(households, persons)
    alone = households["living_alone"].to_numpy()[hidx]
    income = (
        persons.select(
            pl.sum_horizontal(
                "earned_income", "business_income", "pension_income", "property_income"
            )
        )
        .to_series()
        .to_numpy()
    )
    dong = persons["dong"].replace_strict(dong_index, return_dtype=pl.Int64).to_numpy()
    conds = persons.select(pl.col("conditions").list.len()).to_series().to_numpy()
    old = age >= 65
    working = persons["employment"].is_in(["regular", "temporary", "daily", "self_employed"])
    return {
        "persons": len(persons),
        "households": len(households),
        "persons_by_dong": np.bincount(dong, minlength=len(profile.dongs)),
        "age_sex": np.stack(
            [np.bincount(age[~male], minlength=AGES), np.bincount(age[male], minlength=AGES)]
        ),
        "alone_old": int((alone & old).sum()),
        "alone_under_40": int((alone & (age < 40)).sum()),
        "young_heads": int(((persons["relation"] == "head").to_numpy() & (age < 40)).sum()),
        "size": np.bincount(households["size"].to_numpy().clip(1, 7) - 1, minlength=7),
        "disabled": int((persons["disability"] != "none").sum()),
        "severe": int((persons["disability"] == "severe").sum()),
        "ltc": np.array([int((persons["ltc_grade"] == g).sum()) for g in _health.LTC_GRADES]),
        "tenure": np.array([int((households["tenure"] == t).sum()) for t in _housing.TENURE]),
        "housing_type": np.array(
            [int((households["housing_type"] == t).sum()) for t in _housing.HOUSING]
        ),
        "cars": int((households["asset_car"] > 0).sum()),
        "old_conditions": int(conds[old].sum()),
        "old_dementia": int((persons["conditions"].list.contains("F03").to_numpy() & old).sum()),
        "employed_15_64": int(((age >= 15) & (age <= 64) & working.to_numpy()).sum()),
        "below_livelihood_line": _below_line(households, hidx, income),
        "income_alone_sum": int(income[alone].sum()),
        "income_sum": int(income.sum()),
    }


def _below_line(households: pl.DataFrame, hidx: np.ndarray, income: np.ndarray) -> int:
    """Persons in households whose market and pension income is under the 생계급여 line.

    Income only (32 % of the 2025 기준중위소득 for the household size): no assets, no family
    support rule, no take-up, so it bounds recipients from above rather than counting them.
    """
    from gibon.population._params import params

    median = params()["welfare_check"]["median_income_2025"]
    line = np.array([0.0] + [int(median[k]) * 0.32 for k in sorted(median, key=int)])
    size = households["size"].to_numpy().clip(1, len(line) - 1)
    per_household = np.bincount(hidx, weights=income, minlength=len(households))
    return int(size[per_household < line[size]].sum())


def add(a: Counts | None, b: Counts) -> Counts:
    if a is None:
        return b
    return {k: a[k] + b[k] for k in a}


@dataclass(frozen=True)
class Figure:
    name: str
    target: float
    generated: float
    status: str
    source: str
    unit: str = ""

    @property
    def diff_pct(self) -> float:
        return 0.0 if self.target == 0 else (self.generated - self.target) / self.target * 100


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 0.0


def figures(c: Counts, profile: Profile) -> list[Figure]:
    raw, scale = profile.raw, profile.persons / profile.reference_persons
    out: list[Figure] = []

    def row(
        key: str, name: str, generated: float, unit: str = "%", target: float | None = None
    ) -> None:
        block = raw[key]
        value = float(block["value"]) if target is None else target
        out.append(Figure(name, value, generated, block["status"], block["source"], unit))

    ages = c["age_sex"].sum(0)
    old = int(ages[65:].sum())
    row("persons", "인구 (persons)", c["persons"], "persons", target=profile.persons)
    if profile.name == "gwanak" and profile.persons == profile.reference_persons:
        ref = raw["persons"]["compare_to"]
        out.append(
            Figure(
                "인구, 2024-12 주민등록 대비",
                ref["value"],
                c["persons"],
                ref["status"],
                ref["source"],
                "persons",
            )
        )
    row("age65plus_share_pct", "65세 이상 비율", _pct(old, c["persons"]))
    row("elderly_alone_share_of_65plus_pct", "독거노인 (65+ 중 1인가구)", _pct(c["alone_old"], old))
    row("disability_share_pct", "등록장애인 비율", _pct(c["disabled"], c["persons"]))
    row(
        "household_size_pct",
        "1인가구 비율",
        _pct(c["size"][0], c["households"]),
        target=float(raw["household_size_pct"]["value"][1]),
    )
    sizes = raw["household_size_pct"]["value"]
    for k in (2, 3, 4):
        row(
            "household_size_pct",
            f"{k}인가구 비율",
            _pct(c["size"][k - 1], c["households"]),
            target=float(sizes[k]),
        )
    row(
        "household_size_pct",
        "5인 이상 가구 비율",
        _pct(c["size"][4:].sum(), c["households"]),
        target=float(sizes[5]) + float(sizes[6]) + float(sizes[7]),
    )
    semi = c["housing_type"][_housing.SEMI]
    block = raw["semi_basement_households"]
    if "value" in block:
        row(
            "semi_basement_households",
            "반지하 가구",
            semi,
            "households",
            target=float(block["value"]) * scale,
        )
    else:
        out.append(
            Figure(
                "반지하 가구 비율",
                float(block["value_pct_of_households"]),
                _pct(semi, c["households"]),
                block["status"],
                block["source"],
                "%",
            )
        )
    row(
        "gosiwon_share_pct",
        "고시원 가구 비율",
        _pct(c["housing_type"][_housing.GOSIWON], c["households"]),
    )
    for i, t in enumerate(_housing.TENURE):
        row(
            "tenure_pct",
            f"점유형태: {t}",
            _pct(c["tenure"][i], c["households"]),
            target=float(raw["tenure_pct"]["value"][t]),
        )
    row("young_heads_pct", "가구주 39세 이하 가구 비율", _pct(c["young_heads"], c["households"]))
    row("ltc_share_of_65plus_pct", "장기요양 인정자 (65+ 대비)", _pct(c["ltc"].sum(), old))
    row("car_share_pct", "자동차 보유 가구 비율", _pct(c["cars"], c["households"]))
    return out + _national(c) + (_dongs(c, profile) if profile.name == "gwanak" else [])


def _national(c: Counts) -> list[Figure]:
    from gibon.population._params import params

    h = params()["health"]
    grades = h["ltc_grade_pct"]["value"]
    out = [
        Figure(
            "중증(심한) 장애 비율 (등록장애인 중)",
            float(h["severe_share_pct"]["value"]),
            _pct(c["severe"], c["disabled"]),
            h["severe_share_pct"]["status"],
            h["severe_share_pct"]["source"],
            "%",
        )
    ]
    for i, g in enumerate(_health.LTC_GRADES):
        out.append(
            Figure(
                f"장기요양 등급 {g} (인정자 중)",
                float(grades[g]),
                _pct(c["ltc"][i], c["ltc"].sum()),
                h["ltc_grade_pct"]["status"],
                h["ltc_grade_pct"]["source"],
                "%",
            )
        )
    old = int(c["age_sex"].sum(0)[65:].sum())
    out.append(
        Figure(
            "치매 (65+)",
            9.25,
            _pct(c["old_dementia"], old),
            "sourced",
            "K:health.dementia.prevalence_65plus_pct (national 2023)",
            "%",
        )
    )
    return out


def _dongs(c: Counts, profile: Profile) -> list[Figure]:
    from gibon.kit import gwanak

    rows = {r["dong"]: r for r in gwanak.stats()["dongs"]["rows"]}
    est = np.array(
        [rows[d]["est_korean_population_2024_12"] for d in profile.dongs], dtype=np.float64
    )
    target = est / est.sum() * profile.persons
    return [
        Figure(
            f"인구: {d}",
            float(t),
            float(g),
            "estimate",
            "G:dongs.rows[].est_korean_population_2024_12 (2021Q2 dong share x 2024-12 total)",
            "persons",
        )
        for d, t, g in zip(profile.dongs, target, c["persons_by_dong"], strict=True)
    ]
