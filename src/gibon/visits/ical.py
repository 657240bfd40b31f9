"""iCalendar (RFC 5545) export of one professional's day: one VEVENT per visit, Seoul local time.

Works on the schedule JSON (the ``gibon visits plan`` output), so a saved plan can be exported.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from gibon.errors import NotFound
from gibon.visits.engine.problem import PROFESSION_KO

PRODID = "-//gibon//visits//KO"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(date: str, hhmm: str) -> str:
    return f"{date.replace('-', '')}T{hhmm.replace(':', '')}00"


def calendar(schedule: dict[str, Any], professional: str) -> str:
    """The professional's visits and break as a VCALENDAR with CRLF line ends."""
    route = next(
        (r for r in schedule.get("routes", []) if r.get("professional") == professional), None
    )
    if route is None:
        raise NotFound(
            f"no route for professional '{professional}'", where="professional", example="nurse-01"
        )
    date = str(schedule.get("date", ""))
    now = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(f'방문 일정 {professional} {date}')}",
    ]
    for stop in route["stops"]:
        summary = (
            f"방문 {stop['visit']} ({PROFESSION_KO.get(stop['profession'], stop['profession'])})"
        )
        lines += _event(
            f"{date}-{stop['visit']}-{stop['profession']}-{professional}",
            now,
            date,
            (stop["start"], stop["end"]),
            summary,
            f"도착 {stop['arrive']}, 이동 {stop['travel_minutes']}분",
        )
    if route.get("break_start") and route.get("break_end"):
        lines += _event(
            f"{date}-break-{professional}",
            now,
            date,
            (route["break_start"], route["break_end"]),
            "휴식",
            "",
        )
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _event(
    uid: str, now: str, date: str, span: tuple[str, str], summary: str, description: str
) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{_escape(uid)}@gibon",
        f"DTSTAMP:{now}",
        f"DTSTART;TZID=Asia/Seoul:{_stamp(date, span[0])}",
        f"DTEND;TZID=Asia/Seoul:{_stamp(date, span[1])}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "END:VEVENT",
    ]
