# Common tasks. `make run` builds the warehouse from the inbox (default seeds/),
# `make test` runs the suite, `make ui` opens Dagster's UI on the same definitions.
# NEWS_INBOX_DIR / NEWS_WAREHOUSE_PATH / NEWS_STAGING_DIR override the paths.

PY ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
WAREHOUSE ?= $(or $(NEWS_WAREHOUSE_PATH),warehouse/news.duckdb)
# dagster.yaml (concurrency pools) must sit in DAGSTER_HOME to take effect.
DAGSTER_HOME_DIR := $(CURDIR)/.dagster_home

.PHONY: venv run test eval ui daemon rebuild clean sql ui-test robustness

venv: $(VENV)/.installed

# Re-install only when the dependencies change.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/python -m pipelines.cli

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

# Ingest, normalize and extract every file of ../shared/corpus/baomoi-2017 (skipped when absent):
# no crash, every file an article or a rejection, counts printed. `make test` leaves it out (slow).
robustness: $(VENV)/.installed
	$(BIN)/python -m pytest -q -s -m slow tests/robustness

# Our scores and underthesea's side by side on ../shared/eval/dev (skipped when absent).
eval: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,peer]"
	$(BIN)/python -m evaluation.run_eval

# Benchmarks of issue 6 (throughput vs the peer, end to end, 50k/100k scale, incremental, queries,
# quality in the same run): a table, docs/benchmarks.md, a machine-readable last line. Not part of
# `make test`. The full run takes a long while on 2 cores; bench-quick is a few-minute smoke run.
.PHONY: bench bench-quick
bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,peer,bench]"
	$(BIN)/python -m bench.run

bench-quick: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,peer,bench]"
	$(BIN)/python -m bench.run --quick

# Issue 8: the extraction of a generated 100k corpus on a Dask cluster of 1, then 2 workers on
# loopback (bench/scale_out.py); last line `speedup=<x>`. BENCH_SCALE_OUT_N=5000 for a quick run.
.PHONY: bench-scale-out
bench-scale-out: $(VENV)/.installed
	$(BIN)/python -m bench.scale_out --n $(or $(BENCH_SCALE_OUT_N),100000)

ui: $(VENV)/.installed
	mkdir -p $(DAGSTER_HOME_DIR)
	cp dagster.yaml $(DAGSTER_HOME_DIR)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(BIN)/dagster dev -w workspace.yaml

# The sensor, the daily schedule and the run queue without the UI (unattended refreshes).
daemon: $(VENV)/.installed
	mkdir -p $(DAGSTER_HOME_DIR)
	cp dagster.yaml $(DAGSTER_HOME_DIR)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(BIN)/dagster-daemon run -w workspace.yaml

# A SQL shell on the warehouse, read-only so a refresh is never blocked: the DuckDB CLI of
# exactly the installed duckdb version (same storage format), installed on first use.
# Ready queries: warehouse/queries/*.sql (`.read warehouse/queries/01_who_said_what_about_topic.sql`).
sql: $(VENV)/.installed
	@v=$$($(BIN)/python -c 'import duckdb; print(duckdb.__version__)'); \
	  $(BIN)/duckdb --version 2>/dev/null | grep -q "^v$$v " || $(BIN)/python -m pip install --quiet "duckdb-cli==$$v"
	@test -f $(WAREHOUSE) || $(BIN)/python -m pipelines.cli
	@echo "$(WAREHOUSE) (read-only). Ready queries in warehouse/queries/, e.g. .read warehouse/queries/09_who_met_whom.sql"
	$(BIN)/duckdb -readonly $(WAREHOUSE)

# The UI in headless Chromium: dagster dev on a free port, Materialize all, row counts
# (installs selenium, and chromium + chromium-driver with apt-get when missing; skips with the
# reason when no browser can be had). Screenshots: tests/e2e/artifacts/.
ui-test: $(VENV)/.installed
	$(BIN)/python -c 'import selenium' 2>/dev/null || $(BIN)/python -m pip install --quiet -e ".[test,ui]"
	$(BIN)/python -m pytest -q -m e2e tests/e2e

rebuild: $(VENV)/.installed
	rm -f $(WAREHOUSE) $(WAREHOUSE).wal
	$(BIN)/python -m pipelines.cli

clean:
	rm -rf warehouse/staging .dagster_home
