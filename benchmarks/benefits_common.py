#!/usr/bin/env python
"""Shared helpers of the gibon.benefits benchmarks: child processes and the OpenFisca baseline.

OpenFisca (AGPL-3.0) lives in its own venv in the repository, never a gibon dependency:
``make bench-deps`` (scripts/openfisca-venv.sh) creates the gitignored ``.venv-openfisca`` from
PyPI (override: OPENFISCA_PYTHON). The baseline script is benchmarks/openfisca_baseline.py
(override: OPENFISCA_BASELINE).
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASELINE = Path(os.environ.get("OPENFISCA_BASELINE", str(HERE / "openfisca_baseline.py")))
OF_PY = Path(os.environ.get("OPENFISCA_PYTHON", str(HERE.parent / ".venv-openfisca/bin/python")))


def require_openfisca() -> None:
    """Stop with the command that installs the baseline when its venv is missing."""
    if not OF_PY.exists():
        raise SystemExit(
            f"OpenFisca benchmark venv not found at {OF_PY}: run `make bench-deps` "
            "(scripts/openfisca-venv.sh) or set OPENFISCA_PYTHON"
        )


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# One BLAS thread in every measured child, gibon's and OpenFisca's alike. OpenBLAS otherwise
# starts a thread per core whose busy-waiting is counted as CPU time without making anything
# faster: OpenFisca's template batch read 0.33 s CPU for 0.23 s wall with it and 0.21 s for
# 0.21 s without (same run, 251,709 households), which flattered every CPU ratio against it.
ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def child_json(cmd: list[str]) -> dict[str, Any]:
    """Run one measurement in a fresh process (its own peak RSS) and read its JSON line."""
    env = {**os.environ, **ONE_THREAD}
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def baseline_module() -> Any:
    spec = importlib.util.spec_from_file_location("openfisca_baseline", BASELINE)
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def child_modes(modes: dict[str, Callable[..., Any]]) -> bool:
    """``script _mode args…`` runs one child measurement and prints it; True if it did."""
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):
        out = modes[sys.argv[1]](*sys.argv[2:])
        if out is not None:
            print(json.dumps(out))
        return True
    return False


def load_note(before: float) -> str:
    return (
        f"- Shared 2-core machine: 1-minute load average {before:.1f} at the start and "
        f"{os.getloadavg()[0]:.1f} at the end of the run (other agents were working); "
        "read the ratios, not the lone times."
    )
