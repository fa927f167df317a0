# Every target sets up the environment first: a fresh clone needs only Python 3.11 and make.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup setup-llm run test test-slow test-faults test-browser test-llm test-all bench lint format clean

setup: $(VENV)/.synced

# --inexact: keep the llm-server group if setup-llm installed it. --compile-bytecode: with
# PYTHONDONTWRITEBYTECODE set (as on our machines) every process would compile Prefect from
# source on import: 7.5 s instead of 2.5 s for a run's imports, 12 s instead of 6 s for its
# temporary Prefect server, seconds more for each worker pool.
$(VENV)/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet "uv==0.13.9"
	$(UV) sync --frozen --inexact --extra postgres --compile-bytecode
	@touch $@

## A real small LLM on CPU for the llm lane: llama-cpp-python (built from source, ~12 min on 2
## cores the first time, then cached by uv) and SmolLM2-135M-Instruct.
setup-llm: $(VENV)/.synced-llm

$(VENV)/.synced-llm: $(VENV)/.synced
	CMAKE_ARGS="-DGGML_NATIVE=OFF" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
		$(UV) sync --frozen --inexact --extra postgres --group llm-server --compile-bytecode
	@touch $@

## Run the pipeline end to end, offline, against the sample career site it serves on 127.0.0.1.
run: setup
	$(BIN)/python -m deployments.demo --output data

## The default test lane: real Redis (or an embedded one), real Prefect, real crawl4ai.
test: setup
	$(BIN)/pytest

## The slow lane: a Prefect server, `prefect deploy --all`, a process worker and RQ workers: a
## deployment run, Retry, kill -9 and Retry, --retry-failed, cancel (deployment, CLI, Ctrl-C).
test-slow: setup
	$(BIN)/pytest -m slow

## The fault suite, real processes: a worker SIGKILLed mid-job on each queue, Redis restarted (kill
## -9 and SIGTERM) with and without its append-only file, a queue no worker serves, worker hosts in
## network namespaces cut off (root and iproute2; skipped otherwise), bad input, two runs at once.
test-faults: setup
	$(BIN)/pytest -m faults

## The browser lane: JavaScript career pages in Debian's Chromium (/usr/bin/chromium), no DNS.
test-browser: setup
	$(BIN)/pytest -m browser

## The llm lane: the openai backend against SmolLM2-135M served by llama.cpp on 127.0.0.1.
test-llm: setup-llm
	$(BIN)/pytest -m llm

## Every lane (vLLM's gpu tests need a GPU host with the vllm extra).
test-all: setup-llm
	$(BIN)/pytest -m "not gpu"

## Benchmarks over the local sample site with simulated latency: the fetch stage alone (no-browser
## and browser paths vs httpx + selectolax), the pipeline vs a sequential baseline, then the
## enrich stage per backend (rules; SmolLM2 on llama.cpp) with and without the answer cache,
## then persisting and exporting 100,000 postings vs row-by-row inserts, then a fetch worker's
## memory over 10,000 jobs vs no-op jobs.
bench: setup-llm
	$(BIN)/python -m tests.benchmarks.bench_fetch
	$(BIN)/python -m tests.benchmarks.bench_pipeline --companies 300 --latency 0.2
	$(BIN)/python -m tests.benchmarks.bench_scale --sizes 100 1000 5000 --latency 0.05
	$(BIN)/python -m tests.benchmarks.bench_enrich
	$(BIN)/python -m tests.benchmarks.bench_persist
	$(BIN)/python -m tests.benchmarks.bench_worker_memory

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) data .pytest_cache
