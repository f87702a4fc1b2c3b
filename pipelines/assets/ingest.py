"""Ingest: every file of the inbox becomes a raw article or a recorded rejection."""

import dagster as dg
import polars as pl

from pipelines.assets.meta import frame_metadata
from pipelines.partitions import PARTITIONED, with_days
from pipelines.resolve.refresh import files_to_read
from pipelines.resources import InboxResource, WarehouseResource
from pipelines.schemas import conform
from pipelines.text.ingest import INPUT_LISTING, REASONS, list_inputs, read_inbox, rejection_counts


class IngestConfig(dg.Config):
    """What a run reads of its partitions (ingest days).

    By default every file of the selected days, which is what re-running a day from the UI
    means (after a lexicon change, say). The sensor, the schedule and ``make run`` set
    ``new_files_only``: only files new or changed since the warehouse's last refresh.
    """

    new_files_only: bool = False
    # A Parquet listing of the inbox (pipelines.text.ingest.INPUT_LISTING) that the process
    # launching the run made moments before, to choose the run's days (the headless CLI):
    # listing a large inbox once instead of twice. Empty: list the inbox.
    listing_file: str = ""


def refresh_run_config(new_files_only: bool = True, log_level: str | None = None, listing_file: str = "") -> dict:
    """Run config of a refresh: ingest reads only new and changed files of the run's days."""
    ingest = {"new_files_only": new_files_only, **({"listing_file": listing_file} if listing_file else {})}
    config: dict = {"ops": {"ingest_inbox": {"config": ingest}}}
    if log_level:
        config["loggers"] = {"console": {"config": {"log_level": log_level}}}
    return config


def files_in_days(listing: pl.DataFrame, days: set[str]) -> set[str]:
    """Files whose ingest day is one of ``days``; a text file and its sidecar go together,
    on the later of their days."""
    dated = with_days(listing).with_columns(pl.col("ingest_day").max().over("stem").alias("stem_day"))
    return set(dated.filter(pl.col("stem_day").is_in(list(days)))["input_name"].to_list())


def listing_to_record(listing: pl.DataFrame, previous: pl.DataFrame, read: set[str]) -> pl.DataFrame:
    """The listing the warehouse keeps after this run: files read now as they are now, other
    files as last recorded. A new file of another day is left out, so the run of its own
    day still finds it new; a file gone from the inbox is left out, so its article is
    marked out of the inbox."""
    present = listing["input_name"]
    kept = previous.filter(pl.col("input_name").is_in(present) & ~pl.col("input_name").is_in(list(read)))
    return pl.concat([listing.filter(pl.col("input_name").is_in(list(read))), kept.select(listing.columns)]) \
        .sort("input_name")


def _counts(frame: pl.DataFrame, column: str) -> dict[str, int]:
    if frame.height == 0:
        return {}
    return dict(frame.group_by(column).len().sort(["len", column], descending=[True, False]).iter_rows())


@dg.multi_asset(
    outs={
        "raw_articles": dg.AssetOut(
            description="Decoded text of every input that can be an article (not yet normalized): plain text in "
                        "any encoding (UTF-8/16, Windows-1258, TCVN3, VNI, mojibake and NFD repaired), HTML pages, "
                        "JSON Lines records; with the metadata they carry (url, title, source, published date).",
            kinds={"python", "polars"}),
        "inbox_listing": dg.AssetOut(
            description="The inbox as the warehouse records it after this run: every file with its size, "
                        "modification time and content hash, and whether this run read it. New files of days "
                        "outside the run's partitions wait for their own run.",
            kinds={"python", "polars"}),
        "ingest_rejections": dg.AssetOut(
            description="Inputs that could not become an article, one row each with a plain reason ("
                        + ", ".join(REASONS) + "). Duplicates are recorded here too, naming the kept article. "
                        "Nothing is dropped silently.",
            kinds={"python", "polars"}),
    },
    group_name="ingest",
    description="List the inbox, read the files of the run's ingest days (only the new and changed ones with "
                "new_files_only), and split them into raw articles and rejections.",
    **PARTITIONED,
)
def ingest_inbox(context: dg.AssetExecutionContext, config: IngestConfig, inbox: InboxResource,
                 warehouse: WarehouseResource):
    directory = inbox.directory()
    previous = warehouse.previous_listing()
    listing = conform(pl.read_parquet(config.listing_file), INPUT_LISTING) if config.listing_file \
        else list_inputs(directory, known=previous)
    days = set(context.partition_keys)
    new_or_changed = files_to_read(listing, previous)
    in_days = files_in_days(listing, days)
    read = in_days & new_or_changed if config.new_files_only else in_days
    raw, rejections = read_inbox(directory, max_bytes=inbox.max_bytes, only=read, listing=listing)
    by_reason = rejection_counts(rejections)
    first, last = min(days), max(days)
    context.log.info(f"inbox {directory}: {listing.height} files, {len(in_days)} of ingest days {first}..{last}, "
                     f"{len(read)} read: {raw.height} articles, {rejections.height} rejected {by_reason}")
    recorded = listing_to_record(listing, previous, read)
    read_days = with_days(listing.filter(pl.col("input_name").is_in(list(read)))).group_by("ingest_day").len()
    yield dg.Output(recorded.with_columns(pl.col("input_name").is_in(list(read)).alias("read")),
                    output_name="inbox_listing", metadata={
                        **frame_metadata(recorded), "files_in_inbox": listing.height, "files_read": len(read),
                        "files_in_partitions": len(in_days),
                        "files_unchanged": listing.height - len(new_or_changed),
                        # New or changed files of other days: the run of their own day picks them up.
                        "files_waiting": len(new_or_changed - read),
                        "files_gone": previous.filter(~pl.col("input_name").is_in(listing["input_name"])).height,
                        "files_read_by_day": dg.MetadataValue.json(dict(sorted(read_days.iter_rows())))})
    yield dg.Output(raw, output_name="raw_articles",
                    metadata={**frame_metadata(raw, preview=raw.with_columns(pl.col("raw_text").str.slice(0, 80))),
                              "inbox": dg.MetadataValue.path(str(directory)),
                              "by_format": dg.MetadataValue.json(_counts(raw, "input_format")),
                              "by_encoding": dg.MetadataValue.json(_counts(raw, "encoding"))})
    yield dg.Output(rejections, output_name="ingest_rejections", metadata={
        **frame_metadata(rejections),
        "rejections_by_reason": dg.MetadataValue.json(by_reason),
        # One number per reason as well, so the UI can plot each over runs.
        **{f"rejected_{reason}": dg.MetadataValue.int(by_reason.get(reason, 0)) for reason in REASONS},
    })
