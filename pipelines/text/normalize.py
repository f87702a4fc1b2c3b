"""Normalize raw articles into the ``articles`` frame (see ``pipelines.schemas.ARTICLE``)."""

from __future__ import annotations

import polars as pl

from pipelines.schemas import ARTICLE, from_records
from pipelines.text.clean import clean_text
from pipelines.text.ingest import sha256_hex
from pipelines.text.layout import find_dateline, split_title
from pipelines.text.sentences import split_sentences


def article_id_for(body: str) -> str:
    """A stable id from the normalized content: the same text is the same article anywhere."""
    return "art_" + sha256_hex(body)[:16]


def normalize_text(raw_text: str) -> dict:
    """One article's normalized fields (everything in ARTICLE but ``file_name``)."""
    body = clean_text(raw_text)
    title = split_title(body)
    source, _ = find_dateline(body, title)
    spans = split_sentences(body)
    return {
        "article_id": article_id_for(body),
        "content_sha256": sha256_hex(body),
        "source_name": source,
        "title": title,
        "published_date": None,
        "body": body,
        "char_count": len(body),
        "sentence_count": len(spans),
        "sentences": [{"start": s, "end": e} for s, e in spans],
    }


def normalize_articles(raw: pl.DataFrame) -> pl.DataFrame:
    """Normalize every raw article; the same normalized text from several files is one article.

    The first file by name keeps the article; an article whose text is empty
    after cleaning is dropped here only if the ingest layer let it through
    (it rejects whitespace-only files first).
    """
    records: dict[str, dict] = {}
    for file_name, raw_text in raw.sort("file_name").select("file_name", "raw_text").iter_rows():
        fields = normalize_text(raw_text)
        if not fields["body"]:
            continue
        records.setdefault(fields["article_id"], {"file_name": file_name, **fields})
    return from_records(list(records.values()), ARTICLE)
