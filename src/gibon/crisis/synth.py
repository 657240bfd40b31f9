"""A synthetic signal stream for the synthetic district, with a hidden ground truth.

Pure (no database): give it the households (household_id, dong, living_alone, head_age, income)
and it draws who falls into a real crisis in which month, then what each source would have said:
the bi-monthly 발굴 list (mostly right, ~12 % not needed), smart plugs and AI calls (thousands of
alerts, a few real), reports and registry events. Rates and their status live in synth.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl
import yaml

from gibon.crisis import indicators

# Which list items a real crisis tends to show, by household group (estimate: relative weights).
_LIST_MIX = {
    "elder_alone": {"power_cut": 2, "utility_arrears": 3, "health_premium_arrears": 3,
                    "head_death": 1, "catastrophic_medical": 2, "management_fee_arrears": 2},
    "young_alone": {"telecom_arrears": 3, "financial_arrears": 3, "employment_crisis": 3,
                    "health_premium_arrears": 2, "public_rent_arrears": 1, "gas_cut": 1},
    "other": {"health_premium_arrears": 3, "financial_arrears": 2, "business_closure": 2,
              "power_cut": 1, "water_cut": 1, "utility_arrears": 2, "pension_emergency_loan": 1,
              "employment_crisis": 2, "public_rent_arrears": 1, "benefit_rejected": 1},
}  # fmt: skip
_REPORTS = ("neighbour_report", "honorary_official_report", "duty_reporter_report", "walk_in")


@lru_cache(maxsize=1)
def rates() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(
        (indicators.DATA / "synth.yaml").read_text(encoding="utf-8")
    )
    return data


@dataclass(frozen=True)
class Stream:
    """Signals (household_id, indicator, source, observed_on, key, real), devices, and the truth
    (household_id, onset_on, reachable); ``real`` and the truth are hidden from the officer."""

    start: date
    end: date
    signals: pl.DataFrame
    devices: pl.DataFrame
    truth: pl.DataFrame


def month_starts(end: date, months: int) -> list[date]:
    first = date(end.year, end.month, 1)
    out = []
    for back in range(months - 1, -1, -1):
        y, m = divmod(first.year * 12 + first.month - 1 - back, 12)
        out.append(date(y, m + 1, 1))
    return out


def generate(households: pl.DataFrame, months: int, seed: int, end: date) -> Stream:
    rng = np.random.default_rng(seed)
    starts = month_starts(end, months)
    start = starts[0]
    days = (end - start).days + 1
    group = _groups(households)
    onset_day = _onsets(households, group, rng, months, days)
    reachable = rng.random(households.height) >= rates()["unreachable_share"]["value"]
    ids = households["household_id"].to_numpy()
    parts = [
        _national_list(ids, group, onset_day, rng, starts, start),
        *_devices_alerts(households, ids, onset_day, rng, days, start),
        _reports(ids, onset_day, rng, days, start),
        _registry(households, ids, rng, days, start, months),
    ]
    signals = _signals(parts, onset_day, households, start, seed)
    devices = _device_table(parts, ids)
    crisis = onset_day >= 0
    truth = pl.DataFrame(
        {
            "household_id": ids[crisis],
            "onset_on": [start + timedelta(days=int(d)) for d in onset_day[crisis]],
            "reachable": reachable[crisis],
        },
        schema={"household_id": pl.String, "onset_on": pl.Date, "reachable": pl.Boolean},
    )
    reach = pl.DataFrame({"household_id": ids, "reachable": reachable})
    signals = signals.join(reach, on="household_id", how="left")
    return Stream(start, end, signals, devices, truth)


def _groups(hh: pl.DataFrame) -> np.ndarray:
    alone = hh["living_alone"].to_numpy()
    age = hh["head_age"].to_numpy()
    return np.where(
        alone & (age >= 65),
        "elder_alone",
        np.where(alone & (age < 40), "young_alone", np.where(alone, "other_alone", "family")),
    )


def _onsets(
    hh: pl.DataFrame, group: np.ndarray, rng: np.random.Generator, months: int, days: int
) -> np.ndarray:
    """Day index of each household's crisis onset within the period, or -1."""
    hz = rates()["crisis_hazard_per_month"]
    h = np.vectorize(lambda g: float(hz[g]))(group) if len(group) else np.zeros(0)
    h = np.where(hh["income"].to_numpy() < 1_000_000, h * hz["low_income_factor"], h)
    month = rng.geometric(np.clip(h, 1e-9, 1.0))
    day = ((month - 1) * 30.4 + rng.random(len(h)) * 30).astype(np.int64)
    return np.where((month <= months) & (day < days), day, -1)


