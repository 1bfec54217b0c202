# The README's two commands: `make demo` and `make test`. Only python3 (3.11+), git and make
# are assumed; everything else is installed into .venv by these targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint format test-postgres benchmark clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Python 3.11+ is required")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/tastemaker db upgrade
	$(BIN)/tastemaker demo load --if-empty
	$(BIN)/tastemaker serve --host $(HOST) --port $(PORT) --no-migrate

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: $(VENV)/.installed-dev
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

test: lint
	$(BIN)/python -m pytest $(PYTEST_ARGS)

benchmark: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/creators_list.py
	$(BIN)/python benchmarks/import_csv.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
