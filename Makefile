# The README's two commands. Everything else here is a step they take.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test setup system-deps bench-deps lint typecheck bench clean

# Serves at once; an empty database gets the demo district loaded in the background (progress on /).
run: setup system-deps
	$(BIN)/gibon db upgrade
	$(BIN)/gibon serve --load-demo

test: setup system-deps
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q -n 2 --dist loadgroup

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# Debian packages the tests use: Chromium for browser tests, Korean fonts and Pango for PDFs.
system-deps:
	@bash scripts/system-deps.sh

# The benchmarks' same-run baseline: openfisca-core + country template (AGPL-3.0) from PyPI into
# the gitignored .venv-openfisca, a venv of its own; never a dependency of gibon.
bench-deps:
	@PYTHON=$(PYTHON) bash scripts/openfisca-venv.sh

lint:
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck:
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .venv-openfisca var .pytest_cache
