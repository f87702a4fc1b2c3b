"""The extraction library: plain functions over strings and Polars frames, no Dagster.

Public API:
- ``extract(body) -> Document`` for one article (see ``document.py``);
- ``extract_articles(articles) -> dict[str, pl.DataFrame]`` for a frame of articles,
  returning the frames of ``pipelines.schemas.EXTRACTION_TABLES``.
"""

from __future__ import annotations

import polars as pl

from pipelines.extract.document import extract
from pipelines.extract.model import Document
from pipelines.schemas import EXTRACTION_TABLES, from_records

__all__ = ["Document", "extract", "extract_articles", "document_records"]


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


def extract_articles(articles: pl.DataFrame) -> dict[str, pl.DataFrame]:
    """Extract every article of an ``articles`` frame (see ``pipelines.schemas.ARTICLE``)."""
    records: dict[str, list[dict]] = {name: [] for name in EXTRACTION_TABLES}
    for article_id, body, published in articles.select("article_id", "body", "published_date").iter_rows():
        doc = extract(body, published)
        for name, rows in document_records(article_id, doc).items():
            records[name].extend(rows)
    for ev in records["events"]:
        year = ev.pop("year")
        ev.update(_event_date(ev["day"], ev["month"], year))
    frames = {name: from_records(rows, EXTRACTION_TABLES[name]) for name, rows in records.items()}
    frames["organizations"] = frames["organizations"].unique(subset="name", keep="first", maintain_order=True)
    return frames


def _event_date(day, month, year) -> dict:
    """The event's date and how precise it is; a year is never made up."""
    import datetime as dt

    if day is None or month is None:
        return {"event_date": None, "date_precision": None}
    if year is None:
        return {"event_date": None, "date_precision": "month_day"}
    try:
        return {"event_date": dt.date(year, month, day), "date_precision": "day"}
    except ValueError:
        return {"event_date": None, "date_precision": "month_day"}
