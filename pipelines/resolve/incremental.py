"""A refresh applied to a copy of the warehouse: only the rows the batch changes are rewritten.

A build in one go resolves people and events over every current article. Every
resolved row depends on a small, known part of the other articles, so a refresh can
find the rows a batch changes and recompute exactly those (the result equals a build
in one go, row for row; ``tests/integration/test_refresh.py``):

- facts (mentions, titles, quotes) are per article, given who holds which title
  (:func:`pipelines.resolve.attribute_by_title`), which organizations exist and which
  event the article's only event belongs to;
- a person's id depends on their name (and, for a one-word name, the article); the
  ``dim_person`` row on every pair naming them;
- events cluster within blocks (type, month, day); an event row depends on its cluster's
  members, their people and their quoted speakers.

So a refresh recomputes: the articles of the batch and the articles they replace; the
articles whose unattributed quotes use a title whose holder changed; the articles naming
an organization the batch introduces; every article with an event in a block the former
touch (whole blocks, so clustering is exact); the people named in the changed articles.
It reads only those articles' extraction from the ``staging`` schema, never the text.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

from pipelines.resolve import attribute_by_title, person_names, resolve_facts
from pipelines.resolve.events import event_ids
from pipelines.resolve.ids import name_key, stable_id
from pipelines.resolve.people import dim_person, person_keys
from pipelines.resolve.refresh import ARTICLE_VERSION, STORED_REJECTION, merge_versions, refresh_stats
from pipelines.schemas import EXTRACTION_TABLES, WAREHOUSE_TABLES, conform, query_frame

PER_ARTICLE = ["mentions", "person_titles", "quotes", "events"]
ARTICLE_FACTS = ["fact_mention", "fact_person_title", "fact_quote"]
EVENT_TABLES = ["fact_event", "bridge_event_article", "bridge_event_participant"]
_counter = itertools.count()


@dataclass
class Patch:
    """What a patch refresh did: run statistics, and the articles whose rows it rewrote."""

    stats: dict[str, int]
    articles: set[str] = field(default_factory=set)  # articles whose text or facts were (re)written
    tables: set[str] = field(default_factory=set)  # tables with rows deleted or inserted


class _Con:
    """A DuckDB connection, with Polars frames handed to it as Parquet files in a scratch
    directory (cheaper than registering Arrow tables, which imports pyarrow.dataset and pandas).
    Remembers which tables it changed."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self.dir = tempfile.TemporaryDirectory(prefix="news-patch-")
        self.changed: set[str] = set()

    def frame(self, frame: pl.DataFrame) -> str:
        path = Path(self.dir.name) / f"f{next(_counter)}.parquet"
        frame.write_parquet(path, compression="uncompressed", statistics=False)
        return "read_parquet('" + str(path).replace("'", "''") + "')"

    def ids(self, values: Iterable[str], column: str = "v") -> str:
        return self.frame(pl.DataFrame({column: sorted(set(values))}, schema={column: pl.String}))

    def pl(self, sql: str) -> pl.DataFrame:
        return query_frame(self.con, sql)

    def run(self, sql: str) -> None:
        self.con.execute(sql)

    def delete(self, table: str, where: str) -> None:
        if self.con.execute(f"DELETE FROM {table} WHERE {where}").fetchone()[0]:
            self.changed.add(table)

    def insert(self, table: str, frame: pl.DataFrame) -> None:
        if frame.height:
            self.run(f"INSERT INTO {table} BY NAME SELECT * FROM {self.frame(frame)}")
            self.changed.add(table)

    def close(self) -> None:
        self.dir.cleanup()


def _load(c: _Con, articles: Iterable[str]) -> dict[str, pl.DataFrame]:
    """The staged extraction of ``articles`` (per-article tables only)."""
    ids = c.ids(articles)
    return {n: conform(c.pl(f"SELECT * FROM staging.extract_{n} WHERE article_id IN (SELECT v FROM {ids})"),
                       EXTRACTION_TABLES[n]) for n in PER_ARTICLE}


def _holders(c: _Con, titles: Iterable[str]) -> dict[str, str | None]:
    """Who holds each title across the current articles (None: nobody, or several people)."""
    ids = c.ids(titles)
    rows = c.pl(f"SELECT title, person_name FROM staging.extract_person_titles WHERE title IN (SELECT v FROM {ids})")
    held = rows.group_by("title").agg(pl.col("person_name").unique())
    return {t: (names[0] if len(names) == 1 else None) for t, names in held.iter_rows()}


