# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
KG     := $(VENV)/bin/kg

.PHONY: demo test install install-test lint bench bench-10k clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Re-install when the project's requirements change.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## demo: set up, build the graph from sources/, verify every citation, write the fact sheets and the site
demo: install
	$(KG) build
	$(KG) verify
	$(KG) factsheet --all
	$(KG) site

## test: set up with the test extras, check the code (ruff, mypy) and run the whole suite
test: install-test
	$(VENV)/bin/ruff check kg tests benchmarks
	$(VENV)/bin/mypy
	$(PY) -m pytest

$(VENV)/.installed-bench: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[bench]'
	touch $@ $(VENV)/.installed

## bench: the scale benchmark at 100 and 1,000 synthetic articles (about 10 minutes on 2 cores)
bench: $(VENV)/.installed-bench
	$(PY) benchmarks/scale.py --sizes 100 1000

## bench-10k: the 10,000-article run (an hour or more); adds its figures to benchmarks/results/
bench-10k: $(VENV)/.installed-bench
	$(PY) benchmarks/scale.py --sizes 10000

lint: install-test
	$(VENV)/bin/ruff check kg tests benchmarks
	$(VENV)/bin/mypy

clean:
	rm -rf output/ .pytest_cache .mypy_cache .ruff_cache .hypothesis
