"""Headless run: materialize every asset and check in-process, then report the warehouse.

    python -m pipelines.cli [--verbose]

Honours NEWS_INBOX_DIR, NEWS_WAREHOUSE_PATH and NEWS_STAGING_DIR like `dagster dev`.
Exits 1 with a plain message when a step fails or a check fails.
"""

import argparse
import sys

import dagster as dg

from pipelines.assets import ALL_ASSETS
from pipelines.checks import ALL_CHECKS
from pipelines.resources import default_resources, read_only_connection
from pipelines.schemas import WAREHOUSE_TABLES


def run(resources: dict[str, object], verbose: bool = False) -> dg.ExecuteInProcessResult:
    # Ephemeral instance: a headless run needs no run history and must not touch DAGSTER_HOME.
    level = "DEBUG" if verbose else "WARNING"
    return dg.materialize([*ALL_ASSETS, *ALL_CHECKS], resources=resources, raise_on_error=False,
                          instance=dg.DagsterInstance.ephemeral(),
                          run_config={"loggers": {"console": {"config": {"log_level": level}}}})


def failures(result: dg.ExecuteInProcessResult) -> list[str]:
    """Plain-language lines for every failed step and failed check of a run."""
    lines = []
    for event in result.get_step_failure_events():
        data = event.step_failure_data
        message = (data.user_failure_data.description if data.user_failure_data and
                   data.user_failure_data.description else data.error.message.strip() if data.error else "failed")
        lines.append(f"step {event.step_key} failed: {message}")
    for evaluation in result.get_asset_check_evaluations():
        if not evaluation.passed:
            key = evaluation.asset_check_key
            n = evaluation.metadata.get("failing_rows")
            suffix = f" ({n.value} rows)" if n is not None else ""
            lines.append(f"check {key.asset_key.to_user_string()}:{key.name} failed{suffix}")
    return lines


def row_counts(path: str) -> list[tuple[str, int]]:
    with read_only_connection(path) as con:
        return [(t, con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in WAREHOUSE_TABLES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.cli", description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="show Dagster's step logs")
    args = parser.parse_args(argv)
    resources = default_resources()
    inbox, warehouse = resources["inbox"], resources["warehouse"]
    print(f"inbox:     {inbox.path}")
    result = run(resources, verbose=args.verbose)
    problems = failures(result)
    if not result.success:
        print("run FAILED:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    width = max(len(t) for t in WAREHOUSE_TABLES)
    for table, n in row_counts(str(warehouse.target)):
        print(f"  {table:<{width}}  {n:>7}")
    print(f"warehouse: {warehouse.target}")
    if problems:
        print("checks FAILED:", *problems, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
