"""Calibration targets and model parameters, read from the cited YAML shipped with gibon."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import yaml

from gibon.errors import InvalidInput
from gibon.kit import gwanak
from gibon.population._alloc import FloatArray

PROFILES = ("gwanak", "korea")
SIZES = (1, 2, 3, 4, 5, 6, 7)


@lru_cache(maxsize=1)
def params() -> dict[str, Any]:
    text = resources.files("gibon.data.population").joinpath("params.yaml").read_text("utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def reference_date() -> date:
    return date.fromisoformat(params()["reference_date"])


@dataclass(frozen=True)
class Profile:
    """Everything one generation run calibrates to, already scaled to ``persons``."""

    name: str
    label: str
    persons: int
    dongs: tuple[str, ...]
    dong_weights: FloatArray  # share of persons by dong
    dong_old_share: FloatArray  # relative 65+ share by dong (prior)
    dong_pph: FloatArray  # persons per registered household by dong (prior)
    dong_banjiha: FloatArray  # 2010 반지하 share by dong (prior)
    raw: dict[str, Any] = field(repr=False)

    def value(self, key: str) -> Any:
        return self.raw[key]["value"]

    def section(self, key: str) -> dict[str, Any]:
        """A top-level block of params.yaml with this profile's ``calibration`` overrides on top.

        The Gwanak profile has no overrides, so its draws read exactly the shared block; the Korea
        profile replaces what it has fitted to national tables (see ``profiles.korea.calibration``).
        """
        base: dict[str, Any] = params()[key]
        extra = self.raw.get("calibration", {}).get(key)
        return _merge(base, extra) if extra else base

    @property
    def age65_share(self) -> float:
        return float(self.value("age65plus_share_pct")) / 100

    @property
    def size_pct(self) -> FloatArray:
        pct = self.value("household_size_pct")
        return np.array([float(pct[s]) for s in SIZES])

    @property
    def reference_persons(self) -> int:
        return int(self.value("persons"))

    def semi_basement_share_of_households(self, households: int) -> float:
        block = self.raw["semi_basement_households"]
        if "value_pct_of_households" in block:
            return float(block["value_pct_of_households"]) / 100
        # a count for the reference population: scale with persons, then express per household
        count = float(block["value"]) * self.persons / self.reference_persons
        return count / max(households, 1)


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in extra.items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


def _dong_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = gwanak.stats()["dongs"]["rows"]
    order = {name: i for i, name in enumerate(gwanak.dong_names())}
    return sorted(rows, key=lambda r: order[r["dong"]])


def resolve(profile: str = "gwanak", persons: int | None = None) -> Profile:
    if profile not in PROFILES:
        raise InvalidInput(
            f"unknown population profile {profile!r}", where="profile", example="gwanak"
        )
    raw = params()["profiles"][profile]
    count = int(raw["persons"]["value"]) if persons is None else int(persons)
    if count < 1:
        raise InvalidInput("persons must be at least 1", where="persons", example="478000")
    rows = _dong_rows()
    return Profile(
        name=profile,
        label=str(raw["label"]),
        persons=count,
        dongs=tuple(r["dong"] for r in rows),
        dong_weights=np.array([r["population_korean_2021q2"] for r in rows], dtype=np.float64),
        dong_old_share=np.array(
            [r["age65plus_share_of_korean_pct_2021q2"] for r in rows], dtype=np.float64
        ),
        dong_pph=np.array([r["persons_per_household_2021q2"] for r in rows], dtype=np.float64),
        dong_banjiha=np.array([r["banjiha_share_pct_census2010"] for r in rows], dtype=np.float64),
        raw=raw,
    )
