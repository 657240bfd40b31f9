"""The calibration report: checks beside the calibrated figures, rendered as calibration.md."""

from __future__ import annotations

import numpy as np

from gibon.population._params import Profile
from gibon.population.calibration import Counts, Figure, _pct, figures


def checks(c: Counts, profile: Profile) -> list[Figure]:
    """Figures the generator does not force; shown so a reader can judge the fit."""
    from gibon.kit import gwanak

    st = gwanak.stats()
    ages = c["age_sex"].sum(0)
    n = c["persons"]
    old = int(ages[65:].sum())
    out: list[Figure] = []
    if profile.name == "gwanak":
        src = "G:age_structure.young_adults[1] (2024-06 주민등록 single-year modal ages)"
        out += [
            Figure(
                "최빈 연령 (여성)", 26, float(np.argmax(c["age_sex"][0])), "sourced", src, "years"
            ),
            Figure(
                "최빈 연령 (남성)", 28, float(np.argmax(c["age_sex"][1])), "sourced", src, "years"
            ),
        ]
        bands = st["age_structure"]["suggested_broad_bands_pct_2024"]
        for label, lo, hi in (("0-19", 0, 20), ("20-39", 20, 40), ("40-64", 40, 65)):
            out.append(
                Figure(
                    f"연령대 {label}",
                    float(bands[label]),
                    _pct(ages[lo:hi].sum(), n),
                    "estimate",
                    "G:age_structure.suggested_broad_bands_pct_2024",
                    "%",
                )
            )
        out.append(
            Figure(
                "20-39세 비율 (2021)",
                39.9,
                _pct(ages[20:40].sum(), n),
                "sourced_outdated",
                "K:housing.tenure_seoul_2030_generation_2021.gwanak_share_of_residents_aged_20_39_pct "
                "(2021; the 2024 estimate is 38)",
                "%",
            )
        )
        out.append(
            Figure(
                "19-35세 비율",
                35.3,
                _pct(ages[19:36].sum(), n),
                "sourced_outdated",
                "G:age_structure.young_adults[0] (2017 서울서베이 sample)",
                "%",
            )
        )
        out.append(
            Figure(
                "가구 수 (2020 인구총조사 일반가구)",
                259822 * n / profile.reference_persons,
                c["households"],
                "sourced_outdated",
                "G:households.census_households[0] (2020; prior only)",
                "households",
            )
        )
    out.append(
        Figure(
            "1인가구 중 39세 이하",
            35.9,
            _pct(c["alone_under_40"], c["size"][0]),
            "sourced" if profile.name == "korea" else "estimate",
            "K:income.one_person_households.2023.age_of_person_pct (national 18.6 + 17.3; Gwanak is younger)",
            "%",
        )
    )
    out += [
        Figure(
            "여성 비율",
            50.0,
            _pct(c["age_sex"][0].sum(), n),
            "estimate",
            "G:age_structure.sex_ratio_note ('roughly balanced')",
            "%",
        ),
        Figure(
            "65+ 1인당 만성질환 수",
            2.2,
            c["old_conditions"] / max(old, 1),
            "sourced",
            "K:health.multimorbidity_65plus.2023.mean (wider list of conditions than gibon models)",
            "count",
        ),
        Figure(
            "고용률 15-64",
            69.5,
            _pct(c["employed_15_64"], ages[15:65].sum()),
            "sourced",
            "K:employment.headline_2024 (national)",
            "%",
        ),
        Figure(
            "가구 월평균 시장+연금소득",
            6189166,
            c["income_sum"] / max(c["households"], 1),
            "sourced",
            "K:income.all_households_mean_2024 (national, includes transfers; Gwanak is poorer and smaller)",
            "won",
        ),
        Figure(
            "생계급여 소득선 미만 가구원 (소득만 본 상한)",
            24000 * n / profile.reference_persons,
            c["below_livelihood_line"],
            "estimate",
            "G:welfare.basic_livelihood_recipients_기초생활수급자[2].estimate_range_persons 18,000-30,000 "
            "recipients (midpoint). Income alone, no asset test: it should exceed recipients; "
            "most of the gap is students living alone and elderly people on small pensions",
            "persons",
        ),
        Figure(
            "1인가구 월평균 시장+연금소득",
            2852500,
            c["income_alone_sum"] / max(c["size"][0], 1),
            "sourced",
            "K:income.one_person_households.2024 (3,423만원/yr, national, includes transfers)",
            "won",
        ),
        Figure(
            "1인가구 월평균 소득 (서울)",
            2190000,
            c["income_alone_sum"] / max(c["size"][0], 1),
            "sourced",
            "K:income.seoul_one_person_households_2021 (219만원/month)",
            "won",
        ),
    ]
    return out


def _fmt(x: float, unit: str) -> str:
    return f"{x:,.2f}" if unit in ("%", "count") else f"{x:,.0f}"


def _table(rows: list[Figure], against: str = "target") -> list[str]:
    lines = [
        f"| figure | {against} | generated | difference | status | source |",
        "|---|---:|---:|---:|---|---|",
    ]
    for f in rows:
        unit = "" if f.unit in ("persons", "households", "won", "years", "count") else " " + f.unit
        lines.append(
            f"| {f.name} | {_fmt(f.target, f.unit)}{unit} | {_fmt(f.generated, f.unit)}{unit} | "
            f"{f.diff_pct:+.2f} % | {f.status} | {f.source} |"
        )
    return lines


def sourced_within(rows: list[Figure], tolerance_pct: float = 1.0) -> list[Figure]:
    """The sourced figures that miss their target by more than ``tolerance_pct``."""
    return [f for f in rows if f.status == "sourced" and abs(f.diff_pct) > tolerance_pct]


def render(c: Counts, profile: Profile, seed: int) -> str:
    calibrated, other = figures(c, profile), checks(c, profile)
    misses = sourced_within(calibrated + [f for f in other if f.unit == "years"])
    lines = [
        f"# 합성 인구 보정 보고서 — calibration of the synthetic population (seed {seed})",
        "",
        f"- profile: `{profile.name}` — {profile.label}; persons {c['persons']:,}; households {c['households']:,}",
        "- every person and household here is SYNTHETIC (parquet metadata `gibon.synthetic=true`).",
        *(
            []
            if profile.persons == profile.reference_persons
            else [
                f"- scaled: {profile.persons:,} of the profile's {profile.reference_persons:,} persons; "
                "count targets are scaled by the same factor and small counts carry rounding."
            ]
        ),
        "- status: sourced / sourced_outdated (a prior) / derived / estimate — see docs/data.md; "
        "sources: `G:` = gwanak_stats.yaml, `K:` = population/kr_distributions.yaml.",
        f"- sourced figures more than 1 % off target (calibrated figures and modal ages): {len(misses)}"
        + ("" if not misses else " — " + ", ".join(f.name for f in misses)),
        "",
        "## Calibrated figures (hit by exact-count allocation)",
        "",
        *_table(calibrated),
        "",
        "## Checks (not targets: the modal ages follow from the age shapes; the other rows compare "
        "with published figures for another place, year or definition, e.g. national averages)",
        "",
        *_table(other, against="reference"),
        "",
        "Foreign residents (2.8 % in 2021) are not modelled: the target is the registered Korean "
        "population, and foreigners hold a different registration number and different entitlements.",
        "",
    ]
    return "\n".join(lines)
