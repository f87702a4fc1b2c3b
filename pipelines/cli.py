"""Headless run: materialize every asset and check in-process, then report the warehouse.

    python -m pipelines.cli [--verbose] [--days FIRST[..LAST]] [--reread] [--dask]

Without ``--days`` it is an incremental refresh: the run covers the ingest days
(``pipelines.partitions``) of the files new or changed since the last refresh and reads
only those files. ``--days`` re-runs a slice instead, reading every file of those days
again (``--reread``) or only its new ones. ``--dask`` runs the steps on the Dask cluster
at ``$NEWS_DASK_SCHEDULER`` (``pipelines.scale_out``) instead of in this process.

Honours NEWS_INBOX_DIR, NEWS_WAREHOUSE_PATH and NEWS_STAGING_DIR like `dagster dev`.
Exits 1 with a plain message when a step fails or a check fails.
"""

import gc
import sys

if __name__ == "__main__":
    # Started as a program: its start-up (Dagster, Polars, the instance) allocates millions of
    # objects that live as long as the process. The cyclic collector would walk them again and
    # again as they pile up (0.3 s); it is off until the run starts (_startup_heap_frozen).
    gc.disable()
    if "--dask" not in sys.argv[1:]:  # on Dask, the report is drawn on a Dask worker
        # Forked now, before any import below starts a thread (pipelines.reporting.workers).
        from pipelines.reporting.workers import start_drawing_workers

        start_drawing_workers()

import argparse
import contextlib
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import dagster as dg

from pipelines.assets import ALL_ASSETS
from pipelines.assets.ingest import refresh_run_config
from pipelines.automation import pending_changes
from pipelines.checks import ALL_CHECKS
from pipelines.partitions import FIRST_DAY, ingest_days, range_tags
from pipelines.resources import default_resources, default_staging_dir, read_only_connection
from pipelines.schemas import WAREHOUSE_TABLES


def run(resources: dict[str, object], verbose: bool = False, days: list[str] | None = None,
        new_files_only: bool = True, dask_scheduler: str | None = None) -> dg.ExecuteInProcessResult:
    """Materialize everything for ``days`` (default: the days with new or changed files)."""
    if dask_scheduler:
        with _startup_heap_frozen():
            if days is None:
                days = pending_changes(resources["inbox"], resources["warehouse"]).days
            return _run_on_dask(dask_scheduler, days, new_files_only, verbose)
    # The inbox is listed (system calls and DuckDB, which release the GIL) while Dagster builds
    # its instance (Python, which holds it).
    listing = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="list-inbox") as pool:
        pending = pool.submit(pending_changes, resources["inbox"], resources["warehouse"]) if days is None else None
        # Ephemeral instance: a headless run needs no run history and must not touch DAGSTER_HOME.
        instance = dg.DagsterInstance.ephemeral()
        if pending is not None:
            days, listing = pending.result().days, pending.result().listing
    with tempfile.TemporaryDirectory(prefix="news-listing-") as scratch, _startup_heap_frozen():
        # The listing that chose the days goes to the ingest step, which need not list again.
        listing_file = ""
        if listing is not None:
            listing_file = str(Path(scratch) / "listing.parquet")
            listing.write_parquet(listing_file)
        return dg.materialize([*ALL_ASSETS, *ALL_CHECKS], resources=resources, raise_on_error=False,
                              instance=instance, tags=range_tags(days),
                              run_config=refresh_run_config(new_files_only, "DEBUG" if verbose else "WARNING",
                                                            listing_file))


@contextlib.contextmanager
def _startup_heap_frozen() -> Iterator[None]:
    """Keep Python's cyclic garbage collector off the objects that exist now (modules, the
    definitions, the instance: millions of objects that live as long as the run) until the
    block ends, and on for the rest (it may have been off during start-up). Otherwise every
    full collection walks them all again: half a second of a refresh of a few articles."""
    gc.freeze()
    enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        gc.unfreeze()
        if not enabled:
            gc.disable()


def _run_on_dask(scheduler: str, days: list[str], new_files_only: bool, verbose: bool):
    from pipelines.scale_out import run_on_dask

    # The workers write the steps' events to the run's instance: DAGSTER_HOME when set (shared by
    # every machine in a deployment), else a run history next to the staging area (one machine).
    home = os.environ.get("DAGSTER_HOME")
    if home:
        instance = dg.DagsterInstance.get()
    else:
        home = str(Path(default_staging_dir()).expanduser() / "dagster_home")
        Path(home).mkdir(parents=True, exist_ok=True)
        instance = dg.DagsterInstance.local_temp(tempdir=home)
    with instance:
        result = run_on_dask(scheduler, instance, range_tags(days), new_files_only,
                             log_level="DEBUG" if verbose else "WARNING")
        print(f"run:       {result.run_id} on {scheduler} (history in {home})")
        return result


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
    parser.add_argument("--days", metavar="FIRST[..LAST]",
                        help="ingest days (YYYY-MM-DD, Asia/Ho_Chi_Minh) to run instead of the days with new files")
    parser.add_argument("--reread", action="store_true",
                        help="with --days: read every file of those days again, not only new and changed ones")
    parser.add_argument("--dask", action="store_true",
                        help="run the steps on the Dask cluster at $NEWS_DASK_SCHEDULER (see docs/scale-out.md)")
    args = parser.parse_args(argv)
    scheduler = os.environ.get("NEWS_DASK_SCHEDULER", "") if args.dask else None
    if args.dask and not scheduler:
        parser.error("--dask needs NEWS_DASK_SCHEDULER, the address of a running Dask scheduler (tcp://host:8786)")
    resources = default_resources()
    inbox, warehouse = resources["inbox"], resources["warehouse"]
    print(f"inbox:     {inbox.path}")
    days = args.days.split("..") if args.days else None
    if days and len(days) == 1:
        days = days * 2
    if days and (len(days) != 2 or not all(ingest_days.has_partition_key(d) for d in days) or days[0] > days[1]):
        parser.error(f"--days {args.days}: expected DAY or FIRST..LAST, days from {FIRST_DAY} to today "
                     "(YYYY-MM-DD, Asia/Ho_Chi_Minh)")
    try:
        result = run(resources, verbose=args.verbose, days=days, new_files_only=not (args.days and args.reread),
                     dask_scheduler=scheduler)
    except dg.Failure as exc:  # raised before the run starts (listing the inbox to choose its days)
        print("run FAILED:", f"  {exc.description}", sep="\n", file=sys.stderr)
        return 1
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
    code = main()
    gc.freeze()  # the process ends here: spare the collector a last walk over the whole heap (0.5 s)
    sys.exit(code)
