"""Travel times behind one interface: estimated from straight-line distance, or given as a matrix.

The planner only ever calls ``TravelModel.matrix``; swap in a road network by implementing it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, Protocol

import numpy as np
import yaml

from gibon.visits import geo
from gibon.visits.engine.problem import Point

EARTH_RADIUS_KM = 6371.0088


class TravelModel(Protocol):
    def matrix(self, points: Sequence[Point], mode: str) -> np.ndarray:
        """Integer travel times (same unit as the problem's times), shape (n, n), zero diagonal."""
        ...


@lru_cache(maxsize=1)
def default_parameters() -> dict[str, Any]:
    text = resources.files("gibon.data.routing").joinpath("travel.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def haversine_km(points: Sequence[Point]) -> np.ndarray:
    lat = np.radians([p.lat for p in points])
    lon = np.radians([p.lon for p in points])
    dlat = lat[:, None] - lat[None, :]
    dlon = lon[:, None] - lon[None, :]
    a = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1))))


@dataclass(frozen=True)
class DetourTravel:
    """Minutes from distance x detour factor per mode, plus a hill penalty (see travel.yaml)."""

    parameters: dict[str, Any] | None = None

    def _params(self) -> dict[str, Any]:
        return self.parameters or default_parameters()

    def matrix(self, points: Sequence[Point], mode: str) -> np.ndarray:
        params = self._params()
        km = haversine_km(points)
        minutes = self._leg_minutes(km, params["modes"][mode])
        if mode == "transit" and params["modes"]["transit"].get("walk_if_faster"):
            minutes = np.minimum(minutes, self._leg_minutes(km, params["modes"]["walk"]))
        hill = self._hill(points, params)
        factor = 1 + (params["modes"][mode]["hill_factor"] - 1) * np.maximum(
            hill[:, None], hill[None, :]
        )
        out = np.ceil(minutes * factor).astype(np.int64)
        out[km < 1e-6] = 0
        np.fill_diagonal(out, 0)
        return np.asarray(out, dtype=np.int64)

    @staticmethod
    def _leg_minutes(km: np.ndarray, mode: dict[str, Any]) -> np.ndarray:
        return np.asarray(mode["overhead_min"] + km * mode["detour"] / mode["speed_kmh"] * 60.0)

    @staticmethod
    def _hill(points: Sequence[Point], params: dict[str, Any]) -> np.ndarray:
        hilly = set(params["hilly_dongs"])
        return np.array([1.0 if geo.dong_of(p) in hilly else 0.0 for p in points])


@dataclass(frozen=True)
class EuclideanTravel:
    """Benchmark geometry: (lat, lon) read as plane (x, y); time = distance x scale, rounded."""

    scale: int = 100

    def matrix(self, points: Sequence[Point], mode: str) -> np.ndarray:
        return np.asarray(np.rint(self.distances(points) * self.scale), dtype=np.int64)

    @staticmethod
    def distances(points: Sequence[Point]) -> np.ndarray:
        xy = np.array([[p.lat, p.lon] for p in points], dtype=float)
        return np.asarray(np.sqrt(((xy[:, None, :] - xy[None, :, :]) ** 2).sum(axis=2)))


def distance(a: Point, b: Point) -> float:
    return math.dist((a.lat, a.lon), (b.lat, b.lon))
