"""Scale-out benchmark: the extraction of a generated corpus on a Dask cluster of 1, then 2 workers.

    python -m bench.scale_out [--n 100000] [--work DIR] [--corpus DIR] [--keep]

1. Generates ``n`` articles (bench/corpus.py, from ../shared/corpus/baomoi-2017 when present,
   else from seeds/) unless ``--work`` already holds them.
2. Ingests and normalizes them once, in this process, into the Parquet staging area.
3. For 1 and 2 workers: starts a Dask scheduler and that many single-threaded workers on
   loopback, materializes the extraction asset through them (``pipelines.scale_out``), and
   times the run from submission to the last event.
4. Checks that both runs staged identical extraction tables.

The last line is machine-readable: ``speedup=<1-worker time / 2-worker time>``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "baomoi-2017"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.scale_out", description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000, help="articles to generate (default 100,000)")
    ap.add_argument("--work", type=Path, default=None, help="work directory (default: a new temporary one)")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="source corpus for the generator")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("--reuse", action="store_true", help="with --work: reuse articles staged by a previous run")
    a = ap.parse_args(argv)
    work = a.work or Path(tempfile.mkdtemp(prefix="news-scale-out-"))
    inbox, staging = work / "inbox", work / "staging"
    env = {**os.environ, "NEWS_INBOX_DIR": str(inbox), "NEWS_WAREHOUSE_PATH": str(work / "wh" / "news.duckdb"),
           "NEWS_STAGING_DIR": str(staging), "NEWS_AUTOMATION": "off"}
    env.pop("DAGSTER_HOME", None)
    os.environ.update({k: env[k] for k in ("NEWS_INBOX_DIR", "NEWS_WAREHOUSE_PATH", "NEWS_STAGING_DIR")})

    # Imported once the environment is set: the definitions read it when they load.
    import dagster as dg
    import polars as pl

    from bench.corpus import generate
    from pipelines.assets import articles as articles_asset
    from pipelines.assets import ingest_inbox
    from pipelines.assets.extract import EXTRACT_SHARDS
    from pipelines.partitions import days_of, range_tags
    from pipelines.resources import default_resources
    from pipelines.scale_out import loopback_cluster, run_on_dask
    from pipelines.schemas import EXTRACTION_TABLES
    from pipelines.text.ingest import list_inputs

    t0 = time.perf_counter()
    if len(list(inbox.glob("*.txt"))) != a.n:
        shutil.rmtree(inbox, ignore_errors=True)
        generate(inbox, a.n, a.corpus if a.corpus.is_dir() else None)
    print(f"corpus: {a.n:,} articles in {inbox} ({time.perf_counter() - t0:.0f} s)", flush=True)

    listing = list_inputs(inbox)
    tags = range_tags(days_of(listing, listing["input_name"].to_list()))
    t0 = time.perf_counter()
    stem = tags["dagster/asset_partition_range_start"] + ".." + tags["dagster/asset_partition_range_end"]
    if a.reuse and (staging / "articles" / f"{stem}.parquet").is_file():
        print("ingest + normalize: reusing the staged articles of a previous run (--reuse)", flush=True)
    else:
        staged = dg.materialize([ingest_inbox, articles_asset], resources=default_resources(), tags=tags,
                                instance=dg.DagsterInstance.ephemeral(),
                                run_config={"ops": {"ingest_inbox": {"config": {"new_files_only": False}}},
                                            "loggers": {"console": {"config": {"log_level": "WARNING"}}}})
        assert staged.success, "ingest/normalize failed"
        print(f"ingest + normalize (in-process, staged once): {time.perf_counter() - t0:.0f} s", flush=True)

    keys = [dg.AssetKey(name) for name in EXTRACTION_TABLES]
    rows, results = [], {}
    (work / "dagster_home").mkdir(exist_ok=True)
    for workers in (1, 2):
        with loopback_cluster(workers, work, env) as cluster, \
                dg.DagsterInstance.local_temp(tempdir=str(work / "dagster_home")) as instance:
            t0 = time.perf_counter()
            result = run_on_dask(cluster["address"], instance, tags, asset_selection=keys)
            wall = time.perf_counter() - t0
        assert result.success, f"extraction on {workers} worker(s) failed (logs in {work})"
        results[workers] = {name: pl.read_parquet(staging / name / f"{stem}.parquet") for name in EXTRACTION_TABLES}
        rows.append((workers, wall, a.n / wall))
        print(f"{workers} worker(s): {wall:.1f} s, {a.n / wall:.0f} articles/s", flush=True)
    same = all(results[1][name].equals(results[2][name]) for name in EXTRACTION_TABLES)
    speedup = rows[0][1] / rows[1][1]

    print()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; shards: {EXTRACT_SHARDS}; "
          f"mentions: {results[2]['mentions'].height:,}, quotes: {results[2]['quotes'].height:,}")
    print("| workers | extraction wall (s) | articles/s |")
    print("|---:|---:|---:|")
    for workers, wall, aps in rows:
        print(f"| {workers} | {wall:.1f} | {aps:.0f} |")
    print(f"identical extraction tables on 1 and 2 workers: {same}")
    if not a.keep and a.work is None:
        shutil.rmtree(work, ignore_errors=True)
    print(f"speedup={speedup:.2f}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
