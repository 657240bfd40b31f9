"""Benchmark: the care demo load, every case replayed through the services a user calls.

A fresh SQLite database gets a synthetic population and the demo accounts; then
``care.demo.load`` opens ``--cases`` cases and takes each through its steps (``_demo_case``).
Baseline, same run, same database: loading the residents themselves (``load_population``), the
step the demo load follows in ``gibon demo``. The figure to watch is seconds per case and the
ratio to the baseline (the machine's speed cancels out of it).

    .venv/bin/python benchmarks/care_demo.py [--persons 12000] [--cases 500] [--no-write]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _report import write_section


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=12_000)
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gibon-care-demo-"))
    url = f"sqlite:///{folder / 'bench.db'}"
    os.environ["GIBON_DATABASE_URL"] = url
    os.environ["GIBON_SECRET_KEY_FILE"] = str(folder / "secret.key")
    from gibon import db, demo, population
    from gibon.care import demo as care_demo
    from gibon.kit.crypto import Vault, load_or_create_key
    from gibon.residents import service as residents

    db.upgrade(url)
    engine = db.engine_for(url)
    vault = Vault(load_or_create_key(folder / "secret.key"))
    households, people = population.generate(seed=1, persons=args.persons)
    started = time.perf_counter()
    with db.transaction(engine) as session:
        residents.load_population(session, households, people, vault)
    baseline = time.perf_counter() - started
    with db.transaction(engine) as session:
        demo.ensure_accounts(session)
    started = time.perf_counter()
    with db.transaction(engine) as session:
        made = care_demo.load(session, vault, rng_seed=1, cases=args.cases)
    seconds = time.perf_counter() - started
    load = os.getloadavg()[0]
    body = (
        f"| what | seconds | per case |\n|---|---:|---:|\n"
        f"| residents loaded ({people.height:,} persons, baseline) | {baseline:.1f} | |\n"
        f"| care demo: {made} cases through the services | {seconds:.1f} | "
        f"{seconds / max(made, 1) * 1000:.0f} ms |\n\n"
        f"Ratio care demo / residents: {seconds / baseline:.1f}. Load average at the end: {load:.1f}."
    )
    print(body)
    if not args.no_write:
        write_section("care_demo", "Care demo load (through the services)", body)


if __name__ == "__main__":
    main()
