"""Small hand-made requests in the REQUESTS.json format, near the 관악구보건소."""

from __future__ import annotations

from typing import Any

CENTER = {"lat": 37.478434, "lon": 126.9511135}  # 관악구보건소 (청룡동)
HOMES = [  # points inside Gwanak dongs, a few hundred metres apart
    {"lat": 37.4801, "lon": 126.9530},
    {"lat": 37.4770, "lon": 126.9480},
    {"lat": 37.4820, "lon": 126.9500},
    {"lat": 37.4790, "lon": 126.9560},
    {"lat": 37.4755, "lon": 126.9525},
    {"lat": 37.4812, "lon": 126.9455},
]


def professional(pid: str, profession: str = "nurse", **extra: Any) -> dict[str, Any]:
    out = {
        "id": pid,
        "profession": profession,
        "skills": [],
        "shift": ["09:00", "18:00"],
        "break": {"window": ["12:00", "14:00"], "minutes": 60},
        "base": CENTER,
        "mode": "walk",
        "max_visits": 8,
    }
    out.update(extra)
    return out


def visit(
    vid: str, home: int = 0, needs: list[tuple[str, int]] | None = None, **extra: Any
) -> dict[str, Any]:
    out = {
        "id": vid,
        "resident": f"r-{vid}",
        "location": HOMES[home % len(HOMES)],
        "needs": [
            {"profession": p, "skills": [], "minutes": m} for p, m in needs or [("nurse", 30)]
        ],
        "together": None,
        "gap_minutes": None,
        "window": ["09:00", "17:00"],
        "priority": 2,
        "preferred": None,
    }
    out.update(extra)
    return out


def request(professionals: list[dict[str, Any]], visits: list[dict[str, Any]]) -> dict[str, Any]:
    return {"date": "2026-06-01", "professionals": professionals, "visits": visits}
