"""Speed work must not change a single result: every review and the screen ranking are pinned.

``pinned_results.json`` holds, for every case file and for 300 synthetic people (seed 1, the
people themselves stored so population changes cannot move the pin), a SHA-256 of the whole
review as JSON (findings with their evidence, metrics, priority, unknown drugs, not-assessable
criteria) and of the HTML report and FHIR bundle built from it, plus the screen ranking row by
row. It was written before the screening was optimised. Rewrite it only for a deliberate change
of results: ``PYTHONPATH=src python tests/pharm/test_pinned_results.py``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import astuple
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from gibon.pharm import fhir_export, inputs, report, screen, synth
from gibon.pharm.review import Review, review

HERE = Path(__file__).parent
PINNED = HERE / "pinned_results.json"
CASES = sorted((HERE / "cases").glob("*.yaml"))
WHEN = date(2026, 3, 1)
SEED = 1


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _fingerprint(rv: Review) -> dict[str, str]:
    return {
        "review": _digest(rv.to_dict()),
        "report": _digest(report.html(rv, "pharmacist") + report.html(rv, "resident")),
        "fhir": _digest(fhir_export.bundle(rv)),
    }


def _case_input(path: Path) -> dict[str, Any]:
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {k: case[k] for k in ("patient", "review_date", "dispensings")}


def _ranking(people: list[dict[str, Any]], workers: int) -> list[list[Any]]:
    return [list(astuple(r)) for r in screen.rank(people, SEED, WHEN, workers=workers)]


def _synthetic_reviews(people: list[dict[str, Any]]) -> dict[str, str]:
    out = {}
    for person in people:
        rv = review(inputs.from_data(synth.history(person, SEED, WHEN)))
        out[person["person_id"]] = _digest(rv.to_dict())
    return out


@pytest.fixture(scope="module")
def pinned() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(PINNED.read_text(encoding="utf-8"))
    return data


def test_every_case_file_reviews_exactly_as_pinned(pinned: dict[str, Any]) -> None:
    assert set(pinned["cases"]) == {p.stem for p in CASES}
    changed = [
        p.stem
        for p in CASES
        if _fingerprint(review(inputs.from_data(_case_input(p)))) != pinned["cases"][p.stem]
    ]
    assert not changed, f"results changed for {len(changed)} case files: {changed[:10]}"


def test_synthetic_people_review_exactly_as_pinned(pinned: dict[str, Any]) -> None:
    people = pinned["synthetic"]["people"]
    assert len(people) == 300
    now = _synthetic_reviews(people)
    changed = [pid for pid, h in pinned["synthetic"]["reviews"].items() if now[pid] != h]
    assert not changed, f"reviews changed for {len(changed)} people: {changed[:10]}"


def test_the_screen_builds_each_synthetic_year_exactly_as_validation_would(
    pinned: dict[str, Any],
) -> None:
    """The screen skips Pydantic for gibon's own synthetic years (synth.review_input); the result
    must be the very input that validating the same year as JSON gives."""
    for person in pinned["synthetic"]["people"]:
        trusted = synth.review_input(person, SEED, WHEN)
        assert trusted == inputs.from_data(synth.history(person, SEED, WHEN)), person["person_id"]
        assert trusted.dispensings and trusted.review_date == WHEN


@pytest.mark.parametrize("workers", [1, 2])
def test_screen_ranks_the_pinned_people_exactly_as_pinned(
    pinned: dict[str, Any], workers: int
) -> None:
    want = pinned["synthetic"]["ranking"]
    got = _ranking(pinned["synthetic"]["people"], workers)
    assert len(got) == len(want) == 300
    assert got == want


def _write() -> None:
    people = synth.people(SEED, 2400, 65, WHEN)[:300]
    for p in people:
        p["birth_date"] = p["birth_date"].isoformat()
    data = {
        "cases": {p.stem: _fingerprint(review(inputs.from_data(_case_input(p)))) for p in CASES},
        "synthetic": {
            "seed": SEED,
            "review_date": WHEN.isoformat(),
            "people": people,
            "reviews": _synthetic_reviews(people),
            "ranking": _ranking(people, 1),
        },
    }
    PINNED.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    _write()
