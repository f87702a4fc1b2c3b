"""The data catalog: what every warehouse table and column means, in one place.

Read by the Dagster layer (``dagster/column_schema`` metadata with column
descriptions, shown in the UI) and by the writer (``COMMENT ON COLUMN`` in the
DuckDB file, so ``duckdb_columns()`` and any SQL client show them too).
No Dagster import: plain data.
"""

from __future__ import annotations

import polars as pl

from pipelines.schemas import WAREHOUSE_TABLES

_ARTICLE = "the article (dim_article.article_id)"
_EVENT = "the event (fact_event.event_id)"
_SENTENCE = "0-based index of the sentence in the article body"
_START = "0-based start offset in article_text.body, in Unicode code points"
_END = "end offset (exclusive) in article_text.body, in Unicode code points"

COLUMN_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "dim_article": {
        "article_id": "Primary key: 'art_' + hash of the normalized body; same content twice = one article",
        "file_name": "Base name of the input file the article came from ('<name>#<line>' for a JSON Lines record)",
        "url": "Address the article was published at, when the input gives one",
        "source_name": "Outlet: from the input's metadata, else from a dateline '(Ngày Nay) -'; else NULL",
        "title": "Headline: from the input's metadata, else the article's first line when it is one; else NULL",
        "published_date": "Publication date from the input's metadata (HTML page, JSON, front matter, sidecar); else NULL",
        "content_sha256": "SHA-256 of the normalized body",
        "char_count": "Length of the normalized body in code points",
        "sentence_count": "Number of sentences in the body",
        "ingested_at": "When this article was first loaded (UTC); kept across re-runs",
        "is_current": "True for the version of the text the input file holds now; false for a version a changed "
                      "file replaced (kept as history; facts cover current versions only)",
        "superseded_by": "For a replaced version: the article_id of the version that replaced it; else NULL",
        "in_inbox": "False once the input file has left the inbox; the article and its facts are kept",
    },
    "article_text": {
        "article_id": f"Primary key: {_ARTICLE}",
        "body": "Normalized text (NFC, cleaned whitespace); every char_start/char_end indexes into it",
    },
    "dim_person": {
        "person_id": "Primary key: 'per_' + hash of the canonical name",
        "canonical_name": "Full personal name in NFC, without titles (e.g. 'Tô Lâm')",
        "name_ascii": "canonical_name without diacritics, for search (e.g. 'To Lam')",
        "aliases": "Other forms the person is written as (titled forms, short names)",
    },
    "dim_organization": {
        "org_id": "Primary key: 'org_' + hash of the canonical name",
        "canonical_name": "Full name of the organization (e.g. 'Bộ Công an')",
        "org_type": "ministry / party / force / international / ...; NULL when unknown",
    },
    "dim_location": {
        "location_id": "Primary key: 'loc_' + hash of the canonical name",
        "canonical_name": "Name of the place (province, city, country)",
    },
    "fact_mention": {
        "mention_id": "Primary key: 'men_' + hash of article, kind and offsets",
        "article_id": f"The article the mention is in: {_ARTICLE}",
        "entity_kind": "person / organization / location: which dimension entity_id refers to",
        "entity_id": "dim_person.person_id, dim_organization.org_id or dim_location.location_id",
        "surface": "The text as written, incl. a bare title resolved to a person",
        "sentence_idx": _SENTENCE,
        "char_start": _START,
        "char_end": _END,
    },
    "fact_person_title": {
        "person_id": "The person (dim_person.person_id)",
        "article_id": f"The article giving the title: {_ARTICLE}",
        "title": "The full title as written, with its organization when given (e.g. 'Bộ trưởng Bộ Công an')",
        "org_id": "The organization the title names (dim_organization.org_id); NULL for ranks like 'Đại tướng'",
    },
    "fact_quote": {
        "quote_id": "Primary key: 'quo_' + hash of article and offsets",
        "article_id": f"The article quoting: {_ARTICLE}",
        "event_id": f"The event the statement was made at: {_EVENT}; NULL when none",
        "speaker_person_id": "The resolved speaker (dim_person.person_id); NULL when unresolved",
        "speaker_surface": "The speaker as written in the text",
        "quote_text": "What was said: the content only, without speaker and cue verb",
        "quote_kind": "direct (inside quotation marks) / indirect (reported speech after a speech verb)",
        "cue_verb": "The speech verb introducing the quote (khẳng định, nhấn mạnh, cho biết ...)",
        "sentence_idx": _SENTENCE,
        "char_start": _START,
        "char_end": _END,
    },
    "fact_event": {
        "event_id": "Primary key: 'evt_' + hash of the event's identity; one row per real-world event",
        "event_type": "meeting / visit / conference / ceremony / ...",
        "title": "The sentence or headline announcing the event",
        "event_date": "Date of the event; NULL unless the year is given or inferred (see date_precision)",
        "date_text": "The date as written (e.g. 'Chiều 26/2')",
        "date_precision": "day (full date in the text) / year_inferred (year from publication) / month_day (no year)",
        "location_id": "Where it took place (dim_location.location_id); NULL when not said",
        "organizer_org_id": "Organizing body (dim_organization.org_id); NULL when not said",
        "chair_person_id": "Who chaired it (dim_person.person_id); NULL when not said",
        "article_count": "Number of articles reporting the event",
    },
    "bridge_event_article": {
        "event_id": f"The event: {_EVENT}",
        "article_id": f"An article reporting it: {_ARTICLE}",
    },
    "bridge_event_participant": {
        "event_id": f"The event: {_EVENT}",
        "entity_kind": "person / organization / location: which dimension entity_id refers to",
        "entity_id": "The participant's id in the dimension named by entity_kind",
        "role": "chair / organizer / attendee / speaker / mentioned",
    },
    "ingest_rejection": {
        "file_name": "Base name of the input file that was rejected",
        "content_sha256": "SHA-256 of the raw bytes; NULL when they could not be read",
        "reason": "Short reason code: empty, binary, too_large, undecodable, not_vietnamese, too_short, "
                  "malformed_jsonl, malformed_json, unreadable, duplicate (not an error)",
        "detail": "Human-readable explanation",
        "duplicate_of": "For reason 'duplicate': the article kept for the same text (dim_article.article_id)",
        "rejected_at": "When the file was first rejected (UTC); kept across re-runs",
    },
}

_SQL_TYPES = {pl.String: "VARCHAR", pl.Date: "DATE", pl.Int32: "INTEGER", pl.Int64: "BIGINT",
              pl.Float64: "DOUBLE", pl.Boolean: "BOOLEAN"}


def sql_type(dtype: pl.DataType) -> str:
    """The DuckDB type name of a warehouse column's Polars dtype."""
    if isinstance(dtype, pl.List):
        return sql_type(dtype.inner) + "[]"
    if isinstance(dtype, pl.Datetime):
        return "TIMESTAMP"
    return _SQL_TYPES.get(dtype.base_type(), str(dtype))


def columns(table: str) -> list[tuple[str, str, str]]:
    """(name, DuckDB type, description) of every column of a warehouse table, in order."""
    described = COLUMN_DESCRIPTIONS.get(table, {})
    return [(name, sql_type(dtype), described.get(name, ""))
            for name, dtype in WAREHOUSE_TABLES[table].items()]


def comment_statements() -> list[str]:
    """``COMMENT ON COLUMN`` for every described column of every warehouse table."""
    out = []
    for table in WAREHOUSE_TABLES:
        for name, _, description in columns(table):
            if description:
                text = description.replace("'", "''")
                out.append(f"COMMENT ON COLUMN {table}.{name} IS '{text}'")
    return out
