# Every target sets up the environment first: a fresh clone needs only Python 3.11 and make.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test test-slow test-browser test-all bench lint format clean

setup: $(VENV)/.synced

$(VENV)/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.9"
	$(UV) sync --frozen --all-extras
	@touch $@

## Run the pipeline end to end, offline, against the sample career site it serves on 127.0.0.1.
run: setup
	$(BIN)/python -m deployments.demo --output data

## The default test lane: real Redis (or an embedded one), real Prefect, real crawl4ai.
test: setup
	$(BIN)/pytest

## The slow lane: a Prefect server, `prefect deploy --all`, a worker, `prefect deployment run`.
test-slow: setup
	$(BIN)/pytest -m slow

## The browser lane: JavaScript career pages in Debian's Chromium (/usr/bin/chromium), no DNS.
test-browser: setup
	$(BIN)/pytest -m browser

## Every lane.
test-all: setup
	$(BIN)/pytest -m ""

## Benchmarks over the local sample site with simulated latency: the fetch stage alone (no-browser
## and browser paths vs httpx + selectolax), then the pipeline vs a sequential baseline.
bench: setup
	$(BIN)/python -m tests.benchmarks.bench_fetch
	$(BIN)/python -m tests.benchmarks.bench_pipeline

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) data .pytest_cache
