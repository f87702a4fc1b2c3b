"""Input formats: HTML pages, JSON Lines exports, YAML front matter and JSON sidecars.

Each reader returns the article text and its metadata (:class:`Meta`: url, title,
source, publication date); decoding bytes is :mod:`pipelines.text.decode`'s job.

- **HTML** saved from a news site: boilerplate (menus, ads, footers) is removed by
  ``trafilatura``; title, date, outlet and URL come from the page's metadata
  (``og:*``, ``article:published_time``, ``<link rel=canonical>``, JSON-LD ...).
- **JSON Lines** from crawlers: one object per line with ``url``, ``title``,
  ``source``, ``published_at`` and ``body`` (a few common aliases accepted); any
  of them may be missing.
- **Plain text** may open with YAML front matter between ``---`` lines, or have a
  sidecar ``<name>.json`` beside it, with ``published_at``, ``source``, ``url``
  (and ``title``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import yaml

# Accepted field names, first match wins.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "url": ("url", "link", "canonical_url", "source_url"),
    "title": ("title", "headline"),
    "source": ("source", "source_name", "sitename", "site_name", "publisher", "outlet"),
    "published_at": ("published_at", "published_date", "published", "publish_date", "date", "pubdate",
                     "datePublished"),
    "body": ("body", "content", "text", "article"),
}


@dataclass(frozen=True)
class Meta:
    url: str | None = None
    title: str | None = None
    source: str | None = None
    published_date: dt.date | None = None

    def over(self, other: Meta) -> Meta:
        """These fields, falling back to ``other``'s where this one has none."""
        return Meta(*(mine if mine is not None else theirs for mine, theirs in
                      zip((self.url, self.title, self.source, self.published_date),
                          (other.url, other.title, other.source, other.published_date), strict=True)))


# --- field values ----------------------------------------------------------------

_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?!\d)")
_YMD = re.compile(r"^\s*(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})(?!\d)")


def parse_date(value: object) -> dt.date | None:
    """A publication date from ISO text (``2017-02-26``, ``2017-02-26T15:30:00+07:00``),
    Vietnamese day-first text (``26/02/2017``, ``26-2-2017 15:30``) or a date object; else None.

    The date is the one written (the outlet's local date), not converted to UTC.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    for pattern, order in ((_YMD, (0, 1, 2)), (_DMY, (2, 1, 0))):
        match = pattern.match(value)
        if match:
            parts = [int(g) for g in match.groups()]
            year, month, day = (parts[i] for i in order)
            try:
                date = dt.date(year, month, day)
            except ValueError:
                return None
            return date if 1900 <= date.year <= 2100 else None
    return None


def _text(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def field(record: Mapping, name: str) -> object:
    """The first alias of ``name`` present in ``record`` (None when absent)."""
    for key in FIELD_ALIASES[name]:
        if key in record and record[key] is not None:
            return record[key]
    return None


def meta_from_mapping(record: Mapping) -> Meta:
    """Metadata from a JSON object or YAML mapping; unusable values become None."""
    source = field(record, "source")
    if isinstance(source, Mapping):  # {"source": {"name": "VnExpress"}}
        source = source.get("name")
    return Meta(url=_text(field(record, "url")), title=_text(field(record, "title")),
                source=_text(source), published_date=parse_date(field(record, "published_at")))


# --- plain text: front matter and sidecar -----------------------------------------

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL | re.MULTILINE)


def split_front_matter(text: str) -> tuple[Meta, str, str | None]:
    """``(meta, body, problem)``: YAML front matter read and cut off; ``problem`` says why it was ignored."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return Meta(), text, None
    body = text[match.end():]
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as exc:
        return Meta(), body, f"front matter is not valid YAML ({str(exc).splitlines()[0]})"
    if not isinstance(data, Mapping):
        return Meta(), body, "front matter is not a mapping of fields"
    return meta_from_mapping(data), body, None


def parse_sidecar(text: str) -> tuple[Meta, str | None]:
    """Metadata from a sidecar ``<name>.json``: ``(meta, problem)``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return Meta(), f"sidecar is not valid JSON ({exc.msg} at line {exc.lineno})"
    if not isinstance(data, Mapping):
        return Meta(), "sidecar is not a JSON object"
    return meta_from_mapping(data), None


# --- JSON Lines -------------------------------------------------------------------

@dataclass(frozen=True)
class JsonRecord:
    line: int  # 1-based line number in the file
    raw: str  # the line as read
    body: str | None  # None when the line is malformed
    meta: Meta
    problem: str | None  # why the line is malformed


def jsonl_records(text: str) -> Iterator[JsonRecord]:
    """Every non-blank line of a JSON Lines text, parsed; a malformed line is reported, not raised."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            yield JsonRecord(number, line, None, Meta(), f"line {number} is not valid JSON: {exc.msg} "
                                                          f"at column {exc.colno}")
            continue
        if not isinstance(data, Mapping):
            yield JsonRecord(number, line, None, Meta(), f"line {number} is a JSON {type(data).__name__}, "
                                                          "not an object")
            continue
        body = field(data, "body")
        yield JsonRecord(number, line, body if isinstance(body, str) else "", meta_from_mapping(data), None)


# --- HTML ---------------------------------------------------------------------------

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its top."""
    match = _CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def looks_like_html(text: str) -> bool:
    head = text.lstrip("\ufeff \t\r\n")[:512].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:4096].lower()


def html_article(html: str) -> tuple[str | None, Meta]:
    """The main text of a saved news page (paragraphs one per line) and its metadata."""
    import trafilatura  # imported here: it loads lxml and friends, which only HTML inputs need

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, include_images=False,
        deduplicate=False, date_extraction_params={"extensive_search": False, "original_date": True})
    if doc is None:
        return None, Meta()
    meta = Meta(url=_text(doc.url), title=_text(doc.title), source=_text(doc.sitename) or _text(doc.hostname),
                published_date=parse_date(doc.date))
    return _text(doc.text), meta


def compose(title: str | None, body: str) -> str:
    """The text an article is read from: its title line, a blank line, the body (title not repeated)."""
    if not title:
        return body
    first = body.lstrip().split("\n", 1)[0].strip()
    if first == title.strip():
        return body
    return f"{title.strip()}\n\n{body}"