def _title_rows(c: _Con, titles: Iterable[str]) -> pl.DataFrame:
    ids = c.ids(titles)
    return c.pl(f"SELECT title, person_name FROM staging.extract_person_titles WHERE title IN (SELECT v FROM {ids})")


def _blocks(events: pl.DataFrame) -> pl.DataFrame:
    return events.filter(pl.col("month").is_not_null() & pl.col("day").is_not_null()).select(
        "event_type", "month", "day").unique()


def _unblocked(events: pl.DataFrame) -> pl.DataFrame:
    return events.filter(pl.col("month").is_null() | pl.col("day").is_null())


def _concat(frames: list[pl.DataFrame], schema: dict) -> pl.DataFrame:
    return pl.concat([conform(f, schema) for f in frames])


def _person_rows(c: _Con, affected: pl.DataFrame, one_word_pairs: pl.DataFrame) -> tuple[set[str], pl.DataFrame]:
    """The ``dim_person`` rows of the people named in ``affected`` (``(article_id, name)`` pairs,
    before and after the batch), from every current article naming them."""
    keys = person_keys(affected)
    wanted = set(keys["person_id"].to_list())
    multi = {name_key(n) for n in affected["name"].unique().to_list() if len(n.split()) >= 2}
    sources = ("SELECT name FROM staging.extract_mentions WHERE entity_kind = 'person' "
               "UNION SELECT person_name FROM staging.extract_person_titles "
               "UNION SELECT speaker_name FROM staging.extract_quotes WHERE speaker_name IS NOT NULL "
               "UNION SELECT chair_name FROM staging.extract_events WHERE chair_name IS NOT NULL")
    universe = c.pl(sources)["name"].to_list()
    names = c.ids(n for n in universe if len(n.split()) >= 2 and name_key(n) in multi)
    pairs = c.pl(f"""
        SELECT article_id, name FROM staging.extract_mentions
            WHERE entity_kind = 'person' AND name IN (SELECT v FROM {names})
        UNION SELECT article_id, person_name FROM staging.extract_person_titles WHERE person_name IN (SELECT v FROM {names})
        UNION SELECT article_id, speaker_name FROM staging.extract_quotes WHERE speaker_name IN (SELECT v FROM {names})
        UNION SELECT article_id, chair_name FROM staging.extract_events WHERE chair_name IN (SELECT v FROM {names})""")
    one_word = one_word_pairs.select("article_id", "name").filter(
        pl.col("name").map_elements(lambda n: len(n.split()) < 2, return_dtype=pl.Boolean))
    pairs = pl.concat([conform(pairs, {"article_id": pl.String, "name": pl.String}), one_word])
    keys = person_keys(pairs).filter(pl.col("person_id").is_in(list(wanted)))
    if keys.height == 0:
        return wanted, pl.DataFrame(schema=WAREHOUSE_TABLES["dim_person"])
    arts = c.ids(keys["article_id"].unique().to_list())
    pnames = c.ids(keys["name"].unique().to_list())
    mentions = conform(c.pl(f"SELECT * FROM staging.extract_mentions WHERE entity_kind = 'person' "
                            f"AND article_id IN (SELECT v FROM {arts}) AND name IN (SELECT v FROM {pnames})"),
                       EXTRACTION_TABLES["mentions"])
    quotes = conform(c.pl(f"SELECT * FROM staging.extract_quotes WHERE article_id IN (SELECT v FROM {arts}) "
                          f"AND (speaker_name IS NULL OR speaker_name IN (SELECT v FROM {pnames}))"),
                     EXTRACTION_TABLES["quotes"])
    surfaces = quotes.filter(pl.col("speaker_name").is_null())["speaker_surface"].drop_nulls().unique().to_list()
    quotes = attribute_by_title(quotes, _title_rows(c, surfaces), mentions)
    return wanted, dim_person(keys, mentions, quotes)


