"""Incremental refresh: what to read, and how a batch merges into what the warehouse holds.

The warehouse keeps, besides the contract tables, the state a refresh needs (schema
``staging``): the inbox listing it last saw and the per-article extraction of every
current article. A refresh then

1. lists the inbox and reads only the files that are new or changed since the last
   listing (:func:`files_to_read`), extracting only their articles;
2. merges that batch into the previous state (:func:`merge_batch`): a changed file's
   new text is a new article version and the old version is kept, flagged
   ``is_current = false`` with ``superseded_by``; a file gone from the inbox keeps its
   article, flagged ``in_inbox = false``; everything else is carried over;
3. resolves people and events as a build over all current articles would
   (:func:`pipelines.resolve.build_warehouse`), so a new report of a known event joins
   it and a known person keeps their id, and the result equals a build in one go.

For a small batch, step 3 recomputes only the rows the batch can change, on a copy of
the warehouse file (:mod:`pipelines.resolve.incremental`, which uses
:func:`merge_versions` for step 2): a refresh costs what its batch touches, not what
the warehouse holds. A large batch, or the first build, resolves everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl

from pipelines.schemas import ARTICLE, EXTRACTION_TABLES, REJECTION, conform, empty

VERSION_COLUMNS = {"ingested_at": pl.Datetime("us"), "is_current": pl.Boolean, "superseded_by": pl.String,
                   "in_inbox": pl.Boolean}
# Every version of every article ever read: the ARTICLE frame without sentence spans, plus history.
ARTICLE_VERSION = {**{k: v for k, v in ARTICLE.items() if k != "sentences"}, **VERSION_COLUMNS}
STORED_REJECTION = {**REJECTION, "rejected_at": pl.Datetime("us")}


@dataclass
class State:
    """What the warehouse remembers between refreshes."""

    articles: pl.DataFrame  # ARTICLE_VERSION
    extraction: dict[str, pl.DataFrame]  # EXTRACTION_TABLES, current articles only
    rejections: pl.DataFrame  # STORED_REJECTION
    listing: pl.DataFrame  # pipelines.text.ingest.INPUT_LISTING as last seen
    stats: dict[str, int] = field(default_factory=dict)

    @classmethod
    def empty(cls) -> State:
        from pipelines.text.ingest import INPUT_LISTING

        return cls(empty(ARTICLE_VERSION), {k: empty(v) for k, v in EXTRACTION_TABLES.items()},
                   empty(STORED_REJECTION), empty(INPUT_LISTING))

    def current_articles(self) -> pl.DataFrame:
        return self.articles.filter(pl.col("is_current"))


def input_of(file_name: pl.Expr) -> pl.Expr:
    """The inbox file an article came from: ``x.jsonl#3`` comes from ``x.jsonl``."""
    return file_name.str.replace(r"#\d+$", "")


def files_to_read(listing: pl.DataFrame, previous: pl.DataFrame, force: bool = False) -> set[str]:
    """Input names whose content is new or changed since ``previous`` (every one with ``force``).

    A text file and its sidecar share a stem: a change to either re-reads both.
    """
    if force or previous.height == 0:
        return set(listing["input_name"].to_list())
    seen = set(previous.select("input_name", "raw_sha256").iter_rows())
    dirty_stems = {stem for name, stem, sha in listing.select("input_name", "stem", "raw_sha256").iter_rows()
                   if (name, sha) not in seen}
    return set(listing.filter(pl.col("stem").is_in(list(dirty_stems)))["input_name"].to_list())


def merge_batch(previous: State, articles: pl.DataFrame, extraction: dict[str, pl.DataFrame],
                rejections: pl.DataFrame, listing: pl.DataFrame, read: set[str], now: dt.datetime) -> State:
    """The state after reading ``read`` (giving ``articles``, ``extraction``, ``rejections``)."""
    all_articles, all_rejections, fresh = merge_versions(previous.articles, previous.rejections, articles,
                                                         rejections, listing, read, now)
    batch_ids = set(articles["article_id"].to_list())
    current_ids = all_articles.filter(pl.col("is_current"))["article_id"].to_list()
    merged_extraction = {}
    for name, schema in EXTRACTION_TABLES.items():
        carried = previous.extraction[name]
        if "article_id" in carried.columns:
            carried = carried.filter(pl.col("article_id").is_in(current_ids) & ~pl.col("article_id").is_in(list(batch_ids)))
            merged_extraction[name] = pl.concat([conform(carried, schema), conform(extraction[name], schema)])
        else:  # organizations: a dimension by name; the batch's types join the known ones
            merged_extraction[name] = pl.concat([conform(carried, schema), conform(extraction[name], schema)]).unique(
                "name", keep="first", maintain_order=True)
    stats = refresh_stats(previous.articles, all_articles, articles, read, fresh)
    return State(all_articles, merged_extraction, all_rejections, listing, stats)


def refresh_stats(old_articles: pl.DataFrame, all_articles: pl.DataFrame, articles: pl.DataFrame, read: set[str],
                  fresh: int) -> dict[str, int]:
    """What a refresh did, for the run's metadata."""
    return {
        "files_read": len(read),
        "articles_extracted": articles.height,
        "articles_new": fresh,
        "versions_superseded": int(all_articles["superseded_by"].is_not_null().sum())
        - int(old_articles["superseded_by"].is_not_null().sum()) if old_articles.height else 0,
        "articles_current": int(all_articles["is_current"].sum()),
        "articles_out_of_inbox": int((~all_articles["in_inbox"]).sum()),
    }


