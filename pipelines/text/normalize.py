"""Normalize raw articles into the ``articles`` frame (see ``pipelines.schemas.ARTICLE``)."""

from __future__ import annotations

import polars as pl

from pipelines.schemas import ARTICLE, from_records
from pipelines.text.clean import clean_text
from pipelines.text.ingest import article_id_for, sha256_hex
from pipelines.text.layout import find_dateline, split_title
from pipelines.text.sentences import split_sentences

__all__ = ["article_id_for", "normalize_articles", "normalize_text"]


def _clean_meta(value: str | None) -> str | None:
    """A metadata string on one line, NFC, or None."""
    if value is None:
        return None
    value = " ".join(clean_text(value).split())
    return value or None


def normalize_text(raw_text: str, meta_title: str | None = None, meta_source: str | None = None,
                   published_date=None, url: str | None = None) -> dict:
    """One article's normalized fields (everything in ARTICLE but ``file_name``).

    Title and source from the input's metadata win over the title line and the
    dateline found in the text; the publication date and URL come from metadata only.
    """
    body = clean_text(raw_text)
    title = split_title(body)
    source, _ = find_dateline(body, title)
    spans = split_sentences(body)
    content_sha256 = sha256_hex(body)
    return {
        "article_id": article_id_for(body, content_sha256),
        "content_sha256": content_sha256,
        "source_name": _clean_meta(meta_source) or source,
        "title": _clean_meta(meta_title) or title,
        "published_date": published_date,
        "url": url.strip() if url and url.strip() else None,
        "body": body,
        "char_count": len(body),
        "sentence_count": len(spans),
        "sentences": [{"start": s, "end": e} for s, e in spans],
    }


def normalize_articles(raw: pl.DataFrame) -> pl.DataFrame:
    """Normalize every raw article; the same normalized text from several files is one article.

    The first file by name keeps the article (ingest has already recorded the
    others as duplicates); an article whose text is empty after cleaning is
    dropped here only if the ingest layer let it through (it rejects those first).
    """
    records: dict[str, dict] = {}
    for row in raw.sort("file_name").iter_rows(named=True):
        fields = normalize_text(row["raw_text"], row.get("meta_title"), row.get("meta_source"),
                                row.get("published_date"), row.get("url"))
        file_name = row["file_name"]
        if not fields["body"]:
            continue
        records.setdefault(fields["article_id"], {"file_name": file_name, **fields})
    return from_records(list(records.values()), ARTICLE)
