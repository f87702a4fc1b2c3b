"""Ingest: every file of the inbox becomes a raw article or a recorded rejection."""

import dagster as dg
import polars as pl

from pipelines.assets.meta import frame_metadata
from pipelines.resources import InboxResource
from pipelines.text.ingest import REASONS, rejection_counts, read_inbox


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
        "ingest_rejections": dg.AssetOut(
            description="Inputs that could not become an article, one row each with a plain reason ("
                        + ", ".join(REASONS) + "). Duplicates are recorded here too, naming the kept article. "
                        "Nothing is dropped silently.",
            kinds={"python", "polars"}),
    },
    group_name="ingest",
    description="Read the inbox directory once and split it into raw articles and rejections.",
)
def ingest_inbox(context: dg.AssetExecutionContext, inbox: InboxResource):
    directory = inbox.directory()
    raw, rejections = read_inbox(directory, max_bytes=inbox.max_bytes)
    by_reason = rejection_counts(rejections)
    context.log.info(f"inbox {directory}: {raw.height} articles, {rejections.height} rejected {by_reason}")
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
