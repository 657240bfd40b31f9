"""A review must not depend on Python's string hash seed (set iteration order over names)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

# Five combination products taken at twice their daily maximum: the 용량주의 check reports ten
# findings, five of them from the combination-product limits, whose order once followed a set of
# ingredient names (and so the hash seed).
SCRIPT = """
import json
from gibon.pharm import context, inputs
from gibon.pharm.checks import dur_lists
from gibon.pharm.knowledge import kb
from gibon.pharm.review import review

combos = [
    ("metformin + sitagliptin", "1000 mg/100 mg"),
    ("glimepiride + pioglitazone", "4 mg/30 mg"),
    ("amlodipine + olmesartan", "10 mg/40 mg"),
    ("ezetimibe + rosuvastatin", "10 mg/20 mg"),
    ("losartan + hydrochlorothiazide", "100 mg/25 mg"),
]
rows = [
    {"date": "2026-01-05", "drug": drug, "strength": strength, "sig": "2정 1일 2회",
     "days_supply": 30, "prescriber": "가의원", "pharmacy": "가약국"}
    for drug, strength in combos
]
data = inputs.from_data({"patient": {"age": 78, "sex": "F"}, "review_date": "2026-02-01",
                         "dispensings": rows})
ctx = context.build(data, kb())
print(json.dumps({
    "dose": [(f.drugs, f.criterion["id"]) for f in dur_lists.dose(ctx)],
    "review": review(data).to_dict(),
}, ensure_ascii=False, sort_keys=True, default=str))
"""


def _run(seed: str) -> dict[str, object]:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(SRC)}
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def test_the_dose_check_and_the_whole_review_are_the_same_under_any_hash_seed() -> None:
    runs = [_run(seed) for seed in ("0", "1", "2", "3")]
    assert len(runs[0]["dose"]) == 10  # type: ignore[arg-type]
    for other in runs[1:]:
        assert other["dose"] == runs[0]["dose"]
        assert other["review"] == runs[0]["review"]
