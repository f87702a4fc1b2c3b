"""Ingest: every file of the inbox becomes a raw article or a recorded rejection."""

import dagster as dg
import polars as pl

from pipelines.assets.meta import frame_metadata
from pipelines.resolve.refresh import files_to_read
from pipelines.resources import InboxResource, WarehouseResource
from pipelines.text.ingest import REASONS, list_inputs, read_inbox, rejection_counts


class IngestConfig(dg.Config):
    """``full_refresh``: read every inbox file again, not only the new and changed ones."""

    full_refresh: bool = False


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
            description="Every inbox file with its size, modification time and content hash, and whether this run "
                        "read it: a refresh reads only new and changed files (all of them with full_refresh).",
            kinds={"python", "polars"}),
        "ingest_rejections": dg.AssetOut(
            description="Inputs that could not become an article, one row each with a plain reason ("
                        + ", ".join(REASONS) + "). Duplicates are recorded here too, naming the kept article. "
                        "Nothing is dropped silently.",
            kinds={"python", "polars"}),
    },
    group_name="ingest",
    description="List the inbox, read the files that are new or changed since the warehouse's last refresh, and "
                "split them into raw articles and rejections.",
)
def ingest_inbox(context: dg.AssetExecutionContext, config: IngestConfig, inbox: InboxResource,
                 warehouse: WarehouseResource):
    directory = inbox.directory()
    previous = warehouse.previous_listing()
    listing = list_inputs(directory, known=previous)
    read = files_to_read(listing, previous, force=config.full_refresh)
    raw, rejections = read_inbox(directory, max_bytes=inbox.max_bytes, only=read)
    by_reason = rejection_counts(rejections)
    context.log.info(f"inbox {directory}: {listing.height} files, {len(read)} new or changed read: "
                     f"{raw.height} articles, {rejections.height} rejected {by_reason}")
    yield dg.Output(listing.with_columns(pl.col("input_name").is_in(list(read)).alias("read")),
                    output_name="inbox_listing", metadata={
                        **frame_metadata(listing), "files_in_inbox": listing.height, "files_read": len(read),
                        "files_unchanged": listing.height - len(read),
                        "files_gone": previous.filter(~pl.col("input_name").is_in(listing["input_name"]))
                        .height})
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
