"""Warehouse: resolve across articles and write the contract tables in one atomic swap."""

import datetime as dt

import dagster as dg
import polars as pl

from pipelines.assets.meta import frame_metadata, warehouse_column_schema
from pipelines.partitions import PARTITIONED
from pipelines.resolve import build_from_state
from pipelines.resolve.refresh import merge_batch
from pipelines.resources import WarehouseResource, staging_frames
from pipelines.schemas import EXTRACTION_TABLES, WAREHOUSE_TABLES

DESCRIPTIONS = {
    "dim_article": "One row per distinct article: file, source, title, published date, sizes, first ingest time.",
    "article_text": "The normalized body of each article; all offsets in the facts index into it.",
    "dim_person": "One row per real person across all articles: canonical name without titles, ASCII name, aliases.",
    "dim_organization": "Organizations (ministries, party bodies, forces, international bodies) with their type.",
    "dim_location": "Places: provinces, cities, countries.",
    "fact_mention": "Every occurrence of a person, organization or place in an article, resolved to its dimension.",
    "fact_person_title": "Titles and positions a person is given in an article, as written.",
    "fact_quote": "Who said what: direct and indirect quotes with speaker, cue verb, event and offsets.",
    "fact_event": "One row per real-world event across articles: type, title, date and precision, place, chair.",
    "bridge_event_article": "Which articles report which event.",
    "bridge_event_participant": "Who took part in which event, and in what role.",
    "ingest_rejection": "Every inbox file that could not become an article, with a reason and first rejection time.",
}
assert set(DESCRIPTIONS) == set(WAREHOUSE_TABLES)

UPSTREAM = ["articles", "ingest_rejections", "inbox_listing", *EXTRACTION_TABLES]


@dg.multi_asset(
    specs=[dg.AssetSpec(name, description=DESCRIPTIONS[name], kinds={"duckdb"}, deps=UPSTREAM,
                        group_name="warehouse",
                        # Definition-time, so the catalog shows column descriptions before any run.
                        metadata={"dagster/column_schema": warehouse_column_schema(name),
                                  "dagster/table_name": f"main.{name}"})
           for name in WAREHOUSE_TABLES],
    ins={name: dg.AssetIn(name) for name in UPSTREAM},
    pool="duckdb_writer",  # one DuckDB writer at a time (limit set in dagster.yaml)
    # Partitioned like its inputs: a run merges the batch of its ingest days into the whole
    # warehouse (the tables always hold every day; a partition is what one run brought).
    **PARTITIONED,
    description="Merge this run's batch (new and changed inputs) into the warehouse's state, resolve people and "
                "events again over all current articles (pipelines.resolve), and write the contract tables, views "
                "and refresh state to the DuckDB warehouse in one atomic file swap.",
)
def warehouse_tables(context: dg.AssetExecutionContext, warehouse: WarehouseResource, articles: pl.DataFrame,
                     ingest_rejections: pl.DataFrame, inbox_listing: pl.DataFrame, mentions: pl.DataFrame,
                     person_titles: pl.DataFrame, organizations: pl.DataFrame, quotes: pl.DataFrame,
                     events: pl.DataFrame):
    extraction = {"mentions": mentions, "person_titles": person_titles, "organizations": organizations,
                  "quotes": quotes, "events": events}
    # The clock only stamps rows seen for the first time; later runs keep the first stamp.
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    # Read the previous state inside the writer pool: a run queued behind another merges
    # onto what that run wrote, never onto an older file.
    read = set(inbox_listing.filter(pl.col("read"))["input_name"].to_list())
    # A small batch patches a copy of the file (only the rows it changes); a first build or
    # a large batch builds it whole (WarehouseResource.refresh). Both give the same rows.
    with warehouse.writer_lock():
        done = warehouse.refresh(articles, extraction, ingest_rejections, inbox_listing.drop("read"), read, now)
    context.log.info(f"warehouse written to {warehouse.target} ({done.mode}): {done.stats}")
    for name in WAREHOUSE_TABLES:
        frame = done.previews[name]
        preview = frame.with_columns(pl.col("body").str.slice(0, 80)) if name == "article_text" else None
        yield dg.MaterializeResult(asset_key=name, metadata={
            **frame_metadata(frame, preview=preview, schema=warehouse_column_schema(name)),
            "dagster/row_count": done.counts[name],
            "warehouse": dg.MetadataValue.path(str(warehouse.target)),
            "dagster/table_name": f"main.{name}",
            **({f"refresh/{k}": v for k, v in done.stats.items()} if name == "dim_article" else {}),
            **({"refresh/mode": done.mode, "refresh/derived_tables": done.derived} if name == "dim_article" else {}),
        })
