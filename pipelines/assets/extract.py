"""Extract: per-article people, titles, organizations, places, quotes and events."""

import dagster as dg
import polars as pl

from pipelines.assets.meta import frame_metadata
from pipelines.extract import extract_articles
from pipelines.schemas import EXTRACTION_TABLES

DESCRIPTIONS = {
    "mentions": "Every person, organization and place mention per article, with its offsets into the body.",
    "person_titles": "Titles and positions each person is given in an article, with the organization named.",
    "organizations": "Organizations found in the articles, with their type.",
    "quotes": "Direct and indirect quotes per article: speaker (as written and resolved), cue verb, offsets.",
    "events": "Events reported per article (meetings, visits, ceremonies ...) before cross-article merging.",
}
assert set(DESCRIPTIONS) == set(EXTRACTION_TABLES)


@dg.multi_asset(
    outs={name: dg.AssetOut(description=DESCRIPTIONS[name], kinds={"python", "polars"})
          for name in EXTRACTION_TABLES},
    group_name="extract",
    description="Run the extraction library once over all articles; one output per extraction table.",
)
def extraction(articles: pl.DataFrame):
    frames = extract_articles(articles)
    for name in EXTRACTION_TABLES:
        yield dg.Output(frames[name], output_name=name, metadata=frame_metadata(frames[name]))