def _pick(rng: np.random.Generator, mix: dict[str, int], k: int) -> list[str]:
    names = list(mix)
    p = np.array([mix[n] for n in names], dtype=float)
    return list(rng.choice(names, size=min(k, len(names)), replace=False, p=p / p.sum()))


def _national_list(
    ids: np.ndarray,
    group: np.ndarray,
    onset: np.ndarray,
    rng: np.random.Generator,
    starts: list[date],
    start: date,
) -> dict[str, list[Any]]:
    """Bi-monthly runs on the 15th of every other month: real crises with the list's
    sensitivity, then false listings so that the published share turns out not needed."""
    cfg = rates()["national_list"]
    runs = [(s.replace(day=15) - start).days for s in starts[1::2]]
    k_weights = np.array(cfg["indicators_per_listing"]["weights"], dtype=float)
    share = cfg["not_needed_share"]["value"]
    out: dict[str, list[Any]] = {"i": [], "indicator": [], "day": [], "source": []}
    previous = -1
    healthy = np.flatnonzero(onset < 0)
    for run in runs:
        new = np.flatnonzero((onset > previous) & (onset <= run))
        listed = new[rng.random(len(new)) < cfg["sensitivity"]["value"]]
        for i in listed:
            k = 1 + int(rng.choice(3, p=k_weights / k_weights.sum()))
            mix = _LIST_MIX.get(str(group[i]), _LIST_MIX["other"])
            for ind in _pick(rng, mix, k):
                _add(out, int(i), ind, int(rng.integers(max(onset[i], run - 30), run + 1)))
        false_n = round(len(listed) * share / (1 - share))
        for i in rng.choice(healthy, size=min(false_n, len(healthy)), replace=False):
            mix = _LIST_MIX.get(str(group[i]), _LIST_MIX["other"])
            _add(out, int(i), _pick(rng, mix, 1)[0], int(rng.integers(max(0, run - 30), run + 1)))
        previous = run
    out["source"] = ["national_list"] * len(out["i"])
    return out


def _add(out: dict[str, list[Any]], i: int, indicator: str, day: int) -> None:
    out["i"].append(i)
    out["indicator"].append(indicator)
    out["day"].append(day)


def _devices_alerts(
    hh: pl.DataFrame,
    ids: np.ndarray,
    onset: np.ndarray,
    rng: np.random.Generator,
    days: int,
    start: date,
) -> list[dict[str, list[Any]]]:
    alone = hh["living_alone"].to_numpy()
    age = hh["head_age"].to_numpy()
    share = len(ids) / rates()["reference_households"]["value"]
    plugs = _enrol(rng, np.flatnonzero(alone & (age >= 65)), rates()["smart_plug"], share)
    calls = _enrol(rng, np.flatnonzero(alone & (age >= 50)), rates()["ai_call"], share)
    return [
        _alerts(rng, plugs, onset, days, rates()["smart_plug"], "smart_plug_no_activity", "device"),
        _alerts(rng, calls, onset, days, rates()["ai_call"], "ai_call_no_answer", "call"),
    ]


def _enrol(
    rng: np.random.Generator, pool: np.ndarray, cfg: dict[str, Any], share: float
) -> np.ndarray:
    n = min(max(1, round(cfg["households"]["value"] * share)), len(pool))
    return np.sort(rng.choice(pool, size=n, replace=False)) if n else pool[:0]


def _alerts(
    rng: np.random.Generator,
    enrolled: np.ndarray,
    onset: np.ndarray,
    days: int,
    cfg: dict[str, Any],
    indicator: str,
    source: str,
) -> dict[str, list[Any]]:
    rate = cfg["false_alerts_per_household_month"]["value"] * days / 30.4
    out: dict[str, list[Any]] = {"i": [], "indicator": [], "day": []}
    out["enrolled"] = list(enrolled)
    out["device_indicator"] = [indicator]
    for i in enrolled:
        for day in rng.integers(0, days, size=rng.poisson(rate)):
            if onset[i] < 0 or day < onset[i]:  # after the onset every alert is the real one
                _add(out, int(i), indicator, int(day))
        if onset[i] >= 0 and rng.random() < cfg["detect_real_crisis"]["value"]:
            _add(out, int(i), indicator, int(min(days - 1, onset[i] + rng.integers(0, 3))))
    out["source"] = [source] * len(out["i"])
    return out


