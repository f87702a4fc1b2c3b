"""Extract: per-article people, titles, organizations, places, quotes and events.

The extraction is a graph of ops: the run's articles are cut into ``EXTRACT_SHARDS``
contiguous shards, each shard is extracted by its own op, and the shards' tables are
put back together in article order. Each shard op is a separate step, so the executor
decides where it runs: one after the other in-process (``make run``), in parallel
processes (``multiprocess_executor``, the UI's default), or on the workers of a Dask
cluster (``pipelines.scale_out``). Extraction is per article, so the result does not
depend on the number of shards or on where they ran.
"""

import os
import time
from collections.abc import Callable

import dagster as dg
import polars as pl

from pipelines.assets.meta import frame_metadata
from pipelines.extract import extract_articles
from pipelines.io import discard_run_files
from pipelines.partitions import PARTITIONED
from pipelines.schemas import EXTRACTION_TABLES

DESCRIPTIONS = {
    "mentions": "Every person, organization and place mention per article, with its offsets into the body.",
    "person_titles": "Titles and positions each person is given in an article, with the organization named.",
    "organizations": "Organizations found in the articles, with their type.",
    "quotes": "Direct and indirect quotes per article: speaker (as written and resolved), cue verb, offsets.",
    "events": "Events reported per article (meetings, visits, ceremonies ...) before cross-article merging.",
}
assert set(DESCRIPTIONS) == set(EXTRACTION_TABLES)

# Part of the job's structure: the process that launches a run and every worker must agree
# (set NEWS_EXTRACT_SHARDS alike everywhere). More shards than workers balances uneven shards.
EXTRACT_SHARDS = max(1, int(os.environ.get("NEWS_EXTRACT_SHARDS", "4")))


def progress_logger(log: Callable[[str], None],
                    clock: Callable[[], float] = time.perf_counter) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback logging articles done, percent and articles/s."""
    start = clock()

    def progress(done: int, total: int) -> None:
        elapsed = max(clock() - start, 1e-9)
        pct = 100.0 * done / total if total else 100.0
        rate = done / elapsed
        eta = (total - done) / rate if rate else 0.0
        log(f"extracted {done}/{total} articles ({pct:.0f}%), {rate:.1f} articles/s, "
            f"{elapsed:.1f} s elapsed, ~{eta:.0f} s to go")

    return progress


def shard_bounds(n_rows: int, shards: int) -> list[tuple[int, int]]:
    """``(offset, length)`` of ``shards`` contiguous slices of nearly equal size covering ``n_rows``."""
    edges = [round(k * n_rows / shards) for k in range(shards + 1)]
    return [(edges[k], edges[k + 1] - edges[k]) for k in range(shards)]


def combine_shards(shards: list[dict[str, pl.DataFrame]]) -> dict[str, pl.DataFrame]:
    """The shards' tables concatenated in shard order: what one pass over all articles gives."""
    frames = {name: pl.concat([shard[name] for shard in shards]) for name in EXTRACTION_TABLES}
    frames["organizations"] = frames["organizations"].unique(subset="name", keep="first", maintain_order=True)
    return frames


@dg.op(out={f"shard_{k}": dg.Out(pl.DataFrame) for k in range(EXTRACT_SHARDS)},
       description=f"Cut the run's articles into {EXTRACT_SHARDS} contiguous shards of nearly equal size.")
def split_articles(context: dg.OpExecutionContext, articles: pl.DataFrame):
    for k, (offset, length) in enumerate(shard_bounds(articles.height, EXTRACT_SHARDS)):
        yield dg.Output(articles.slice(offset, length), output_name=f"shard_{k}", metadata={"articles": length})
    context.log.info(f"{articles.height} articles in {EXTRACT_SHARDS} shards")


def _extract_shard_op(k: int) -> dg.OpDefinition:
    @dg.op(name=f"extract_shard_{k}", description=f"Extract every article of shard {k} (pipelines.extract).")
    def extract_shard(context: dg.OpExecutionContext, shard: pl.DataFrame) -> dict[str, pl.DataFrame]:
        return extract_articles(shard, progress=progress_logger(context.log.info))

    return extract_shard


EXTRACT_SHARD_OPS = [_extract_shard_op(k) for k in range(EXTRACT_SHARDS)]


@dg.op(ins={f"shard_{k}": dg.In() for k in range(EXTRACT_SHARDS)},
       out={name: dg.Out(pl.DataFrame) for name in EXTRACTION_TABLES},
       required_resource_keys={"io_manager"},
       description="Put the shards' tables back together, in article order.")
def combine_extraction(context: dg.OpExecutionContext, **shards: dict[str, pl.DataFrame]):
    frames = combine_shards([shards[f"shard_{k}"] for k in range(EXTRACT_SHARDS)])
    for name in EXTRACTION_TABLES:
        yield dg.Output(frames[name], output_name=name, metadata=frame_metadata(frames[name]))
    # Runs once every output above is stored: the shards' staged files are no longer needed.
    discard_run_files(context.resources.io_manager, context.run_id)


@dg.graph_multi_asset(
    outs={name: dg.AssetOut(description=DESCRIPTIONS[name], kinds={"python", "polars"})
          for name in EXTRACTION_TABLES},
    group_name="extract",
    **PARTITIONED,
)
def extraction(articles: pl.DataFrame):
    """Run the extraction library over the run's articles, shard by shard; one output per extraction table."""
    shards = split_articles(articles)
    # An op with one output returns that output's handle, not a tuple of handles.
    handles = [shards] if EXTRACT_SHARDS == 1 else [getattr(shards, f"shard_{k}") for k in range(EXTRACT_SHARDS)]
    done = {f"shard_{k}": EXTRACT_SHARD_OPS[k](handle) for k, handle in enumerate(handles)}
    tables = combine_extraction(**done)
    return {name: getattr(tables, name) for name in EXTRACTION_TABLES}
