"""Cross-article resolution: the extraction frames become the warehouse tables.

``build_warehouse(articles, extraction, rejections, ingested_at)`` returns the
frames of ``pipelines.schemas.WAREHOUSE_TABLES``, with every id derived from
content (``ids.stable_id``), so a re-run gives the same rows.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from pipelines.resolve.events import event_ids, most_common
from pipelines.resolve.ids import stable_id
from pipelines.resolve.people import dim_person, person_keys
from pipelines.resolve.refresh import State
from pipelines.schemas import WAREHOUSE_TABLES, conform, from_records

ROLE_RANK = {"chair": 0, "organizer": 1, "speaker": 2, "attendee": 3, "mentioned": 4}


def _id_col(prefix: str, *cols: str) -> pl.Expr:
    """A content id from ``cols``: hashed in one batch per frame, not row by row through Python dicts."""
    return pl.struct(list(cols)).map_batches(
        lambda s: pl.Series([stable_id(prefix, *row) for row in zip(*(s.struct.field(c).to_list() for c in cols))],
                            dtype=pl.String),
        return_dtype=pl.String)


def build_warehouse(articles: pl.DataFrame, extraction: dict[str, pl.DataFrame], rejections: pl.DataFrame,
                    ingested_at: dt.datetime) -> dict[str, pl.DataFrame]:
    out = resolve_facts(extraction)
    stamp = pl.lit(ingested_at).cast(pl.Datetime("us"))
    defaults = {"ingested_at": stamp, "is_current": pl.lit(True), "superseded_by": pl.lit(None, dtype=pl.String),
                "in_inbox": pl.lit(True)}
    out["dim_article"] = articles.with_columns(
        [expr.alias(col) for col, expr in defaults.items() if col not in articles.columns])
    out["article_text"] = articles.select("article_id", "body")
    out["ingest_rejection"] = rejections if "rejected_at" in rejections.columns else rejections.with_columns(
        stamp.alias("rejected_at"))
    return {name: conform(out[name], schema) for name, schema in WAREHOUSE_TABLES.items()}


def person_names(mentions: pl.DataFrame, person_titles: pl.DataFrame, quotes: pl.DataFrame,
                 events: pl.DataFrame) -> pl.DataFrame:
    """``(article_id, name)`` of every person mentioned, titled, quoted or chairing, per article."""
    return pl.concat([
        mentions.filter(pl.col("entity_kind") == "person").select("article_id", "name"),
        person_titles.select("article_id", pl.col("person_name").alias("name")),
        quotes.filter(pl.col("speaker_name").is_not_null()).select("article_id", pl.col("speaker_name").alias("name")),
        events.filter(pl.col("chair_name").is_not_null()).select("article_id", pl.col("chair_name").alias("name")),
    ])


def resolve_facts(extraction: dict[str, pl.DataFrame], titles: pl.DataFrame | None = None,
                  cluster: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
    """The resolved tables (all but ``dim_article``, ``article_text``, ``ingest_rejection``) of
    the articles in ``extraction``.

    A build in one go passes every current article. An incremental refresh passes a subset
    of the articles and the cross-article context their rows depend on, and gets exactly
    the rows a build in one go would give those articles:

    - ``extraction["organizations"]``: every known organization (ids are by name);
    - ``titles``: ``(title, person_name)`` of every current article for the titles the
      subset's unattributed quotes use (who holds a title is decided across articles);
    - ``cluster``: the events to cluster and build event tables from: whole blocks (see
      :mod:`pipelines.resolve.events`), whose articles are all in the subset; every
      article of the subset with exactly one event has it there.

    The person, organization and location dimensions returned cover the subset only.
    """
    mentions = extraction["mentions"]
    quotes = attribute_by_title(extraction["quotes"], extraction["person_titles"] if titles is None else titles,
                                mentions)
    out: dict[str, pl.DataFrame] = {}

    # People: every name mentioned, titled or quoted.
    keys = person_keys(person_names(mentions, extraction["person_titles"], quotes, extraction["events"]))
    out["dim_person"] = dim_person(keys, mentions, quotes)
    person_of = keys.select("article_id", "name", "person_id")

    orgs = extraction["organizations"].unique("name", keep="first", maintain_order=True)
    out["dim_organization"] = orgs.select(_id_col("org", "name").alias("org_id"), pl.col("name").alias("canonical_name"),
                                          "org_type").sort("org_id")
    org_of = out["dim_organization"].select("org_id", pl.col("canonical_name").alias("name"))
    places = mentions.filter(pl.col("entity_kind") == "location").select("name").unique()
    extra_places = extraction["events"].filter(pl.col("location_name").is_not_null()).select(
        pl.col("location_name").alias("name"))
    places = pl.concat([places, extra_places]).unique()
    out["dim_location"] = places.select(_id_col("loc", "name").alias("location_id"),
                                        pl.col("name").alias("canonical_name")).sort("location_id")
    loc_of = out["dim_location"].select("location_id", pl.col("canonical_name").alias("name"))

    entity = pl.concat([
        person_of.select("article_id", "name", pl.lit("person").alias("entity_kind"), pl.col("person_id").alias("entity_id")),
        mentions.filter(pl.col("entity_kind") == "organization").select("article_id", "name").unique()
        .join(org_of, on="name").select("article_id", "name", pl.lit("organization").alias("entity_kind"),
                                        pl.col("org_id").alias("entity_id")),
        mentions.filter(pl.col("entity_kind") == "location").select("article_id", "name").unique()
        .join(loc_of, on="name").select("article_id", "name", pl.lit("location").alias("entity_kind"),
                                        pl.col("location_id").alias("entity_id")),
    ])
    fm = mentions.join(entity, on=["article_id", "name", "entity_kind"], how="left")
    fm = fm.with_columns(_id_col("men", "article_id", "entity_kind", "char_start", "char_end").alias("mention_id"))
    out["fact_mention"] = fm.unique("mention_id", keep="first").sort("article_id", "char_start", "char_end")

    person_titles = extraction["person_titles"].join(person_of, left_on=["article_id", "person_name"],
                                                     right_on=["article_id", "name"])
    person_titles = person_titles.join(org_of, left_on="org_name", right_on="name", how="left")
    out["fact_person_title"] = person_titles.select("person_id", "article_id", "title", "org_id").unique().sort(
        "article_id", "person_id", "title")

    # Events across articles.
    events = extraction["events"] if cluster is None else cluster
    ev_ids = event_ids(events)
    events = events.join(ev_ids, on="event_key")
    out.update(_event_tables(events, person_of, org_of, loc_of, quotes))

    one_event = extraction["events"].select("article_id", "event_key").join(ev_ids, on="event_key", how="left") \
        .group_by("article_id").agg(pl.col("event_id").first(), pl.len().alias("n")).filter(
        pl.col("n") == 1).select("article_id", "event_id")
    quotes = quotes.join(person_of, left_on=["article_id", "speaker_name"], right_on=["article_id", "name"], how="left")
    quotes = quotes.rename({"person_id": "speaker_person_id"}).join(one_event, on="article_id", how="left")
    quotes = quotes.with_columns(_id_col("quo", "article_id", "char_start", "char_end", "quote_kind").alias("quote_id"))
    out["fact_quote"] = quotes.unique("quote_id", keep="first").sort("article_id", "char_start")
    return {name: conform(frame, WAREHOUSE_TABLES[name]) for name, frame in out.items()}


def build_from_state(state: State) -> dict[str, pl.DataFrame]:
    """The warehouse tables for a refresh state: facts from the current articles, and every
    article version ever read in ``dim_article``/``article_text`` (with its history flags)."""
    current = state.current_articles()
    tables = build_warehouse(current, state.extraction, state.rejections, dt.datetime(1970, 1, 1))
    tables["dim_article"] = conform(state.articles, WAREHOUSE_TABLES["dim_article"]).sort("article_id")
    tables["article_text"] = state.articles.select("article_id", "body").sort("article_id")
    return tables


def attribute_by_title(quotes: pl.DataFrame, titles: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """Give an unattributed quote its speaker when its speaker is a title (``Chủ tịch UBND TP
    Hà Nội nói``) that exactly one person holds across the articles, and that person is
    named in the quote's article. Articles often title a person in one report and only
    name them in the next."""
    holders = titles.group_by("title").agg(pl.col("person_name").unique()).filter(
        pl.col("person_name").list.len() == 1).select("title", pl.col("person_name").list.first().alias("holder"))
    named = mentions.filter(pl.col("entity_kind") == "person").select(
        "article_id", pl.col("name").alias("holder")).unique()
    found = (quotes.filter(pl.col("speaker_name").is_null())
             .join(holders, left_on="speaker_surface", right_on="title")
             .join(named, on=["article_id", "holder"], how="semi")
             .select("article_id", "char_start", "holder"))
    return (quotes.join(found, on=["article_id", "char_start"], how="left")
            .with_columns(pl.coalesce("speaker_name", "holder").alias("speaker_name")).drop("holder"))


def _event_tables(events: pl.DataFrame, person_of, org_of, loc_of, quotes) -> dict[str, pl.DataFrame]:
    person_id = {(a, n): p for a, n, p in person_of.iter_rows()}
    org_id = dict(org_of.select("name", "org_id").iter_rows())
    loc_id = dict(loc_of.select("name", "location_id").iter_rows())
    speakers_of: dict[str, list[str]] = {}
    for article_id, names in (quotes.filter(pl.col("speaker_name").is_not_null())
                              .group_by("article_id").agg(pl.col("speaker_name").unique()).iter_rows()):
        speakers_of[article_id] = names
    fact, bridge, parts = [], [], {}
    for (event_id,), group in events.sort("event_key").group_by(["event_id"], maintain_order=True):
        rows = group.to_dicts()
        first = rows[0]
        chair = most_common([person_id.get((r["article_id"], r["chair_name"])) for r in rows if r["chair_name"]])
        fact.append({
            "event_id": event_id, "event_type": most_common([r["event_type"] for r in rows]),
            "title": first["title"], "event_date": most_common([r["event_date"] for r in rows]),
            "date_text": most_common([r["date_text"] for r in rows]),
            "date_precision": most_common([r["date_precision"] for r in rows]),
            "location_id": loc_id.get(most_common([r["location_name"] for r in rows])),
            "organizer_org_id": org_id.get(most_common([r["organizer_name"] for r in rows])),
            "chair_person_id": chair, "article_count": len({r["article_id"] for r in rows}),
        })
        for r in rows:
            bridge.append({"event_id": event_id, "article_id": r["article_id"]})
            for p in r["participants"] or []:
                if p["entity_kind"] == "person":
                    eid = person_id.get((r["article_id"], p["name"]))
                else:
                    eid = org_id.get(p["name"])
                if eid:
                    key = (event_id, p["entity_kind"], eid)
                    if key not in parts or ROLE_RANK[p["role"]] < ROLE_RANK[parts[key]]:
                        parts[key] = p["role"]
            for name in speakers_of.get(r["article_id"], ()):
                eid = person_id.get((r["article_id"], name))
                key = (event_id, "person", eid)
                if eid and key not in parts:
                    parts[key] = "speaker"
    participants = [{"event_id": e, "entity_kind": k, "entity_id": i, "role": r} for (e, k, i), r in parts.items()]
    return {
        "fact_event": from_records(fact, WAREHOUSE_TABLES["fact_event"]),
        "bridge_event_article": from_records(bridge, WAREHOUSE_TABLES["bridge_event_article"]).unique().sort(
            "event_id", "article_id"),
        "bridge_event_participant": from_records(participants, WAREHOUSE_TABLES["bridge_event_participant"]).sort(
            "event_id", "entity_kind", "entity_id"),
    }
