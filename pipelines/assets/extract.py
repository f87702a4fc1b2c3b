"""Extract: per-article people, titles, organizations, places, quotes and events."""

import time
from collections.abc import Callable

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


@dg.multi_asset(
    outs={name: dg.AssetOut(description=DESCRIPTIONS[name], kinds={"python", "polars"})
          for name in EXTRACTION_TABLES},
    group_name="extract",
    description="Run the extraction library once over all articles; one output per extraction table.",
)
def extraction(context: dg.AssetExecutionContext, articles: pl.DataFrame):
    frames = extract_articles(articles, progress=progress_logger(context.log.info))
    for name in EXTRACTION_TABLES:
        yield dg.Output(frames[name], output_name=name, metadata=frame_metadata(frames[name]))
