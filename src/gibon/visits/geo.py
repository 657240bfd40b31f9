"""Where things are in Gwanak: which dong a point lies in, and random homes inside the dongs."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from gibon.kit import gwanak
from gibon.visits.engine.problem import Point


@lru_cache(maxsize=1)
def dong_shapes() -> dict[str, BaseGeometry]:
    return {
        f["properties"]["dong_name"]: shape(f["geometry"])
        for f in gwanak.dongs_geojson()["features"]
    }


@lru_cache(maxsize=1)
def _prepared() -> tuple[tuple[str, PreparedGeometry], ...]:
    return tuple((name, prep(geom)) for name, geom in dong_shapes().items())


@lru_cache(maxsize=65536)
def dong_of(point: Point) -> str | None:
    """The dong containing the point, or None outside Gwanak-gu."""
    p = ShapelyPoint(point.lon, point.lat)
    for name, geom in _prepared():
        if geom.covers(p):
            return name
    return None


def elderly_weights() -> dict[str, float]:
    """Share of the district's 65+ residents per dong (2021 Q2 register, see gwanak SOURCE.md)."""
    rows = gwanak.stats()["dongs"]["rows"]
    total = sum(r["age65plus_2021q2"] for r in rows)
    return {r["dong"]: r["age65plus_2021q2"] / total for r in rows}


def sample_points(rng: np.random.Generator, n: int, dong: str | None = None) -> list[Point]:
    """``n`` uniform random points inside one dong, or spread over dongs by their 65+ residents."""
    shapes = dong_shapes()
    if dong is not None:
        return [_sample_in(rng, shapes[dong]) for _ in range(n)]
    names = list(elderly_weights())
    weights = np.array([elderly_weights()[d] for d in names])
    picks = rng.choice(len(names), size=n, p=weights / weights.sum())
    return [_sample_in(rng, shapes[names[i]]) for i in picks]


def _sample_in(rng: np.random.Generator, geom: BaseGeometry) -> Point:
    minx, miny, maxx, maxy = geom.bounds
    prepared = prep(geom)
    while True:
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if prepared.contains(ShapelyPoint(lon, lat)):
            return Point(round(lat, 6), round(lon, 6))
