"""Per-step working deadlines (configurable YAML) and the day the current step falls due."""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

from gibon.care.transitions import OPEN, CaseStatus
from gibon.errors import InvalidInput

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "care" / "deadlines.yaml"
SEOUL = ZoneInfo("Asia/Seoul")


def today() -> date:
    return datetime.now(SEOUL).date()


@lru_cache(maxsize=4)
def load(path: Path = DEFAULT_FILE) -> dict[CaseStatus, int]:
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    days: dict[CaseStatus, int] = {}
    for status in OPEN:
        value = raw.get(status.value)
        if not isinstance(value, int) or value < 1:
            raise InvalidInput(
                f"deadline for step '{status.value}' must be a whole number of days >= 1",
                where=f"{path}:{status.value}",
                example=f"{status.value}: 14",
            )
        days[status] = value
    return days


def configured() -> dict[CaseStatus, int]:
    override = os.environ.get("GIBON_CARE_DEADLINES_FILE")
    return load(Path(override)) if override else load()


def due_on(status: CaseStatus, entered: date) -> date | None:
    if status is CaseStatus.closed:
        return None
    return entered + timedelta(days=configured()[status])
