"""Read the inbox: every input becomes a raw article or a recorded rejection.

Nothing is dropped silently: an input that cannot become an article gets a row in
the rejections frame with a plain reason (see :data:`REASONS`), and the run goes on.

Inputs (every regular file of the inbox whose name does not start with a dot):

- ``*.txt`` and any other text file: one article, in any encoding
  :func:`pipelines.text.decode.decode_bytes` reads, optionally with YAML front
  matter or a sidecar ``<name>.json`` giving ``published_at``, ``source``, ``url``, ``title``;
- ``*.html`` / ``*.htm``: a saved news page (boilerplate removed, page metadata read);
- ``*.jsonl`` / ``*.ndjson``: one article per line; its ``file_name`` is ``<name>#<line>``;
- ``*.json``: a sidecar when a file of the same stem exists, otherwise one article
  object (or a list of them, named ``<name>#<n>``).

Article identity is the normalized text: an input whose text is the same as an
earlier one (by file name) is recorded as a ``duplicate`` with ``duplicate_of``
naming the kept article, so the same text in two files is one article.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.schemas import RAW_ARTICLE, REJECTION, from_records
from pipelines.text import formats, language
from pipelines.text.clean import clean_text
from pipelines.text.decode import Decoded, decode_bytes, repair_text
from pipelines.text.formats import Meta

DEFAULT_MAX_BYTES = 5_000_000
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
SIDECAR_SUFFIX = ".json"

# Every rejection reason, with what it means (README, asset metadata).
REASONS = {
    "empty": "empty, whitespace only, or no body (an HTML page without article text, a JSON record without body)",
    "binary": "an image, PDF, archive, Office file or other binary data",
    "too_large": "over the size limit (default 5 MB)",
    "undecodable": "bytes that are no known encoding of Vietnamese text (or damaged UTF-8)",
    "not_vietnamese": "readable text, but not Vietnamese",
    "too_short": f"fewer than {language.MIN_WORDS} words: too little to be an article",
    "malformed_jsonl": "a JSON Lines line that is not a JSON object (that line only)",
    "malformed_json": "a .json file that is neither a sidecar nor an article object",
    "unreadable": "the file could not be read (permissions, I/O error)",
    "duplicate": "the same text as an article already kept (duplicate_of names it): recorded, not an error",
}


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def article_id_for(body: str, body_sha256: str | None = None) -> str:
    """A stable id from the normalized content: the same text is the same article anywhere.
    ``body_sha256`` is the body's ``sha256_hex`` when the caller has it already."""
    return "art_" + (body_sha256 or sha256_hex(body))[:16]


