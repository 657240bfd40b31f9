"""Home points: uniform inside each household's dong polygon (vectorised rejection sampling)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry import shape

from gibon.kit import gwanak
from gibon.population._alloc import FloatArray, IntArray


@lru_cache(maxsize=1)
def polygons() -> tuple[shapely.Geometry, ...]:
    """Dong polygons in official code order, prepared for fast point tests."""
    by_name = {
        f["properties"]["dong_name"]: shape(f["geometry"])
        for f in gwanak.dongs_geojson()["features"]
    }
    geoms = tuple(by_name[name] for name in gwanak.dong_names())
    for g in geoms:
        shapely.prepare(g)
    return geoms


def sample_points(rng: np.random.Generator, dong: IntArray) -> tuple[FloatArray, FloatArray]:
    """(lat, lon) for each entry of ``dong`` (an index into the dongs in code order)."""
    lat = np.empty(len(dong))
    lon = np.empty(len(dong))
    for d, geom in enumerate(polygons()):
        idx = np.flatnonzero(dong == d)
        if len(idx):
            lon[idx], lat[idx] = _inside(rng, geom, len(idx))
    return lat, lon


def _inside(
    rng: np.random.Generator, geom: shapely.Geometry, n: int
) -> tuple[FloatArray, FloatArray]:
    x0, y0, x1, y1 = geom.bounds
    fill = geom.area / ((x1 - x0) * (y1 - y0))
    xs: list[FloatArray] = []
    ys: list[FloatArray] = []
    have = 0
    while have < n:
        m = int((n - have) / fill * 1.2) + 16
        x = rng.uniform(x0, x1, m)
        y = rng.uniform(y0, y1, m)
        ok = shapely.contains_xy(geom, x, y)
        xs.append(x[ok])
        ys.append(y[ok])
        have += int(ok.sum())
    return np.concatenate(xs)[:n], np.concatenate(ys)[:n]
