"""Load the data files in ``pipelines/lexicons`` and compile them once.

File format (every lexicon): UTF-8 NFC, one entry per line, ``#`` comments,
variants separated by `` | `` with the canonical form first, an optional
category after a TAB. Each lexicon compiles to an Aho-Corasick automaton
(``ahocorasick_rs``), so a scan of a whole article is one linear pass whatever
the lexicon's size; matches then keep word boundaries and the longest variant,
like a longest-first regex alternation would (``pattern`` is that regex, for
the few callers that need a regex).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import ahocorasick_rs

# A word boundary for Vietnamese text: no letter, digit or joiner on either side.
_LEFT = r"(?<![\w&.\-])"
_RIGHT = r"(?![\w&\-]|\.\w)"


@dataclass(frozen=True)
class Match:
    """A lexicon hit, with the ``re.Match`` methods the extractors use."""

    _start: int
    _end: int
    _text: str

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text


def _boundary_ok(text: str, start: int, end: int) -> bool:
    """The word-boundary rule of ``_LEFT``/``_RIGHT``, checked by hand."""
    if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "_&.-"):
        return False
    if end < len(text):
        nxt = text[end]
        if nxt.isalnum() or nxt in "_&-" or (nxt == "." and end + 1 < len(text) and text[end + 1].isalnum()):
            return False
    return True


@dataclass(frozen=True)
class Lexicon:
    """A set of phrases, each mapped to its canonical form and category."""

    name: str
    canonical: dict[str, str] = field(default_factory=dict)  # variant -> canonical
    category: dict[str, str] = field(default_factory=dict)  # canonical -> category
    ignore_case: bool = False
    variants: tuple[str, ...] = ()
    automaton: object = None

    @property
    def pattern(self) -> re.Pattern:
        """The lexicon as one longest-first regex alternation, compiled on first use only
        (scans use the automaton; a large alternation takes long to compile)."""
        return _compiled(tuple(sorted(self.canonical, key=len, reverse=True)), self.ignore_case)

    def __contains__(self, phrase: str) -> bool:
        return phrase in self.canonical

    def canon(self, phrase: str) -> str | None:
        return self.canonical.get(phrase)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Match]:
        """Non-overlapping whole-word matches in ``text[pos:endpos]``, leftmost, longest first."""
        endpos = len(text) if endpos is None else endpos
        if self.automaton is None or pos >= endpos:
            return []
        window = text if (pos, endpos) == (0, len(text)) else text[pos:endpos]
        found = sorted(
            ((s + pos, e + pos) for _, s, e in self.automaton.find_matches_as_indexes(window, overlapping=True)
             if _boundary_ok(text, s + pos, e + pos) and (e + pos < endpos or endpos == len(text)
                                                          or _boundary_ok(text[:endpos], s + pos, e + pos))),
            key=lambda se: (se[0], -se[1]))
        out, last = [], pos
        for s, e in found:
            if s >= last:
                out.append(Match(s, e, text[s:e]))
                last = e
        return out


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
    variants = tuple(canonical)
    automaton = None
    if variants and not ignore_case:
        automaton = ahocorasick_rs.AhoCorasick(list(variants), matchkind=ahocorasick_rs.MatchKind.Standard)
    return Lexicon(name, canonical, category, ignore_case, variants, automaton)


@cache
def _compiled(variants: tuple[str, ...], ignore_case: bool) -> re.Pattern:
    if not variants:
        return re.compile(r"(?!)")
    flags = re.IGNORECASE if ignore_case else 0
    return re.compile(_LEFT + "(?:" + "|".join(re.escape(v) for v in variants) + ")" + _RIGHT, flags)


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
