# Common tasks. `make run` builds the warehouse from the inbox (default seeds/),
# `make test` runs the suite, `make ui` opens Dagster's UI on the same definitions.
# NEWS_INBOX_DIR / NEWS_WAREHOUSE_PATH / NEWS_STAGING_DIR override the paths.

PY ?= $(shell command -v python3.11 >/dev/null 2>&1 && echo python3.11 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
WAREHOUSE ?= $(or $(NEWS_WAREHOUSE_PATH),warehouse/news.duckdb)
# dagster.yaml (concurrency pools) must sit in DAGSTER_HOME to take effect.
DAGSTER_HOME_DIR := $(CURDIR)/.dagster_home

.PHONY: venv run test eval ui rebuild clean

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

# Our scores and underthesea's side by side on ../shared/eval/dev (skipped when absent).
eval: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e ".[test,peer]"
	$(BIN)/python -m evaluation.run_eval

ui: $(VENV)/.installed
	mkdir -p $(DAGSTER_HOME_DIR)
	cp dagster.yaml $(DAGSTER_HOME_DIR)/dagster.yaml
	DAGSTER_HOME=$(DAGSTER_HOME_DIR) $(BIN)/dagster dev -w workspace.yaml

rebuild: $(VENV)/.installed
	rm -f $(WAREHOUSE) $(WAREHOUSE).wal
	$(BIN)/python -m pipelines.cli

clean:
	rm -rf warehouse/staging .dagster_home
