"""The 21 dongs as an inline SVG map, shaded by any figure: no tiles, no script, no CDN.

Other pages reuse the projection to draw their own layers (routes, homes) over the boundaries.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

from gibon.kit import gwanak

WIDTH = 640
# Sequential blues, light to dark (ColorBrewer "Blues", 5 classes).
PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection scaled to the district's bounding box (fine at 6 km across)."""

    min_lon: float
    max_lat: float
    scale_x: float
    scale_y: float
    width: int
    height: int

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return ((lon - self.min_lon) * self.scale_x, (self.max_lat - lat) * self.scale_y)


@lru_cache(maxsize=1)
def projection() -> Projection:
    lons, lats = [], []
    for ring in _all_rings():
        lons += [p[0] for p in ring]
        lats += [p[1] for p in ring]
    mid_lat = (min(lats) + max(lats)) / 2
    aspect = math.cos(math.radians(mid_lat))
    scale_x = WIDTH / (max(lons) - min(lons))
    scale_y = scale_x / aspect
    height = int((max(lats) - min(lats)) * scale_y) + 1
    return Projection(min(lons), max(lats), scale_x, scale_y, WIDTH, height)


def _all_rings() -> list[list[list[float]]]:
    return [ring for f in gwanak.dongs_geojson()["features"] for ring in _rings(f["geometry"])]


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    coords = geometry["coordinates"]
    polygons = coords if geometry["type"] == "MultiPolygon" else [coords]
    return [ring for polygon in polygons for ring in polygon]


@lru_cache(maxsize=1)
def dong_paths() -> dict[str, str]:
    """SVG path data per dong name."""
    proj = projection()
    paths = {}
    for feature in gwanak.dongs_geojson()["features"]:
        parts = []
        for ring in _rings(feature["geometry"]):
            points = [proj.xy(lat, lon) for lon, lat in ring]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        paths[feature["properties"]["dong_name"]] = "".join(parts)
    return paths


@lru_cache(maxsize=1)
def label_points() -> dict[str, tuple[float, float]]:
    proj = projection()
    return {
        f["properties"]["dong_name"]: proj.xy(
            f["properties"]["rep_point_lat"], f["properties"]["rep_point_lon"]
        )
        for f in gwanak.dongs_geojson()["features"]
    }


def classes(values: Sequence[float], n: int = len(PALETTE)) -> list[float]:
    """Equal-interval class breaks (n - 1 inner breaks) between min and max."""
    low, high = min(values), max(values)
    step = (high - low) / n if high > low else 1.0
    return [low + step * i for i in range(1, n)]


def render(
    values: Mapping[str, float],
    *,
    title: str,
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
    overlay: str = "",
    link: Callable[[str], str] | None = None,
) -> str:
    """An accessible SVG map: each dong shaded by its value, titled, labelled, with a legend."""
    proj = projection()
    breaks = classes(list(values.values()) or [0.0])
    shapes = []
    for dong, path in dong_paths().items():
        value = values.get(dong)
        fill = PALETTE[_class_of(value, breaks)] if value is not None else "#f0f0f0"
        tip = f"{dong}: {fmt(value) if value is not None else '자료 없음'}"
        shape = (
            f'<path d="{path}" fill="{fill}" stroke="#555" stroke-width="0.8" '
            f'data-dong="{escape(dong)}"><title>{escape(tip)}</title></path>'
        )
        if link:
            shape = f'<a href="{escape(link(dong))}">{shape}</a>'
        shapes.append(shape)
    labels = [
        f'<text x="{x:.0f}" y="{y:.0f}" class="dong-label">{escape(d.removesuffix("동"))}</text>'
        for d, (x, y) in label_points().items()
    ]
    height = proj.height + 40
    return (
        f'<svg class="dong-map" viewBox="0 0 {proj.width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(shapes)}{overlay}{''.join(labels)}"
        f"{_legend(breaks, fmt, proj.height + 8)}</svg>"
    )


def _class_of(value: float | None, breaks: list[float]) -> int:
    if value is None:
        return 0
    return sum(1 for b in breaks if value > b)


def _legend(breaks: list[float], fmt: Callable[[float], str], y: float) -> str:
    items = []
    edges = ["", *[fmt(b) for b in breaks]]
    for i, colour in enumerate(PALETTE):
        x = 10 + i * 120
        label = f"> {edges[i]}" if i else f"≤ {fmt(breaks[0])}"
        items.append(
            f'<rect x="{x}" y="{y}" width="18" height="14" fill="{colour}" stroke="#555"/>'
            f'<text x="{x + 24}" y="{y + 12}" class="legend">{escape(label)}</text>'
        )
    return "".join(items)
