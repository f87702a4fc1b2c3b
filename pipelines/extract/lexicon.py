"""Load the data files in ``pipelines/lexicons`` and compile them once.

File format (every lexicon): UTF-8 NFC, one entry per line, ``#`` comments,
variants separated by `` | `` with the canonical form first, an optional
category after a TAB. Each lexicon compiles to one alternation regex, longest
variant first, so a scan of a sentence is a single regex pass.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

# A word boundary for Vietnamese text: no letter, digit or joiner on either side.
_LEFT = r"(?<![\w&.\-])"
_RIGHT = r"(?![\w&\-]|\.\w)"


@dataclass(frozen=True)
class Lexicon:
    """A set of phrases, each mapped to its canonical form and category."""

    name: str
    canonical: dict[str, str] = field(default_factory=dict)  # variant -> canonical
    category: dict[str, str] = field(default_factory=dict)  # canonical -> category
    pattern: re.Pattern = re.compile(r"(?!)")

    def __contains__(self, phrase: str) -> bool:
        return phrase in self.canonical

    def canon(self, phrase: str) -> str | None:
        return self.canonical.get(phrase)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        return self.pattern.finditer(text, pos, len(text) if endpos is None else endpos)


def parse_lines(lines) -> list[tuple[list[str], str | None]]:
    """``[(variants, category)]`` from the lines of a lexicon file."""
    entries = []
    for raw in lines:
        line = unicodedata.normalize("NFC", raw.rstrip("\n"))
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        names, _, category = line.partition("\t")
        variants = [v.strip() for v in names.split("|") if v.strip()]
        if variants:
            entries.append((variants, category.strip() or None))
    return entries


def build(name: str, entries: list[tuple[list[str], str | None]], ignore_case: bool = False) -> Lexicon:
    canonical: dict[str, str] = {}
    category: dict[str, str] = {}
    for variants, cat in entries:
        canon = variants[0]
        for v in variants:
            canonical.setdefault(v.casefold() if ignore_case else v, canon)
        if cat:
            category.setdefault(canon, cat)
    alternatives = sorted({re.escape(v) for v in canonical}, key=len, reverse=True)
    flags = re.IGNORECASE if ignore_case else 0
    pattern = re.compile(_LEFT + "(?:" + "|".join(alternatives) + ")" + _RIGHT, flags) if alternatives else re.compile(r"(?!)")
    return Lexicon(name, canonical, category, pattern)


def read_lexicon_lines(name: str) -> list[str]:
    return resources.files("pipelines.lexicons").joinpath(f"{name}.txt").read_text(encoding="utf-8").splitlines()


@cache
def load(name: str, ignore_case: bool = False) -> Lexicon:
    """The compiled lexicon ``pipelines/lexicons/<name>.txt`` (cached per process)."""
    return build(name, parse_lines(read_lexicon_lines(name)), ignore_case)


@cache
def words(name: str) -> frozenset[str]:
    """Every variant of a lexicon as a plain set (for membership tests)."""
    return frozenset(v for variants, _ in parse_lines(read_lexicon_lines(name)) for v in variants)
