"""The Gwanak reference data shipped with gibon: 21 dong boundaries and district statistics."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

_PACKAGE = "gibon.data.gwanak"


@lru_cache(maxsize=1)
def dongs_geojson() -> dict[str, Any]:
    text = resources.files(_PACKAGE).joinpath("gwanak_dongs.geojson").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@lru_cache(maxsize=1)
def stats() -> dict[str, Any]:
    text = resources.files(_PACKAGE).joinpath("gwanak_stats.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@lru_cache(maxsize=1)
def dong_names() -> tuple[str, ...]:
    """The 21 administrative dongs in official code order."""
    return tuple(stats()["meta"]["dongs_in_code_order"])


def dong_codes() -> dict[str, str]:
    return {
        f["properties"]["dong_name"]: f["properties"]["adm_cd2_mois10"]
        for f in dongs_geojson()["features"]
    }
