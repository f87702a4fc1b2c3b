"""Read the inbox: every ``*.txt`` file becomes a raw article or a recorded rejection.

Nothing is dropped silently: a file that cannot become an article gets a row in
the rejections frame with a plain reason. Article identity is decided later, from
the normalized text, so the same text in two files is one article.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from pipelines.schemas import RAW_ARTICLE, REJECTION, from_records

DEFAULT_MAX_BYTES = 5_000_000
INPUT_SUFFIXES = (".txt",)


def sha256_hex(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def decode_article(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Decode raw bytes as UTF-8 text: ``(text, reason, detail)``; ``text`` is None when rejected."""
    if not data.strip():
        return None, "empty", "the file is empty or holds only whitespace"
    if b"\x00" in data[:4096]:
        return None, "binary", "the file holds NUL bytes: binary data, not text"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, "undecodable", f"not valid UTF-8 at byte {exc.start}: {exc.reason}"
    if not text.strip():
        return None, "empty", "the file holds only whitespace or invisible characters"
    return text, None, None


def list_inbox(inbox: Path) -> list[Path]:
    """The inbox's input files, sorted by name so runs are deterministic."""
    return sorted(p for p in inbox.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES)


def read_inbox(inbox: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read every input file of ``inbox``: ``(raw_articles, rejections)``."""
    inbox = Path(inbox)
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox directory not found: {inbox}")
    articles: list[dict] = []
    rejections: list[dict] = []
    for path in list_inbox(inbox):
        try:
            size = path.stat().st_size
            if size > max_bytes:
                rejections.append({"file_name": path.name, "content_sha256": None, "reason": "too_large",
                                   "detail": f"{size} bytes is over the limit of {max_bytes} bytes"})
                continue
            data = path.read_bytes()
        except OSError as exc:
            rejections.append({"file_name": path.name, "content_sha256": None, "reason": "unreadable",
                               "detail": f"{type(exc).__name__}: {exc.strerror or exc}"})
            continue
        text, reason, detail = decode_article(data)
        if text is None:
            rejections.append({"file_name": path.name, "content_sha256": sha256_hex(data), "reason": reason,
                               "detail": detail})
            continue
        articles.append({"file_name": path.name, "content_sha256": sha256_hex(data), "raw_text": text,
                         "byte_size": len(data)})
    return from_records(articles, RAW_ARTICLE), from_records(rejections, REJECTION)
