"""Normalize: raw text becomes one clean NFC article per distinct body."""

import dagster as dg
import polars as pl

from pipelines.assets.meta import frame_metadata
from pipelines.partitions import PARTITIONED
from pipelines.text.normalize import normalize_articles


@dg.asset(
    group_name="normalize",
    kinds={"python", "polars"},
    description="One row per distinct article: NFC body with cleaned whitespace, title, source, "
                "published date and sentence spans. All later offsets index into this body.",
    **PARTITIONED,
)
def articles(raw_articles: pl.DataFrame) -> dg.Output[pl.DataFrame]:
    frame = normalize_articles(raw_articles)
    preview = frame.drop("sentences").with_columns(pl.col("body").str.slice(0, 80))
    return dg.Output(frame, metadata=frame_metadata(frame, preview=preview))