def _reports(
    ids: np.ndarray, onset: np.ndarray, rng: np.random.Generator, days: int, start: date
) -> dict[str, list[Any]]:
    cfg = rates()["reports"]
    out: dict[str, list[Any]] = {"i": [], "indicator": [], "day": []}
    crisis = np.flatnonzero(onset >= 0)
    for i in crisis[rng.random(len(crisis)) < cfg["real_crisis_reported"]["value"]]:
        day = int(min(days - 1, onset[i] + rng.integers(0, 21)))
        _add(out, int(i), str(rng.choice(_REPORTS)), day)
    per_day = cfg["false_reports_per_1000_households_month"]["value"] * len(ids) / 1000 / 30.4
    healthy = np.flatnonzero(onset < 0)
    for i in rng.choice(
        healthy, size=min(len(healthy), rng.poisson(per_day * days)), replace=False
    ):
        _add(out, int(i), str(rng.choice(_REPORTS)), int(rng.integers(0, days)))
    out["source"] = ["report"] * len(out["i"])
    return out


def _registry(
    hh: pl.DataFrame,
    ids: np.ndarray,
    rng: np.random.Generator,
    days: int,
    start: date,
    months: int,
) -> dict[str, list[Any]]:
    cfg = rates()["registry"]
    alone = hh["living_alone"].to_numpy()
    age = hh["head_age"].to_numpy()
    out: dict[str, list[Any]] = {"i": [], "indicator": [], "day": []}
    plan = [
        ("young_single_move_in", alone & (age >= 19) & (age < 35), "young_single_move_in"),
        ("turned_65_alone", alone & (age == 65), "turned_65_alone"),
    ]
    for key, mask, indicator in plan:
        pool = np.flatnonzero(mask)
        n = rng.poisson(cfg[f"{key}_per_1000_households_month"]["value"] * len(ids) / 1000 * months)
        for i in rng.choice(pool, size=min(n, len(pool)), replace=False):
            _add(out, int(i), indicator, int(rng.integers(0, days)))
    out["source"] = ["registry"] * len(out["i"])
    return out


def _signals(
    parts: list[dict[str, list[Any]]],
    onset: np.ndarray,
    hh: pl.DataFrame,
    start: date,
    seed: int,
) -> pl.DataFrame:
    idx = np.array([i for p in parts for i in p["i"]], dtype=np.int64)
    day = np.array([d for p in parts for d in p["day"]], dtype=np.int64)
    frame = pl.DataFrame(
        {
            "household_id": hh["household_id"].to_numpy()[idx] if len(idx) else [],
            "indicator": [x for p in parts for x in p["indicator"]],
            "source": [x for p in parts for x in p["source"]],
            "observed_on": [start + timedelta(days=int(d)) for d in day],
            "real": (onset[idx] >= 0) & (day >= onset[idx]) if len(idx) else [],
        },
        schema={
            "household_id": pl.String,
            "indicator": pl.String,
            "source": pl.String,
            "observed_on": pl.Date,
            "real": pl.Boolean,
        },
    ).sort("observed_on", "household_id", "indicator", maintain_order=True)
    return frame.with_columns(
        pl.format("synth-{}-{}", pl.lit(seed), pl.int_range(pl.len())).alias("key")
    )


def _device_table(parts: list[dict[str, list[Any]]], ids: np.ndarray) -> pl.DataFrame:
    """One device (or call service) per enrolled household: device_id, household_id, indicator."""
    hid: list[str] = []
    kind: list[str] = []
    for p in parts:
        for i in p.get("enrolled", []):
            hid.append(str(ids[int(i)]))
            kind.append(str(p["device_indicator"][0]))
    prefix = {"smart_plug_no_activity": "PLUG", "ai_call_no_answer": "CALL"}
    return pl.DataFrame(
        {
            "device_id": [f"{prefix.get(k, 'DEV')}-{h}" for h, k in zip(hid, kind, strict=True)],
            "household_id": hid,
            "indicator": kind,
        },
        schema={"device_id": pl.String, "household_id": pl.String, "indicator": pl.String},
    )
