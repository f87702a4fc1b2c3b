"""The extraction library: plain functions over strings and Polars frames, no Dagster.

Public API:
- ``extract(body) -> Document`` for one article (see ``document.py``);
- ``extract_articles(articles) -> dict[str, pl.DataFrame]`` for a frame of articles,
  returning the frames of ``pipelines.schemas.EXTRACTION_TABLES``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import polars as pl

from pipelines.extract.document import extract
from pipelines.extract.model import Document
from pipelines.schemas import EXTRACTION_TABLES, from_records

__all__ = ["Document", "extract", "extract_articles", "document_records", "event_date"]

PROGRESS_EVERY = 500


def document_records(article_id: str, doc: Document) -> dict[str, list[dict]]:
    """One article's extraction as plain records, keyed like ``EXTRACTION_TABLES``."""
    out: dict[str, list[dict]] = {name: [] for name in EXTRACTION_TABLES}
    for m in doc.mentions:
        out["mentions"].append({"article_id": article_id, "entity_kind": m.kind, "name": m.name,
                                "surface": m.surface, "sentence_idx": m.sentence_idx,
                                "char_start": m.start, "char_end": m.end})
    for person in doc.people.values():
        for title, org in person.titles:
            out["person_titles"].append({"article_id": article_id, "person_name": person.name,
                                         "title": title, "org_name": org})
    for name, org_type in doc.organizations.items():
        out["organizations"].append({"name": name, "org_type": org_type})
    for q in doc.quotes:
        out["quotes"].append({"article_id": article_id, "speaker_name": q.speaker_name,
                              "speaker_surface": q.speaker_surface, "quote_text": q.text,
                              "quote_kind": q.kind, "cue_verb": q.cue, "sentence_idx": q.sentence_idx,
                              "char_start": q.start, "char_end": q.end})
    for n, ev in enumerate(doc.events, start=1):
        out["events"].append({
            "article_id": article_id, "event_key": f"{article_id}#{n}", "event_type": ev.event_type,
            "title": ev.title, "event_date": None, "date_text": ev.date_text,
            "date_precision": None, "month": ev.month, "day": ev.day, "year": ev.year,
            "location_name": ev.location, "organizer_name": ev.organizer, "chair_name": ev.chair,
            "sentence_idx": ev.sentence_idx,
            "participants": [{"entity_kind": k, "name": nm, "role": r} for k, nm, r in ev.participants],
        })
    return out


def extract_articles(articles: pl.DataFrame,
                     progress: Callable[[int, int], None] | None = None) -> dict[str, pl.DataFrame]:
    """Extract every article of an ``articles`` frame (see ``pipelines.schemas.ARTICLE``).

    ``progress(done, total)`` is called every ``PROGRESS_EVERY`` articles and at the end.
    """
    records: dict[str, list[dict]] = {name: [] for name in EXTRACTION_TABLES}
    total = articles.height
    for done, (article_id, body, published) in enumerate(
            articles.select("article_id", "body", "published_date").iter_rows(), start=1):
        doc = extract(body, published)
        article_records = document_records(article_id, doc)
        for ev in article_records["events"]:
            ev.update(event_date(ev["day"], ev["month"], ev.pop("year"), published))
        for name, rows in article_records.items():
            records[name].extend(rows)
        if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    frames = {name: from_records(rows, EXTRACTION_TABLES[name]) for name, rows in records.items()}
    frames["organizations"] = frames["organizations"].unique(subset="name", keep="first", maintain_order=True)
    return frames


def event_date(day: int | None, month: int | None, year: int | None, published: dt.date | None) -> dict:
    """The event's date and how precise it is. A year is never made up: it comes from the
    text (``day``), or from the article's publication date (``year_inferred``: the latest
    such date not after publication), or the date stays NULL (``month_day``)."""
    if day is None or month is None:
        return {"event_date": None, "date_precision": None}
    try:
        if year is not None:
            return {"event_date": dt.date(year, month, day), "date_precision": "day"}
        if published is not None:
            guess = dt.date(published.year, month, day)
            if guess > published:
                guess = dt.date(published.year - 1, month, day)
            return {"event_date": guess, "date_precision": "year_inferred"}
    except ValueError:  # 30/2, or 29/2 in a common year
        pass
    return {"event_date": None, "date_precision": "month_day"}
