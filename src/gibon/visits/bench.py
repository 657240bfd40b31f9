"""Routing benchmarks: Solomon VRPTW (through PyVRP) and Mankowska home health care (our planner).

Objective conventions:
- Solomon: total distance only, Euclidean distances truncated to one decimal (DIMACS/CVRPLIB
  convention), against ``bks_dimacs_reference.csv``; the double-precision distance of the same
  routes is reported too, against the vroom-scripts distance-only table.
- Mankowska: (total distance + total tardiness + maximum tardiness) / 3, as published, against the
  objective of the best published solution recomputed here from its routes.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import math
from functools import lru_cache
from importlib import resources
from typing import Any

from gibon.errors import InvalidInput
from gibon.visits.model import Vrptw

PACKAGE = "gibon.data.routing"


def _text(*parts: str) -> str:
    return resources.files(PACKAGE).joinpath(*parts).read_text(encoding="utf-8")


@lru_cache(maxsize=4)
def _packed(*parts: str) -> Any:
    raw = resources.files(PACKAGE).joinpath(*parts).read_bytes()
    return json.loads(gzip.decompress(raw).decode("utf-8"))


def solomon_names() -> list[str]:
    return [row["instance"] for row in csv.DictReader(_text("solomon", "bks.csv").splitlines())]


def solomon_instance(name: str) -> Vrptw:
    texts = _packed("solomon", "instances.json.gz")
    if name not in texts:
        raise InvalidInput(
            f"unknown Solomon instance '{name}'", where="--instances", example="C101,R201"
        )
    lines = texts[name].splitlines()
    fleet, capacity = (int(v) for v in lines[4].split())
    rows = [[float(v) for v in line.split()] for line in lines[9:] if line.strip()]
    cols = list(zip(*rows, strict=True))
    return Vrptw(
        name,
        cols[1],
        cols[2],
        *(tuple(int(v) for v in cols[k]) for k in (3, 4, 5, 6)),
        capacity=capacity,
        fleet=fleet,
    )


def solomon_references() -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for row in csv.DictReader(_text("solomon", "bks.csv").splitlines()):
        out[row["instance"]] = {
            "distonly": float(row["distonly_distance"]),
            "hier": float(row["hier_distance"]),
        }
    for row in csv.DictReader(_text("solomon", "bks_dimacs_reference_unverified.csv").splitlines()):
        out[row["instance"]]["dimacs"] = float(row["dimacs_opt_distance"])
    return out


def route_distance(instance: Vrptw, routes: list[list[int]], tenths: Any = None) -> float:
    """Total distance of the routes: exact Euclidean, or from an integer matrix in tenths."""
    total = 0.0
    for route in routes:
        path = [0, *route, 0]
        for a, b in itertools.pairwise(path):
            if tenths is not None:
                total += int(tenths[a, b]) / 10
            else:
                total += math.dist((instance.x[a], instance.y[a]), (instance.x[b], instance.y[b]))
    return total
