#!/usr/bin/env python
"""Baseline benchmark of OpenFisca (openfisca-core + openfisca-country-template).

Where it came from: the team's own benchmark script, first kept outside the repository as
/work/shared/bench/openfisca_baseline.py (2026-12) and copied here unchanged in what it measures,
so that anyone with the repository can reproduce the same-run baselines. It is gibon's code,
under gibon's licence (Apache-2.0). It imports openfisca-core and openfisca-country-template
(AGPL-3.0) only at run time, inside the separate benchmark venv `.venv-openfisca` that
`make bench-deps` (scripts/openfisca-venv.sh) creates from PyPI: OpenFisca is never a
dependency of gibon, and nothing under src/ imports it.

Two measurements:

  batch  : vectorised simulation of N synthetic households (random sizes,
           ages, salaries, rents) for one month; times simulation build and
           each output variable (cold, i.e. including its dependencies, on a
           fresh simulation; and incremental, on one shared simulation in
           the order a dashboard would ask for them).
  single : latency of one household computed the way a web calculator would:
           JSON-like situation dict -> SimulationBuilder.build_from_entities
           -> calculate a few variables.  The TaxBenefitSystem is loaded once
           (as a web server would) and its load time is reported separately.

Setup (PyPI only): make bench-deps  (python3 -m venv .venv-openfisca, then
  .venv-openfisca/bin/pip install openfisca-core openfisca-country-template 'openfisca-core[web-api]')

Usage:
  /usr/bin/time -v .venv-openfisca/bin/python benchmarks/openfisca_baseline.py batch --households 100000
  .venv-openfisca/bin/python benchmarks/openfisca_baseline.py single --repeat 300
  # Web API (start it first, loopback only):
  .venv-openfisca/bin/openfisca serve -c openfisca_country_template --bind 127.0.0.1:5011 --workers 1 &
  .venv-openfisca/bin/python benchmarks/openfisca_baseline.py api --url http://127.0.0.1:5011 --repeat 300

Prints one JSON object per run on stdout (plus human-readable lines on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import numpy as np

PERIOD = "2026-01"  # one month
YEAR = "2026"

# Variables asked for, in "dashboard" order. Entities: P = person, H = household.
OUTPUTS = [
    ("age", "P", PERIOD),
    ("basic_income", "P", PERIOD),
    ("income_tax", "P", PERIOD),
    ("social_security_contribution", "P", PERIOD),
    ("pension", "P", PERIOD),
    ("household_income", "H", PERIOD),
    ("housing_allowance", "H", PERIOD),  # ended 2016-11-30 in the template -> 0
    ("parenting_allowance", "H", PERIOD),
    ("housing_tax", "H", YEAR),  # YEAR variable
    ("total_benefits", "H", PERIOD),
    ("total_taxes", "H", PERIOD),
    ("disposable_income", "H", PERIOD),  # pulls in almost everything
]

# Household-size distribution roughly like Gwanak-gu (very many 1-person hh).
SIZE_VALUES = np.array([1, 2, 3, 4, 5])
SIZE_PROBS = np.array([0.55, 0.22, 0.12, 0.08, 0.03])


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def rss_mb() -> float:
    try:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    except Exception:  # pragma: no cover
        return float("nan")


def load_tbs():
    t0 = time.perf_counter()
    from openfisca_country_template import CountryTaxBenefitSystem

    tbs = CountryTaxBenefitSystem()
    return tbs, time.perf_counter() - t0


def synth_population(n_households: int, seed: int = 42):
    """Return dict of numpy arrays describing persons and households."""
    rng = np.random.default_rng(seed)
    sizes = rng.choice(SIZE_VALUES, size=n_households, p=SIZE_PROBS)
    n_persons = int(sizes.sum())
    hh_of_person = np.repeat(np.arange(n_households), sizes)
    # position within household: 0 for the first member
    starts = np.cumsum(sizes) - sizes
    pos = np.arange(n_persons) - np.repeat(starts, sizes)
    # first member (and second member of 3+ hh) is an adult; others children
    is_adult = (
        (pos == 0)
        | ((pos == 1) & (np.repeat(sizes, sizes) == 2))
        | ((pos == 1) & (np.repeat(sizes, sizes) >= 3))
    )
    age = np.where(is_adult, rng.integers(19, 90, n_persons), rng.integers(0, 19, n_persons))
    # birth dates (the template computes age from birth, definition ETERNITY)
    birth_year = 2026 - age - 1
    birth_month = rng.integers(1, 13, n_persons)
    birth = (
        (birth_year - 1970).astype("datetime64[Y]").astype("datetime64[M]")
        + (birth_month - 1).astype("timedelta64[M]")
    ).astype("datetime64[D]") + np.timedelta64(14, "D")
    # monthly salary: 35% of adults have none, others lognormal around 2.6M KRW-ish
    # (the template is in EUR; values only matter for branches)
    salary = np.where(
        is_adult & (rng.random(n_persons) > 0.35),
        rng.lognormal(mean=np.log(2600), sigma=0.6, size=n_persons),
        0.0,
    )
    capital_returns = np.where(
        is_adult & (rng.random(n_persons) < 0.2), rng.exponential(200, n_persons), 0.0
    )
    rent = np.where(
        rng.random(n_households) < 0.6, rng.lognormal(np.log(600), 0.4, n_households), 0.0
    )
    accommodation_size = rng.uniform(15, 120, n_households)
    # enum indices: owner=0 tenant=1 free_lodger=2 homeless=3
    occupancy = rng.choice(4, size=n_households, p=[0.35, 0.6, 0.04, 0.01]).astype(np.int16)
    return dict(
        sizes=sizes,
        n_persons=n_persons,
        hh_of_person=hh_of_person,
        is_adult=is_adult,
        birth=birth,
        salary=salary,
        capital_returns=capital_returns,
        rent=rent,
        accommodation_size=accommodation_size,
        occupancy=occupancy,
    )


def build_simulation(tbs, pop):
    from openfisca_core.simulations import SimulationBuilder

    sb = SimulationBuilder()
    sb.create_entities(tbs)
    n_p = pop["n_persons"]
    n_h = len(pop["sizes"])
    sb.declare_person_entity("person", np.arange(n_p))
    households = sb.declare_entity("household", np.arange(n_h))
    roles = np.where(pop["is_adult"], "adult", "child")
    sb.join_with_persons(households, pop["hh_of_person"], roles)
    sim = sb.build(tbs)
    sim.set_input("birth", "ETERNITY", pop["birth"])
    sim.set_input("salary", PERIOD, pop["salary"])
    sim.set_input("capital_returns", PERIOD, pop["capital_returns"])
    sim.set_input("rent", PERIOD, pop["rent"])
    sim.set_input("accommodation_size", PERIOD, pop["accommodation_size"])
    sim.set_input("housing_occupancy_status", PERIOD, pop["occupancy"])
    return sim


def run_batch(n_households: int, cold: bool, seed: int):
    tbs, t_tbs = load_tbs()
    log(f"TBS load {t_tbs:.3f}s  rss={rss_mb():.0f}MB")
    t0 = time.perf_counter()
    pop = synth_population(n_households, seed)
    t_synth = time.perf_counter() - t0
    log(
        f"synth {n_households} hh / {pop['n_persons']} persons in {t_synth:.2f}s rss={rss_mb():.0f}MB"
    )

    t0 = time.perf_counter()
    sim = build_simulation(tbs, pop)
    t_build = time.perf_counter() - t0
    log(f"build {t_build:.2f}s rss={rss_mb():.0f}MB")

    # incremental (shared cache) in dashboard order
    incremental = {}
    t_all0 = time.perf_counter()
    results = {}
    for var, _ent, per in OUTPUTS:
        t0 = time.perf_counter()
        arr = sim.calculate(var, per)
        incremental[var] = time.perf_counter() - t0
        results[var] = arr
    t_all = time.perf_counter() - t_all0
    log(f"all outputs (shared cache) {t_all:.2f}s rss={rss_mb():.0f}MB")
    for var, dt in incremental.items():
        log(f"  incr {var:32s} {dt * 1000:9.1f} ms")

    # sanity numbers
    summary = {
        "basic_income_sum": float(results["basic_income"].sum()),
        "parenting_allowance_recipients": int((results["parenting_allowance"] > 0).sum()),
        "disposable_income_mean": float(results["disposable_income"].mean()),
        "housing_tax_sum": float(results["housing_tax"].sum()),
    }

    # cold cost: each variable on a fresh simulation (includes dependencies)
    cold_t = {}
    del sim, results
    if cold:
        for var, _ent, per in OUTPUTS:
            s = build_simulation(tbs, pop)
            t0 = time.perf_counter()
            s.calculate(var, per)
            cold_t[var] = time.perf_counter() - t0
            del s
        for var, dt in cold_t.items():
            log(f"  cold {var:32s} {dt * 1000:9.1f} ms")

    # whole pipeline again, from inputs to disposable_income only (typical microsim)
    s = build_simulation(tbs, pop)
    t0 = time.perf_counter()
    s.calculate("disposable_income", PERIOD)
    t_disp = time.perf_counter() - t0
    del s

    out = {
        "mode": "batch",
        "households": n_households,
        "persons": int(pop["n_persons"]),
        "period": PERIOD,
        "tbs_load_s": round(t_tbs, 4),
        "synth_s": round(t_synth, 4),
        "build_s": round(t_build, 4),
        "all_outputs_shared_cache_s": round(t_all, 4),
        "disposable_income_from_inputs_s": round(t_disp, 4),
        "households_per_s_all_outputs": round(n_households / t_all, 1),
        "households_per_s_build_plus_all": round(n_households / (t_build + t_all), 1),
        "households_per_s_disposable_income": round(n_households / t_disp, 1),
        "incremental_ms": {k: round(v * 1000, 2) for k, v in incremental.items()},
        "cold_ms": {k: round(v * 1000, 2) for k, v in cold_t.items()},
        "cold_ns_per_household": {k: round(v * 1e9 / n_households, 1) for k, v in cold_t.items()},
        "peak_rss_mb_self": round(rss_mb(), 1),
        "summary": summary,
        "numpy": np.__version__,
    }
    return out


def single_situation(i: int):
    """A web-calculator style situation: a couple with one child, varying salary."""
    return {
        "persons": {
            "a": {"birth": {"ETERNITY": "1985-03-02"}, "salary": {PERIOD: 2000.0 + i}},
            "b": {"birth": {"ETERNITY": "1987-07-10"}, "salary": {PERIOD: 0.0}},
            "c": {"birth": {"ETERNITY": "2022-01-20"}},
        },
        "households": {
            "h": {
                "adults": ["a", "b"],
                "children": ["c"],
                "rent": {PERIOD: 800.0},
                "accommodation_size": {PERIOD: 60.0},
                "housing_occupancy_status": {PERIOD: "tenant"},
            }
        },
    }


def run_single(repeat: int):
    from openfisca_core.simulations import SimulationBuilder

    tbs, t_tbs = load_tbs()
    wanted = ["basic_income", "income_tax", "parenting_allowance", "disposable_income"]
    lat_build, lat_calc, lat_total = [], [], []
    # warm-up
    for i in range(repeat + 20):
        sit = single_situation(i)
        t0 = time.perf_counter()
        sim = SimulationBuilder().build_from_entities(tbs, sit)
        t1 = time.perf_counter()
        vals = {}
        for v in wanted:
            vals[v] = sim.calculate(v, PERIOD).tolist()
        t2 = time.perf_counter()
        if i >= 20:
            lat_build.append(t1 - t0)
            lat_calc.append(t2 - t1)
            lat_total.append(t2 - t0)

    def q(xs, p):
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(p * len(xs)))]

    out = {
        "mode": "single",
        "repeat": repeat,
        "tbs_load_s": round(t_tbs, 4),
        "build_ms_median": round(statistics.median(lat_build) * 1000, 3),
        "calc4_ms_median": round(statistics.median(lat_calc) * 1000, 3),
        "total_ms_median": round(statistics.median(lat_total) * 1000, 3),
        "total_ms_p95": round(q(lat_total, 0.95) * 1000, 3),
        "total_ms_max": round(max(lat_total) * 1000, 3),
        "last_values": vals,
        "peak_rss_mb_self": round(rss_mb(), 1),
    }
    return out


def api_situation(n_households: int):
    """Web API /calculate payload: n couples-with-child, outputs requested as null."""
    persons, households = {}, {}
    for i in range(n_households):
        a, b, c = f"a{i}", f"b{i}", f"c{i}"
        persons[a] = {
            "birth": {"ETERNITY": "1985-03-02"},
            "salary": {PERIOD: 2000.0 + i},
            "basic_income": {PERIOD: None},
            "income_tax": {PERIOD: None},
        }
        persons[b] = {
            "birth": {"ETERNITY": "1987-07-10"},
            "salary": {PERIOD: 0.0},
            "basic_income": {PERIOD: None},
            "income_tax": {PERIOD: None},
        }
        persons[c] = {"birth": {"ETERNITY": "2022-01-20"}}
        households[f"h{i}"] = {
            "adults": [a, b],
            "children": [c],
            "rent": {PERIOD: 800.0},
            "accommodation_size": {PERIOD: 60.0},
            "housing_occupancy_status": {PERIOD: "tenant"},
            "parenting_allowance": {PERIOD: None},
            "disposable_income": {PERIOD: None},
        }
    return {"persons": persons, "households": households}


def run_api(url: str, repeat: int, sizes):
    import http.client
    from urllib.parse import urlparse

    u = urlparse(url)
    res = {"mode": "api", "url": url, "repeat": repeat}
    for n in sizes:
        body = json.dumps(api_situation(n)).encode()
        lat = []
        reps = repeat if n == 1 else max(5, repeat // 20)
        for i in range(reps + 5):
            t0 = time.perf_counter()
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
            conn.request("POST", "/calculate", body, {"Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
            conn.close()
            dt = time.perf_counter() - t0
            if r.status != 200:
                raise SystemExit(f"HTTP {r.status}: {data[:500]!r}")
            if i >= 5:
                lat.append(dt)
        lat.sort()
        res[f"hh{n}"] = {
            "requests": reps,
            "payload_kb": round(len(body) / 1024, 1),
            "ms_median": round(statistics.median(lat) * 1000, 2),
            "ms_p95": round(lat[min(len(lat) - 1, int(0.95 * len(lat)))] * 1000, 2),
            "households_per_s": round(n / statistics.median(lat), 1),
        }
        log(f"api {n} hh: {res[f'hh{n}']}")
    return res


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="mode", required=True)
    b = sub.add_parser("batch")
    b.add_argument("--households", type=int, default=10_000)
    b.add_argument("--no-cold", action="store_true")
    b.add_argument("--seed", type=int, default=42)
    s = sub.add_parser("single")
    s.add_argument("--repeat", type=int, default=300)
    a = sub.add_parser("api")
    a.add_argument("--url", default="http://127.0.0.1:5011")
    a.add_argument("--repeat", type=int, default=300)
    a.add_argument("--sizes", default="1,100,1000")
    args = ap.parse_args()
    if args.mode == "api":
        out = run_api(args.url, args.repeat, [int(x) for x in args.sizes.split(",")])
    elif args.mode == "batch":
        out = run_batch(args.households, cold=not args.no_cold, seed=args.seed)
    else:
        out = run_single(args.repeat)
    out["pid_threads_env"] = {
        k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "NUMEXPR_MAX_THREADS")
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