def decode_article(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Decode raw bytes to text: ``(text, reason, detail)``; ``text`` is None when rejected."""
    decoded = decode_bytes(data)
    return decoded.text, decoded.reason, decoded.detail


def list_inbox(inbox: Path, stems: Collection[str] | None = None) -> list[Path]:
    """The inbox's input files (not hidden ones), sorted by name so runs are deterministic;
    only those whose stem is in ``stems`` when given (a refresh reading a few files of a large
    inbox: scandir gives each name's type without a stat, so this costs no stat per file)."""
    with os.scandir(inbox) as entries:
        names = sorted(e.name for e in entries if not e.name.startswith(".")
                       and (stems is None or os.path.splitext(e.name)[0] in stems) and e.is_file())
    return [inbox / name for name in names]


def _sidecars(paths: list[Path]) -> dict[Path, Path]:
    """Article file -> its sidecar ``<stem>.json`` (a .json beside a file of the same stem)."""
    by_stem: dict[str, list[Path]] = {}
    for p in paths:
        by_stem.setdefault(p.stem, []).append(p)
    out = {}
    for group in by_stem.values():
        jsons = [p for p in group if p.suffix.lower() == SIDECAR_SUFFIX]
        others = [p for p in group if p.suffix.lower() != SIDECAR_SUFFIX]
        if len(jsons) == 1 and others:
            for other in others:
                out[other] = jsons[0]
    return out


@dataclass
class _Collector:
    """Accepted articles and rejections of one inbox read."""

    articles: list[dict] = field(default_factory=list)
    rejections: list[dict] = field(default_factory=list)

    def reject(self, file_name: str, sha: str | None, reason: str, detail: str, duplicate_of: str | None = None):
        self.rejections.append({"file_name": file_name, "content_sha256": sha, "reason": reason, "detail": detail,
                                "duplicate_of": duplicate_of})

    def offer(self, file_name: str, sha: str, text: str, meta: Meta, encoding: str, fmt: str, size: int,
              notes: list[str] | None = None) -> None:
        """Keep ``text`` as an article if it is Vietnamese and long enough, else record why not."""
        if fmt != "text":  # a record's or page's body comes without its title line: put it back on top
            text = formats.compose(meta.title, text)
        found = language.score(text)
        if found.words < language.MIN_WORDS:
            if not text.strip(" \t\r\n\ufeff\u200b\u00ad"):
                self.reject(file_name, sha, "empty", "no text left once read")
            else:
                self.reject(file_name, sha, "too_short", f"only {found.words} word(s); an article needs "
                                                         f"{language.MIN_WORDS} or more")
            return
        if not found.is_vietnamese():
            self.reject(file_name, sha, "not_vietnamese", f"read as {encoding}: {found.explain()}")
            return
        self.articles.append({
            "file_name": file_name, "content_sha256": sha, "raw_text": text, "byte_size": size,
            "url": meta.url, "meta_title": meta.title, "meta_source": meta.source,
            "published_date": meta.published_date, "input_format": fmt, "encoding": encoding,
            "notes": "; ".join(notes) if notes else None,
        })


def _decode(out: _Collector, name: str, data: bytes) -> Decoded | None:
    decoded = decode_bytes(data)
    if decoded.text is None:
        out.reject(name, sha256_hex(data), decoded.reason or "undecodable", decoded.detail or "")
        return None
    return decoded


def _read_sidecar(path: Path) -> tuple[Meta, str | None]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Meta(), f"sidecar {path.name} unreadable: {exc.strerror or exc}"
    decoded = decode_bytes(data)
    if decoded.text is None:
        return Meta(), f"sidecar {path.name}: {decoded.detail}"
    meta, problem = formats.parse_sidecar(decoded.text)
    return meta, (f"sidecar {path.name}: {problem}" if problem else None)


def _read_text(out: _Collector, path: Path, data: bytes, sidecar: Meta, notes: list[str]) -> None:
    decoded = _decode(out, path.name, data)
    if decoded is None:
        return
    if formats.looks_like_html(decoded.text):
        _read_html(out, path, data, sidecar, notes, decoded)
        return
    meta, body, problem = formats.split_front_matter(decoded.text)
    if problem:
        notes.append(problem)
    out.offer(path.name, sha256_hex(data), body, sidecar.over(meta), decoded.encoding, "text", len(data), notes)


def _read_html(out: _Collector, path: Path, data: bytes, sidecar: Meta, notes: list[str],
               decoded: Decoded | None = None) -> None:
    html = None
    charset = formats.declared_charset(data)
    if decoded is None and charset and charset.replace("_", "-") not in ("utf-8", "utf8"):
        try:
            html, encoding = data.decode(charset), charset
        except (LookupError, UnicodeDecodeError):
            html = None
    if html is None:
        decoded = decoded or _decode(out, path.name, data)
        if decoded is None:
            return
        html, encoding = decoded.text, decoded.encoding
    try:
        text, page = formats.html_article(html)
    except Exception as exc:  # noqa: BLE001 - a parser crash on one page must not stop the run
        out.reject(path.name, sha256_hex(data), "empty", f"the HTML page could not be parsed: {exc}")
        return
    if not text:
        out.reject(path.name, sha256_hex(data), "empty", "the HTML page holds no article text")
        return
    text, repaired = repair_text(text)
    out.offer(path.name, sha256_hex(data), text, sidecar.over(page),
              f"{encoding}+{repaired}" if repaired else encoding, "html", len(data), notes)


def _read_records(out: _Collector, name: str, items: list[tuple[str, str, object, Meta]], encoding: str,
                  fmt: str) -> None:
    """Articles from parsed JSON records: ``(file_name, raw, body, meta)``."""
    for file_name, raw, body, meta in items:
        sha = sha256_hex(raw)
        if not isinstance(body, str) or not body.strip():
            out.reject(file_name, sha, "empty", "the record has no body text")
            continue
        text, repaired = repair_text(body)
        out.offer(file_name, sha, text, meta, f"{encoding}+{repaired}" if repaired else encoding, fmt,
                  len(raw.encode("utf-8")))


def _read_jsonl(out: _Collector, path: Path, data: bytes) -> None:
    decoded = _decode(out, path.name, data)
    if decoded is None:
        return
    items = []
    for record in formats.jsonl_records(decoded.text):
        file_name = f"{path.name}#{record.line}"
        if record.problem:
            out.reject(file_name, sha256_hex(record.raw), "malformed_jsonl", record.problem)
            continue
        items.append((file_name, record.raw, record.body, record.meta))
    _read_records(out, path.name, items, decoded.encoding, "jsonl")


def _read_json(out: _Collector, path: Path, data: bytes) -> None:
    decoded = _decode(out, path.name, data)
    if decoded is None:
        return
    try:
        parsed = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        out.reject(path.name, sha256_hex(data), "malformed_json",
                   f"not valid JSON ({exc.msg} at line {exc.lineno}), and no article file named "
                   f"{path.stem}.* for it to describe")
        return
    objects = parsed if isinstance(parsed, list) else [parsed]
    items = []
    for n, obj in enumerate(objects, start=1):
        file_name = path.name if not isinstance(parsed, list) else f"{path.name}#{n}"
        if not isinstance(obj, dict):
            out.reject(file_name, sha256_hex(json.dumps(obj, ensure_ascii=False)), "malformed_json",
                       "a JSON value that is not an article object")
            continue
        raw = json.dumps(obj, ensure_ascii=False, sort_keys=True) if isinstance(parsed, list) else decoded.text
        items.append((file_name, raw, formats.field(obj, "body"), formats.meta_from_mapping(obj)))
    _read_records(out, path.name, items, decoded.encoding, "json")


def read_file(out: _Collector, path: Path, data: bytes, sidecar: Path | None) -> None:
    """One inbox file into ``out``: articles and rejections."""
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        _read_jsonl(out, path, data)
        return
    if suffix == SIDECAR_SUFFIX:
        _read_json(out, path, data)
        return
    meta, notes = Meta(), []
    if sidecar is not None:
        meta, problem = _read_sidecar(sidecar)
        if problem:
            notes.append(problem)
    if suffix in HTML_SUFFIXES:
        _read_html(out, path, data, meta, notes)
    else:
        _read_text(out, path, data, meta, notes)


def _mark_duplicates(out: _Collector) -> list[dict]:
    """Keep the first input (by file name) of every distinct normalized text; record the others."""
    kept: dict[str, str] = {}
    articles = []
    for record in sorted(out.articles, key=lambda r: r["file_name"]):
        body = clean_text(record["raw_text"])
        if not body:
            out.reject(record["file_name"], record["content_sha256"], "empty", "no text left once cleaned")
            continue
        article_id = article_id_for(body)
        if article_id in kept:
            out.reject(record["file_name"], record["content_sha256"], "duplicate",
                       f"same text as {kept[article_id]} (article {article_id}), which is kept",
                       duplicate_of=article_id)
            continue
        kept[article_id] = record["file_name"]
        articles.append(record)
    return articles


INPUT_LISTING = {
    "input_name": pl.String,  # base name of the inbox file
    "stem": pl.String,  # the name without its suffix: a text file and its sidecar share it
    "size": pl.Int64,
    "mtime_ns": pl.Int64,
    "raw_sha256": pl.String,  # hash of the file's bytes
}


def list_inputs(inbox: Path, known: pl.DataFrame | None = None) -> pl.DataFrame:
    """Every input file of ``inbox`` with its size, modification time and content hash.

    A file whose size and modification time match ``known`` (a previous listing)
    keeps its known hash instead of being read again, so listing a large unchanged
    inbox costs a ``stat`` per file.
    """
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox directory not found: {inbox}")
    # scandir: the file type (and on most file systems the stat) comes with the directory
    # entry; columns built list by list and matched to ``known`` by a join, since this runs
    # over every file of the inbox on every refresh (about 1 s per 100k files).
    names, sizes, mtimes = [], [], []
    with os.scandir(inbox) as entries:
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if not entry.is_file():
                    continue
                st = entry.stat()
            except OSError:
                continue  # gone or unreadable now: read_inbox records the rejection when it tries
            names.append(entry.name)
            sizes.append(st.st_size)
            mtimes.append(st.st_mtime_ns)
    stat = {"input_name": names, "size": sizes, "mtime_ns": mtimes}
    frame = pl.DataFrame(stat, schema={name: INPUT_LISTING[name] for name in stat}).sort("input_name")
    keys = ["input_name", "size", "mtime_ns"]
    if known is not None and known.height:
        known = known.select(*(pl.col(k).cast(INPUT_LISTING[k]) for k in keys), pl.col("raw_sha256").cast(pl.String))
        frame = frame.join(known.unique(keys), on=keys, how="left", maintain_order="left")
    else:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias("raw_sha256"))
    shas = frame["raw_sha256"].to_list()
    sorted_names = frame["input_name"].to_list()
    missing = []
    for i in frame.with_row_index().filter(pl.col("raw_sha256").is_null())["index"].to_list():
        try:
            with open(inbox / sorted_names[i], "rb") as f:
                shas[i] = hashlib.file_digest(f, "sha256").hexdigest()
        except OSError:
            missing.append(i)  # unreadable now: read_inbox records the rejection when it tries
    frame = frame.with_columns(pl.Series("raw_sha256", shas, dtype=pl.String)) \
        .with_columns(pl.col("input_name").str.replace(r"(.)\.[^.]*$", "${1}").alias("stem")) \
        .select(list(INPUT_LISTING))  # stem as os.path.splitext gives it
    return frame.filter(~pl.int_range(pl.len()).is_in(missing)) if missing else frame


def read_inbox(inbox: Path, max_bytes: int = DEFAULT_MAX_BYTES, only: Collection[str] | None = None,
               listing: pl.DataFrame | None = None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read the input files of ``inbox``: ``(raw_articles, rejections)``.

    ``only`` limits the read to those file names (an incremental refresh reads the
    new and changed files only); a sidecar is read with its text file either way.
    ``listing`` is the inbox as :func:`list_inputs` has just listed it: its names stand in
    for listing the directory again (100k files: half a second).
    """
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox directory not found: {inbox}")
    # A sidecar shares its text file's stem: the stems of ``only`` are all that must be listed.
    stems = None if only is None else {os.path.splitext(name)[0] for name in only}
    if listing is None:
        paths = list_inbox(inbox, stems)
    else:
        chosen = listing if stems is None else listing.filter(pl.col("stem").is_in(list(stems)))
        paths = [inbox / name for name in sorted(chosen["input_name"].to_list())]
    sidecars = _sidecars(paths)
    used_sidecars = set(sidecars.values())
    out = _Collector()
    for path in paths:
        if path in used_sidecars or (only is not None and path.name not in only):
            continue
        try:
            size = path.stat().st_size
            if size > max_bytes:
                out.reject(path.name, None, "too_large", f"{size} bytes is over the limit of {max_bytes} bytes")
                continue
            data = path.read_bytes()
        except OSError as exc:
            out.reject(path.name, None, "unreadable", f"{type(exc).__name__}: {exc.strerror or exc}")
            continue
        try:
            read_file(out, path, data, sidecars.get(path))
        except Exception as exc:  # noqa: BLE001 - one bad input must never stop the run
            out.reject(path.name, sha256_hex(data), "unreadable", f"could not be read: {type(exc).__name__}: {exc}")
    articles = _mark_duplicates(out)
    rejections = sorted(out.rejections, key=lambda r: (r["file_name"], r["reason"]))
    return from_records(articles, RAW_ARTICLE), from_records(rejections, REJECTION)


def rejection_counts(rejections: pl.DataFrame) -> dict[str, int]:
    """Rejections per reason, most frequent first."""
    if rejections.height == 0:
        return {}
    counts = rejections.group_by("reason").len().sort(["len", "reason"], descending=[True, False])
    return dict(counts.iter_rows())
