"""Content-derived identifiers: the same input gives the same id on every run and machine."""

from __future__ import annotations

import hashlib
import unicodedata


def stable_id(prefix: str, *parts: object) -> str:
    """``<prefix>_<16 hex>`` from the parts' text (NFC, case-folded for names)."""
    text = "\x1f".join("" if p is None else unicodedata.normalize("NFC", str(p)) for p in parts)
    return f"{prefix}_{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}"


def name_key(name: str) -> str:
    """The form under which two spellings of a name are the same name."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())
