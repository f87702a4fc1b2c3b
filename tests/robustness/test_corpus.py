"""Robustness run over the real corpus ../shared/corpus/baomoi-2017 (skipped when absent).

    make robustness

Runs ingest, normalize and extraction through the library (no Dagster) on every
file: nothing may crash, every file must end up an article or a rejection, and
the counts are printed. Marked ``slow``: ``make test`` leaves it out.
"""

import json
import time
import unicodedata
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from pipelines.extract import extract_articles
from pipelines.text.ingest import read_inbox, rejection_counts
from pipelines.text.normalize import normalize_articles

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "baomoi-2017"

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(not CORPUS.is_dir(), reason=f"corpus not found at {CORPUS}")]


def test_whole_corpus_loads_without_a_crash():
    started = time.monotonic()
    raw, rejections = read_inbox(CORPUS)
    read_s = time.monotonic() - started
    files = {p.name for p in CORPUS.iterdir() if p.is_file() and not p.name.startswith(".")}
    # Every file is either an article or a rejection, never both, never neither.
    loaded, rejected = set(raw["file_name"]), set(rejections["file_name"])
    assert loaded | rejected == files
    assert not loaded & rejected

    articles = normalize_articles(raw)
    assert articles.height == raw.height
    assert all(unicodedata.is_normalized("NFC", b) for b in articles["body"])
    frames = extract_articles(articles)
    lengths = dict(articles.select("article_id", pl.col("body").str.len_chars()).iter_rows())
    for table in ("mentions", "quotes"):
        frame = frames[table]
        bad = frame.filter((pl.col("char_start") < 0) | (pl.col("char_start") >= pl.col("char_end"))
                           | (pl.col("char_end") > pl.col("article_id").replace_strict(lengths)))
        assert bad.height == 0, bad.head()

    counts = {
        "files": len(files), "articles": articles.height, "rejections": rejections.height,
        "rejections_by_reason": rejection_counts(rejections),
        "encodings": dict(Counter(raw["encoding"])),
        "people_mentions": frames["mentions"].filter(pl.col("entity_kind") == "person").height,
        "quotes": frames["quotes"].height, "events": frames["events"].height,
        "seconds": {"read": round(read_s, 1), "total": round(time.monotonic() - started, 1)},
    }
    print("\nrobustness run over", CORPUS, "\n" + json.dumps(counts, ensure_ascii=False, indent=2))
    for row in rejections.iter_rows(named=True):
        print(f"  rejected {row['file_name']}: {row['reason']}: {row['detail']}")
    # Real news articles: nothing is rejected as not Vietnamese, unreadable or broken.
    wrong = rejections.filter(~pl.col("reason").is_in(["duplicate", "empty", "too_short"]))
    assert wrong.height == 0, wrong