def merge_versions(old: pl.DataFrame, old_rejections: pl.DataFrame, articles: pl.DataFrame,
                   rejections: pl.DataFrame, listing: pl.DataFrame, read: set[str],
                   now: dt.datetime) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Every article version (``ARTICLE_VERSION``) and the rejections after reading ``read``,
    and how many articles are new. ``old`` may hold null bodies: only the batch's are needed."""
    now = now.replace(tzinfo=None)
    present = set(listing["input_name"].to_list())
    batch_ids = set(articles["article_id"].to_list())
    batch_names = set(articles["file_name"].to_list())

    # Versions replaced by this batch: the file was read again and now holds another text.
    new_id_of = dict(articles.select("file_name", "article_id").iter_rows())
    old = old.with_columns(
        pl.when(pl.col("is_current") & pl.col("file_name").is_in(list(batch_names))
                & ~pl.col("article_id").is_in(list(batch_ids)))
        .then(pl.col("file_name").replace_strict(new_id_of, default=None))
        .otherwise(pl.col("superseded_by")).alias("superseded_by"))
    # A file read again that no longer yields an article (now empty, or a JSONL line gone),
    # or a file gone from the inbox: the article stays, out of the inbox.
    gone = (input_of(pl.col("file_name")).is_in(list(read)) & ~pl.col("file_name").is_in(list(batch_names))) | \
        ~input_of(pl.col("file_name")).is_in(list(present))
    old = old.with_columns(
        (pl.col("is_current") & pl.col("superseded_by").is_null()).alias("is_current"),
        pl.when(gone).then(False).otherwise(pl.col("in_inbox")).alias("in_inbox"))
    old = old.with_columns(pl.when(pl.col("superseded_by").is_not_null()).then(False)
                           .otherwise(pl.col("in_inbox")).alias("in_inbox"))

    # A batch text that another file, still in the inbox and not read again, already holds is
    # a duplicate, recorded as a build in one go records it (that file, seen first, is kept).
    holders = old.filter(pl.col("is_current") & pl.col("in_inbox") & ~pl.col("file_name").is_in(list(batch_names))
                         & ~input_of(pl.col("file_name")).is_in(list(read))) \
        .select("article_id", pl.col("file_name").alias("kept_file"))
    duplicates = articles.join(holders, on="article_id", how="inner")
    if duplicates.height:
        raw_sha = listing.select(pl.col("input_name").alias("input"), pl.col("raw_sha256"))
        rejections = pl.concat([conform(rejections, REJECTION), conform(duplicates.with_columns(
            input_of(pl.col("file_name")).alias("input")).join(raw_sha, on="input", how="left").select(
            "file_name", pl.col("raw_sha256").alias("content_sha256"), pl.lit("duplicate").alias("reason"),
            pl.format("same text as {} (article {}), which is kept", "kept_file", "article_id").alias("detail"),
            pl.col("article_id").alias("duplicate_of")), REJECTION)])

    # The batch: a text already known keeps its row (and first ingest time), current again.
    known = old.filter(pl.col("article_id").is_in(list(batch_ids)))
    fresh = articles.filter(~pl.col("article_id").is_in(known["article_id"].to_list())).with_columns(
        pl.lit(now).cast(pl.Datetime("us")).alias("ingested_at"), pl.lit(True).alias("is_current"),
        pl.lit(None, dtype=pl.String).alias("superseded_by"), pl.lit(True).alias("in_inbox"))
    revived = known.with_columns(pl.lit(True).alias("is_current"), pl.lit(None, dtype=pl.String).alias("superseded_by"),
                                 pl.lit(True).alias("in_inbox"))
    kept = old.filter(~pl.col("article_id").is_in(list(batch_ids)))
    all_articles = pl.concat([conform(kept, ARTICLE_VERSION), conform(revived, ARTICLE_VERSION),
                              conform(fresh, ARTICLE_VERSION)]).sort("article_id")

    # Rejections: those of files read again are replaced; those of files gone are dropped.
    carried_rej = old_rejections.filter(~input_of(pl.col("file_name")).is_in(list(read))
                                        & input_of(pl.col("file_name")).is_in(list(present)))
    first_seen = dict(((f, s), t) for f, s, t in old_rejections.select(
        "file_name", "content_sha256", "rejected_at").iter_rows())
    batch_rej = rejections.with_columns(pl.struct("file_name", "content_sha256").map_batches(
        lambda s: pl.Series([first_seen.get((f, h), now) for f, h in zip(
            s.struct.field("file_name").to_list(), s.struct.field("content_sha256").to_list())],
            dtype=pl.Datetime("us")), return_dtype=pl.Datetime("us")).alias("rejected_at"))
    all_rejections = pl.concat([conform(carried_rej, STORED_REJECTION), conform(batch_rej, STORED_REJECTION)]) \
        .sort("file_name", "reason")
    return all_articles, all_rejections, fresh.height
