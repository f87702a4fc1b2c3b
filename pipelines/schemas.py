"""The frames that flow between the layers, as Polars schemas.

This module is the contract between the pure library (``pipelines.text``,
``pipelines.extract``, ``pipelines.resolve``) and the Dagster assets that wire
it together. Every stage returns frames with exactly these columns, in this
order, so an asset can check its output with :func:`conform` and a test can
build an empty frame of the right shape with :func:`empty`.

The warehouse stage (``WAREHOUSE_TABLES``) mirrors
``warehouse/schema.sql`` and the public contract in the README.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    import duckdb

# --- ingest -----------------------------------------------------------------

RAW_ARTICLE = {
    "file_name": pl.String,  # base name of the input file (``<name>#<line>`` for a JSON Lines record)
    "content_sha256": pl.String,  # hash of the raw bytes (of the line, for a JSON Lines record)
    "raw_text": pl.String,  # decoded text (NFC, legacy encodings converted), not yet normalized
    "byte_size": pl.Int64,
    "url": pl.String,  # from metadata (HTML page, JSON record, front matter, sidecar), else null
    "meta_title": pl.String,  # title from metadata; wins over the title line found in the text
    "meta_source": pl.String,  # outlet from metadata; wins over the dateline
    "published_date": pl.Date,  # publication date from metadata
    "input_format": pl.String,  # text / html / jsonl / json
    "encoding": pl.String,  # how the bytes were read, e.g. utf-8, utf-16-le, windows-1258, tcvn3, utf-8+mojibake
    "notes": pl.String,  # metadata that was ignored and why (bad front matter or sidecar), else null
}

REJECTION = {
    "file_name": pl.String,
    "content_sha256": pl.String,  # null when the bytes could not be read at all
    "reason": pl.String,  # short machine-friendly reason (pipelines.text.ingest.REASONS)
    "detail": pl.String,  # human-readable explanation
    "duplicate_of": pl.String,  # reason "duplicate": the article_id of the article kept for this text
}

# --- normalize --------------------------------------------------------------

SENTENCE = pl.Struct({"start": pl.Int32, "end": pl.Int32})

ARTICLE = {
    "article_id": pl.String,  # derived from the normalized body
    "file_name": pl.String,
    "content_sha256": pl.String,  # sha256 of the normalized body
    "source_name": pl.String,
    "title": pl.String,
    "published_date": pl.Date,
    "url": pl.String,  # from the input's metadata, else null
    "body": pl.String,  # NFC, whitespace cleaned; all offsets index into it
    "char_count": pl.Int32,
    "sentence_count": pl.Int32,
    "sentences": pl.List(SENTENCE),  # [start, end) of each sentence in body
}

# --- extract (per article, before cross-article resolution) ----------------

MENTION = {
    "article_id": pl.String,
    "entity_kind": pl.String,  # person / organization / location
    "name": pl.String,  # the entity's canonical name within the article
    "surface": pl.String,  # the text as written
    "sentence_idx": pl.Int32,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
}

PERSON_TITLE = {
    "article_id": pl.String,
    "person_name": pl.String,
    "title": pl.String,
    "org_name": pl.String,  # canonical organization name, when the title names one
}

ORGANIZATION = {
    "name": pl.String,
    "org_type": pl.String,
}

QUOTE = {
    "article_id": pl.String,
    "speaker_name": pl.String,  # canonical person name, null when unresolved
    "speaker_surface": pl.String,
    "quote_text": pl.String,
    "quote_kind": pl.String,  # direct / indirect
    "cue_verb": pl.String,
    "sentence_idx": pl.Int32,
    "char_start": pl.Int32,
    "char_end": pl.Int32,
}

PARTICIPANT = pl.Struct({"entity_kind": pl.String, "name": pl.String, "role": pl.String})

EVENT = {
    "article_id": pl.String,
    "event_key": pl.String,  # article-local key, e.g. "<article_id>#1"
    "event_type": pl.String,
    "title": pl.String,
    "event_date": pl.Date,
    "date_text": pl.String,
    "date_precision": pl.String,
    "month": pl.Int32,
    "day": pl.Int32,
    "location_name": pl.String,
    "organizer_name": pl.String,
    "chair_name": pl.String,
    "sentence_idx": pl.Int32,
    "participants": pl.List(PARTICIPANT),
}

EXTRACTION_TABLES = {
    "mentions": MENTION,
    "person_titles": PERSON_TITLE,
    "organizations": ORGANIZATION,
    "quotes": QUOTE,
    "events": EVENT,
}

# --- warehouse (after resolution; mirrors warehouse/schema.sql) -------------

WAREHOUSE_TABLES: dict[str, dict[str, pl.DataType]] = {
    "dim_article": {
        "article_id": pl.String,
        "file_name": pl.String,
        "source_name": pl.String,
        "title": pl.String,
        "published_date": pl.Date,
        "url": pl.String,
        "content_sha256": pl.String,
        "char_count": pl.Int32,
        "sentence_count": pl.Int32,
        "ingested_at": pl.Datetime("us"),
        "is_current": pl.Boolean,  # false for a version replaced by a changed file (see superseded_by)
        "superseded_by": pl.String,
        "in_inbox": pl.Boolean,  # false once the input file is gone from the inbox
    },
    "article_text": {"article_id": pl.String, "body": pl.String},
    "dim_person": {
        "person_id": pl.String,
        "canonical_name": pl.String,
        "name_ascii": pl.String,
        "aliases": pl.List(pl.String),
    },
    "dim_organization": {"org_id": pl.String, "canonical_name": pl.String, "org_type": pl.String},
    "dim_location": {"location_id": pl.String, "canonical_name": pl.String},
    "fact_mention": {
        "mention_id": pl.String,
        "article_id": pl.String,
        "entity_kind": pl.String,
        "entity_id": pl.String,
        "surface": pl.String,
        "sentence_idx": pl.Int32,
        "char_start": pl.Int32,
        "char_end": pl.Int32,
    },
    "fact_person_title": {
        "person_id": pl.String,
        "article_id": pl.String,
        "title": pl.String,
        "org_id": pl.String,
    },
    "fact_quote": {
        "quote_id": pl.String,
        "article_id": pl.String,
        "event_id": pl.String,
        "speaker_person_id": pl.String,
        "speaker_surface": pl.String,
        "quote_text": pl.String,
        "quote_kind": pl.String,
        "cue_verb": pl.String,
        "sentence_idx": pl.Int32,
        "char_start": pl.Int32,
        "char_end": pl.Int32,
    },
    "fact_event": {
        "event_id": pl.String,
        "event_type": pl.String,
        "title": pl.String,
        "event_date": pl.Date,
        "date_text": pl.String,
        "date_precision": pl.String,
        "location_id": pl.String,
        "organizer_org_id": pl.String,
        "chair_person_id": pl.String,
        "article_count": pl.Int32,
    },
    "bridge_event_article": {"event_id": pl.String, "article_id": pl.String},
    "bridge_event_participant": {
        "event_id": pl.String,
        "entity_kind": pl.String,
        "entity_id": pl.String,
        "role": pl.String,
    },
    "ingest_rejection": {
        "file_name": pl.String,
        "content_sha256": pl.String,
        "reason": pl.String,
        "detail": pl.String,
        "duplicate_of": pl.String,
        "rejected_at": pl.Datetime("us"),
    },
}


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """An empty frame with the given columns and types."""
    return pl.DataFrame(schema=schema)


def conform(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Select and cast ``frame`` to ``schema``; raise if a column is missing."""
    missing = [c for c in schema if c not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks columns {missing}; has {frame.columns}")
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])


def from_records(records: list[dict], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Build a frame from plain dict records, typed by ``schema`` (empty list -> empty frame)."""
    if not records:
        return empty(schema)
    return pl.DataFrame(records, schema=schema, orient="row" if isinstance(records[0], tuple) else None)


def query_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """The rows of a DuckDB query as a frame, handed over through the Arrow C stream interface.

    Same frame as ``con.execute(sql).pl()``, which goes through pyarrow: importing it costs
    a fifth of a second, paid by every refresh that reads the warehouse back."""
    return pl.DataFrame(con.sql(sql, params=params))
