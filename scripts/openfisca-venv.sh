#!/usr/bin/env bash
# Create the OpenFisca benchmark venv (.venv-openfisca in the repo, gitignored) from PyPI.
# openfisca-core is AGPL-3.0: it lives only in this separate venv, which the benchmarks run as a
# child process for the same-run baseline; it is never a dependency of gibon and never imported by it.
# Usage: scripts/openfisca-venv.sh [VENV_DIR]   (default: <repo>/.venv-openfisca)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
venv="${1:-$repo/.venv-openfisca}"
python="${PYTHON:-python3}"
if [ -x "$venv/bin/python" ] && "$venv/bin/python" -c "import openfisca_core, openfisca_country_template" 2>/dev/null; then
  exit 0
fi
"$python" -m venv "$venv"
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q openfisca-core openfisca-country-template 'openfisca-core[web-api]'
"$venv/bin/python" -c "import openfisca_core, openfisca_country_template; print('OpenFisca benchmark venv ready:', '$venv')"