def patch_warehouse(con: duckdb.DuckDBPyConnection, articles: pl.DataFrame, extraction: dict[str, pl.DataFrame],
                    rejections: pl.DataFrame, listing: pl.DataFrame, read: set[str], now: dt.datetime) -> Patch:
    """Apply a refresh batch to the open warehouse ``con`` (a copy; the caller swaps it in).

    Same arguments as :func:`pipelines.resolve.refresh.merge_batch`; the previous state is
    the one stored in ``con``.
    """
    c = _Con(con)
    try:
        return _patch(c, articles, extraction, rejections, listing, read, now)
    finally:
        c.close()


def _patch(c: _Con, articles, extraction, rejections, listing, read, now) -> Patch:
    # 1. Article versions, inbox flags and rejections, as in merge_batch (old bodies stay in the file).
    old_articles = c.pl("SELECT * FROM dim_article").with_columns(pl.lit(None, dtype=pl.String).alias("body"))
    old_articles = conform(old_articles, ARTICLE_VERSION)
    old_rejections = conform(c.pl("SELECT * FROM ingest_rejection"), STORED_REJECTION)
    all_articles, all_rejections, fresh = merge_versions(old_articles, old_rejections, articles, rejections,
                                                         listing, read, now)
    stats = refresh_stats(old_articles, all_articles, articles, read, fresh)
    patch = Patch(stats)

    old_current = set(old_articles.filter(pl.col("is_current"))["article_id"].to_list())
    batch = set(articles["article_id"].to_list())
    # Articles whose staged extraction leaves: no longer current, or extracted again.
    leaving = (old_current - set(all_articles.filter(pl.col("is_current"))["article_id"].to_list())) | (batch & old_current)
    before = _load(c, leaving)
    batch_ex = {n: conform(extraction[n], EXTRACTION_TABLES[n]) for n in EXTRACTION_TABLES}
    titles = set(before["person_titles"]["title"].to_list()) | set(batch_ex["person_titles"]["title"].to_list())
    holders_before = _holders(c, titles)

    # 2. The staged extraction: the leaving articles out, the batch in; new organizations appended.
    out = c.ids(leaving | batch)
    for n in PER_ARTICLE:
        c.delete(f"staging.extract_{n}", f"article_id IN (SELECT v FROM {out})")
        c.insert(f"staging.extract_{n}", batch_ex[n])
    known_orgs = set(c.pl("SELECT name FROM staging.extract_organizations")["name"].to_list())
    new_orgs = batch_ex["organizations"].unique("name", keep="first", maintain_order=True).filter(
        ~pl.col("name").is_in(list(known_orgs)))
    c.insert("staging.extract_organizations", new_orgs)

    # 3. What the batch touches beyond its own articles.
    holders_after = _holders(c, titles)
    changed_titles = {t for t in titles if holders_before.get(t) != holders_after.get(t)}
    recompute = set(batch)
    if changed_titles:
        ids = c.ids(changed_titles)
        recompute |= set(c.pl(f"SELECT DISTINCT article_id FROM staging.extract_quotes WHERE speaker_name IS NULL "
                              f"AND speaker_surface IN (SELECT v FROM {ids})")["article_id"].to_list())
    if new_orgs.height:
        ids = c.ids(new_orgs["name"].to_list())
        recompute |= set(c.pl(f"""
            SELECT article_id FROM staging.extract_mentions
                WHERE entity_kind = 'organization' AND name IN (SELECT v FROM {ids})
            UNION SELECT article_id FROM staging.extract_person_titles WHERE org_name IN (SELECT v FROM {ids})
            UNION SELECT article_id FROM staging.extract_events WHERE organizer_name IN (SELECT v FROM {ids})
               OR len(list_intersect(list_transform(participants, p -> p.name), (SELECT list(v) FROM {ids}))) > 0
            """)["article_id"].to_list())
    now_ex = _load(c, recompute)

    # 4. Events: whole blocks touched before or after, and the touched articles' unblocked events.
    blocks = pl.concat([_blocks(before["events"]), _blocks(now_ex["events"])]).unique()
    bl = c.frame(blocks)
    in_blocks = conform(c.pl(f"""SELECT e.* FROM staging.extract_events e SEMI JOIN {bl} b
                                 ON e.month = b.month AND e.day = b.day AND e.event_type IS NOT DISTINCT FROM b.event_type"""),
                        EXTRACTION_TABLES["events"])
    cluster = _concat([in_blocks, _unblocked(now_ex["events"])], EXTRACTION_TABLES["events"])
    old_cluster = _concat([in_blocks.filter(~pl.col("article_id").is_in(list(batch))), before["events"],
                           _unblocked(now_ex["events"]).filter(~pl.col("article_id").is_in(list(batch)))],
                          EXTRACTION_TABLES["events"])
    old_events = set(event_ids(old_cluster)["event_id"].to_list())
    members = set(cluster["article_id"].to_list())
    extra = _load(c, members - recompute)
    scope = {n: pl.concat([now_ex[n], extra[n]]) for n in PER_ARTICLE}
    scope["organizations"] = conform(c.pl("SELECT * FROM staging.extract_organizations"), EXTRACTION_TABLES["organizations"])
    surfaces = scope["quotes"].filter(pl.col("speaker_name").is_null())["speaker_surface"].drop_nulls().unique()
    facts = resolve_facts(scope, titles=_title_rows(c, surfaces.to_list()), cluster=cluster)

    # 5. The rows: facts of every recomputed or leaving article, the touched events.
    rewritten = recompute | members
    gone = c.ids(rewritten | leaving)
    for table in ARTICLE_FACTS:
        c.delete(table, f"article_id IN (SELECT v FROM {gone})")
        c.insert(table, facts[table])
    evs = c.ids(old_events)
    for table in EVENT_TABLES:
        c.delete(table, f"event_id IN (SELECT v FROM {evs})")
        c.insert(table, facts[table])

    # 6. Dimensions: the people named before or after in the changed articles, new organizations,
    # places as the current articles name them.
    named = pl.concat([person_names(before["mentions"], before["person_titles"], before["quotes"], before["events"]),
                       person_names(now_ex["mentions"], now_ex["person_titles"], now_ex["quotes"], now_ex["events"])])
    one_word = person_names(now_ex["mentions"], now_ex["person_titles"], now_ex["quotes"], now_ex["events"])
    people, rows = _person_rows(c, named.unique(), one_word.unique())
    ids = c.ids(people)
    c.delete("dim_person", f"person_id IN (SELECT v FROM {ids})")
    c.insert("dim_person", conform(rows, WAREHOUSE_TABLES["dim_person"]))
    c.insert("dim_organization", new_orgs.select(
        pl.col("name").map_elements(lambda n: stable_id("org", n), return_dtype=pl.String).alias("org_id"),
        pl.col("name").alias("canonical_name"), "org_type"))
    places = set(c.pl("SELECT name FROM staging.extract_mentions WHERE entity_kind = 'location' UNION "
                      "SELECT location_name FROM staging.extract_events WHERE location_name IS NOT NULL")["name"].to_list())
    known_places = set(c.pl("SELECT canonical_name FROM dim_location")["canonical_name"].to_list())
    if known_places - places:
        ids = c.ids(known_places - places)
        c.delete("dim_location", f"canonical_name IN (SELECT v FROM {ids})")
    c.insert("dim_location", pl.DataFrame({"location_id": [stable_id("loc", n) for n in sorted(places - known_places)],
                                           "canonical_name": sorted(places - known_places)},
                                          schema=WAREHOUSE_TABLES["dim_location"]))

    # 7. Articles: changed version rows, new texts; rejections and the inbox listing whole (small).
    dim = conform(all_articles, WAREHOUSE_TABLES["dim_article"])
    old_dim = conform(old_articles, WAREHOUSE_TABLES["dim_article"])
    changed = dim.join(old_dim, on=list(dim.columns), how="anti", nulls_equal=True)
    ids = c.ids(changed["article_id"].to_list())
    c.delete("dim_article", f"article_id IN (SELECT v FROM {ids})")
    c.insert("dim_article", changed)
    new_text = all_articles.filter(~pl.col("article_id").is_in(old_dim["article_id"].to_list()))
    c.insert("article_text", new_text.select("article_id", "body"))
    rejected = conform(all_rejections, WAREHOUSE_TABLES["ingest_rejection"])
    if not rejected.sort(pl.all(), nulls_last=True).equals(
            conform(old_rejections, WAREHOUSE_TABLES["ingest_rejection"]).sort(pl.all(), nulls_last=True)):
        c.delete("ingest_rejection", "true")
        c.insert("ingest_rejection", rejected)
    c.run("DELETE FROM staging.inbox_listing")
    c.insert("staging.inbox_listing", listing)

    patch.articles = rewritten | set(new_text["article_id"].to_list())
    patch.tables = set(c.changed)
    return patch
