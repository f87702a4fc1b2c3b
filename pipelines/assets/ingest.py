"""Ingest: every file of the inbox becomes a raw article or a recorded rejection."""

import dagster as dg
import polars as pl

from pipelines.assets.meta import frame_metadata
from pipelines.resources import InboxResource
from pipelines.text.ingest import read_inbox


@dg.multi_asset(
    outs={
        "raw_articles": dg.AssetOut(
            description="Decoded text of every readable inbox file (not yet normalized), with its sha256.",
            kinds={"python", "polars"}),
        "ingest_rejections": dg.AssetOut(
            description="Inbox files that could not become an article (empty, not UTF-8, too large ...), "
                        "with a plain reason. Nothing is dropped silently.",
            kinds={"python", "polars"}),
    },
    group_name="ingest",
    description="Read the inbox directory once and split it into raw articles and rejections.",
)
def ingest_inbox(context: dg.AssetExecutionContext, inbox: InboxResource):
    directory = inbox.directory()
    raw, rejections = read_inbox(directory)
    context.log.info(f"inbox {directory}: {raw.height} readable files, {rejections.height} rejected")
    yield dg.Output(raw, output_name="raw_articles",
                    metadata={**frame_metadata(raw, preview=raw.with_columns(pl.col("raw_text").str.slice(0, 80))),
                              "inbox": dg.MetadataValue.path(str(directory))})
    yield dg.Output(rejections, output_name="ingest_rejections", metadata=frame_metadata(rejections))
