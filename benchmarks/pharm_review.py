"""Benchmark: one 150-dispensing year reviewed (goal < 50 ms) and N patients screened (goal < 60 s).

Baseline, measured in the same run on the same inputs: a naive DUR 병용금기 check that compares
every pair of time-overlapping dispensings against all 1,628 rows of the MFDS list (what a first
implementation of one DUR check does). gibon runs all 24 checks; the baseline only one.

    .venv/bin/python benchmarks/pharm_review.py [--patients 10000] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write_section

from gibon.pharm import context, inputs, priority, problems, screen, synth
from gibon.pharm.knowledge import kb
from gibon.pharm.knowledge.names import split_combination
from gibon.pharm.review import CHECKS, _drop_covered, _unknown_findings, metrics, review

REVIEW_DATE = date(2026, 3, 1)
DRUGS = [
    ("amlodipine", "5 mg"),
    ("losartan", "50 mg"),
    ("metformin", "500 mg"),
    ("glimepiride", "2 mg"),
    ("atorvastatin", "20 mg"),
    ("aspirin", "100 mg"),
    ("esomeprazole", "20 mg"),
    ("loxoprofen", "60 mg"),
    ("zolpidem", "10 mg"),
    ("alprazolam", "0.25 mg"),
    ("donepezil", "5 mg"),
    ("tamsulosin", "0.2 mg"),
    ("escitalopram", "10 mg"),
    ("furosemide", "20 mg"),
    ("rebamipide", "100 mg"),
]


def history_150() -> dict[str, Any]:
    """15 drugs from 5 clinics, refilled every ~36 days: 150 dispensings over twelve months."""
    rows = []
    for i, (drug, strength) in enumerate(DRUGS):
        for k in range(10):
            day = REVIEW_DATE - timedelta(days=360 - k * 36 - i % 7)
            rows.append(
                {
                    "date": day.isoformat(),
                    "drug": drug,
                    "strength": strength,
                    "sig": "1정 1일 1회 아침 식후",
                    "days_supply": 35,
                    "prescriber": f"의원{i % 5}",
                    "pharmacy": f"약국{i % 3}",
                }
            )
    return {
        "patient": {
            "age": 81,
            "sex": "F",
            "weight_kg": 52,
            "scr_mg_dl": 1.1,
            "falls_last_year": 1,
            "conditions": ["I10", "E11", "E78", "F03", "M17"],
            "labs": {
                "potassium_mmol_l": {"value": 4.9, "date": "2026-01-20"},
                "sodium_mmol_l": 134,
            },
            "vitals": {"systolic_bp_mmhg": 148, "diastolic_bp_mmhg": 84, "heart_rate_bpm": 66},
        },
        "review_date": REVIEW_DATE.isoformat(),
        "dispensings": rows,
    }


def naive_dur_scan(data: dict[str, Any]) -> int:
    pairs = kb().pairs
    rows = data["dispensings"]
    spans = [
        (
            date.fromisoformat(r["date"]),
            date.fromisoformat(r["date"]) + timedelta(days=r["days_supply"] - 1),
            set(split_combination(r["drug"])),
        )
        for r in rows
    ]
    hits = 0
    for i, (s1, e1, a) in enumerate(spans):
        for s2, e2, b in spans[i + 1 :]:
            if max(s1, s2) <= min(e1, e2):
                for p in pairs:
                    if (set(p.side1) <= a and set(p.side2) <= b) or (
                        set(p.side1) <= b and set(p.side2) <= a
                    ):
                        hits += 1
    return hits


def timed(fn: Any, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def _cpu(who: int) -> float:
    r = resource.getrusage(who)
    return r.ru_utime + r.ru_stime


def screened(people: list[dict[str, Any]], workers: int) -> tuple[list[Any], float, float, float]:
    """The ranking, its wall time, and the CPU time of this process and of the worker processes
    (user + system, from getrusage; the pool's workers are reaped when it closes, so they count)."""
    parent, children, t = (
        _cpu(resource.RUSAGE_SELF),
        _cpu(resource.RUSAGE_CHILDREN),
        time.perf_counter(),
    )
    ranked = screen.rank(people, 1, REVIEW_DATE, workers=workers)
    wall = time.perf_counter() - t
    parent = _cpu(resource.RUSAGE_SELF) - parent
    return ranked, wall, parent, _cpu(resource.RUSAGE_CHILDREN) - children


STAGES = (
    "input: the synthetic year, built without re-validation",
    "timeline: supplies per ingredient",
    "DUR 병용금기 / 효능군중복 / list checks",
    "STOPP/START, Beers, interaction rules",
    "other checks: renal, dose, burden, regimen, cascades",
    "findings merged, metrics, priority score",
)


def _stage_of(check: Any) -> int:
    if check.__module__.endswith(("dur_pairs", "dur_lists")):
        return 2
    return 3 if check.__module__.endswith("review") else 4  # review._criteria runs the rules


def stages(people: list[dict[str, Any]]) -> list[float]:
    """CPU milliseconds per patient in each part of the screen (one process, these people)."""
    spent = [0.0] * len(STAGES)
    for person in people:
        t0 = time.process_time()
        data = synth.review_input(person, 1, REVIEW_DATE)
        t1 = time.process_time()
        ctx = context.build(data, kb())
        spent[0], spent[1] = spent[0] + t1 - t0, spent[1] + time.process_time() - t1
        found = []
        for check in CHECKS:
            t = time.process_time()
            found += check(ctx)
            spent[_stage_of(check)] += time.process_time() - t
        t = time.process_time()
        found = problems.harmonise(ctx.kb, _drop_covered(found) + _unknown_findings(ctx))
        m = metrics(ctx)
        priority.score(ctx, found, m["n_ingredients"], m["n_prescribers"])
        spent[5] += time.process_time() - t
    return [v / len(people) * 1000 for v in spent]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=10_000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    load_start = os.getloadavg()[0]
    data = history_150()
    parsed = inputs.from_data(data)
    review(parsed)  # load the knowledge base once, as a running service has
    gib = timed(lambda: review(inputs.from_data(data)), 30)
    base = timed(lambda: naive_dur_scan(data), 3)
    one_ms, base_ms = statistics.median(gib) * 1000, statistics.median(base) * 1000
    print(f"150 dispensings: gibon {one_ms:.1f} ms (median of 30), naive DUR scan {base_ms:.0f} ms")

    people = synth.people(1, max(1000, int(args.patients * 6.6)), 65, REVIEW_DATE)[: args.patients]
    loads = {}
    runs = {}
    for w in (1, 2):
        runs[w] = screened(people, w)
        loads[w] = os.getloadavg()[0]
    assert runs[1][0] == runs[2][0], "the pooled ranking differs from the serial one"
    ranked, screen_s, screen_parent, _ = runs[1]
    _, pool_s, pool_parent, pool_workers = runs[2]
    n = len(ranked)
    one_cpu, pool_cpu = screen_parent / n * 1000, (pool_parent + pool_workers) / n * 1000
    parts = stages(people[:300])
    sample = [synth.history(p, 1, REVIEW_DATE) for p in people[:100]]
    t = time.perf_counter()
    for h in sample:
        naive_dur_scan(h)
    naive_per = (time.perf_counter() - t) / len(sample)
    mean_disp = statistics.mean(len(h["dispensings"]) for h in sample)
    print(
        f"screen {n} patients: 1 worker {screen_s:.1f} s wall {one_cpu:.2f} ms CPU/patient; "
        f"2 workers {pool_s:.1f} s wall {pool_cpu:.2f} ms CPU/patient; "
        f"naive DUR scan {naive_per * 1000:.1f} ms/patient"
    )
    load = " → ".join(f"{x:.1f}" for x in (load_start, loads[1], loads[2]))
    met = "met" if max(one_cpu, pool_cpu) < 1.0 else "not met"
    stage_rows = "\n".join(
        f"| {name} | {ms:.3f} ms |" for name, ms in zip(STAGES, parts, strict=True)
    )
    body = f"""
| measure | gibon | baseline: naive DUR 병용금기 pair scan | ratio | goal |
|---|---|---|---|---|
| review of one 150-dispensing year, input validated (median of 30) | {one_ms:.1f} ms | {base_ms:.0f} ms (median of 3) | {base_ms / one_ms:.0f}x faster | < 50 ms |
| screen of {n:,} synthetic patients, 1 process (history + review + rank, mean {mean_disp:.0f} dispensings) | {screen_s:.1f} s wall, {one_cpu:.2f} ms CPU per patient | {naive_per * n:.0f} s (100-patient sample, extrapolated) | {naive_per * n / screen_s:.1f}x | < 1 ms CPU per patient |
| the same screen on 2 worker processes (`gibon pharm screen --workers 2`) | {pool_s:.1f} s wall, {pool_cpu:.2f} ms CPU per patient (parent {pool_parent / n * 1000:.2f} + workers {pool_workers / n * 1000:.2f}) | 1 process, same run: {screen_s:.1f} s wall | {screen_s / pool_s:.2f}x faster in wall time | < 1 ms CPU per patient |

**< 1 ms CPU per patient: {met}** in this run ({one_cpu:.2f} ms in one process, {pool_cpu:.2f} ms
on two workers, 1-minute load average {load}: start → after 1 process → after 2 workers).

Where one patient's CPU goes (one process, first 300 patients, after the runs above):

| part | CPU per patient |
|---|---|
{stage_rows}

Same ranking from 1 and 2 workers (checked in this run, and by `tests/pharm/test_cli.py`); every
review and the ranking are pinned by `tests/pharm/test_pinned_results.py` (case files and 300
synthetic people), so speed work cannot change a result. The screen builds gibon's own synthetic
years without Pydantic re-validation (`synth.review_input`, tested equal to the validated input);
the 150-dispensing figure goes through validation, as a pharmacist's file does.
gibon runs all 24 checks (DUR, Beers, STOPP/START, renal, burden, cascades ...); the baseline runs
only DUR 병용금기, comparing every pair of overlapping dispensings with all 1,628 list rows.
Knowledge base loaded once (cold load adds about 0.7 s to the first review); the workers are forked
after it is loaded. CPU time is user + system time from `getrusage`: this process, plus the worker
processes, which the pool reaps when it closes. The machine's 2 cores are shared with other
engineers' jobs: at a load above 2 the wall-time ratio understates what two free cores give, and
CPU time per patient also rises with contention (cache and core sharing).
"""
    if not args.no_write:
        write_section(
            "pharm",
            "Medication review (gibon pharm)",
            body,
            f".venv/bin/python benchmarks/pharm_review.py --patients {args.patients}",
        )
    print(body)


if __name__ == "__main__":
    main()
