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

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import ahocorasick_rs

# A word boundary for Vietnamese text: no letter, digit or joiner on either side.
_LEFT = r"(?<![\w&.\-])"
_RIGHT = r"(?![\w&\-]|\.\w)"


class Match:
    """A lexicon hit, with the ``re.Match`` methods the extractors use.

    A plain class with slots, not a frozen dataclass: one is built for every hit, and a
    frozen dataclass's ``__init__`` (``object.__setattr__`` per field) costs three times as much.
    """

    __slots__ = ("_start", "_end", "_text")

    def __init__(self, start: int, end: int, text: str):
        self._start = start
        self._end = end
        self._text = text

    def __repr__(self) -> str:
        return f"Match({self._start}, {self._end}, {self._text!r})"

    def __eq__(self, other) -> bool:
        return type(other) is Match and (self._start, self._end, self._text) == (other._start, other._end, other._text)

    def __hash__(self) -> int:
        return hash((self._start, self._end, self._text))

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
        if nxt.isalnum() or nxt in "_&-" or (nxt == "." and end + 1 < len(text) and (
                text[end + 1].isalnum() or text[end + 1] == "_")):
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
        return [Match(s, e, text[s:e]) for s, e in self.spans(text, pos, endpos)]

    def spans(self, text: str, pos: int = 0, endpos: int | None = None) -> list[tuple[int, int]]:
        """``finditer``'s matches as ``(start, end)`` pairs, for callers that need no match object."""
        endpos = len(text) if endpos is None else endpos
        if self.automaton is None or pos >= endpos:
            return []
        n = len(text)
        if (pos, endpos) == (0, n):  # the usual case, without the offset and window-end arithmetic below
            raw = (_article_matches(text)[self.name] if self.name in ARTICLE_LEXICONS
                   and self.variants is load(self.name).variants
                   else [(s, e) for _, s, e in self.automaton.find_matches_as_indexes(text, overlapping=True)])
            # (start, -end): sorted as they are, leftmost first and the longest first among those.
            # ``_boundary_ok``, written out: this runs for every raw match of every lexicon.
            found = []
            for s, e in raw:
                if s > 0 and ((c := text[s - 1]).isalnum() or c in "_&.-"):
                    continue
                if e < n and ((c := text[e]).isalnum() or c in "_&-" or (
                        c == "." and e + 1 < n and (text[e + 1].isalnum() or text[e + 1] == "_"))):
                    continue
                found.append((s, -e))
            found.sort()
        else:
            window = text[pos:endpos]
            found = sorted(
                (s + pos, -(e + pos)) for _, s, e in self.automaton.find_matches_as_indexes(window, overlapping=True)
                if _boundary_ok(text, s + pos, e + pos) and (e + pos < endpos or endpos == n
                                                             or _boundary_ok(text[:endpos], s + pos, e + pos)))
        out, last = [], pos
        for s, neg_end in found:
            if s >= last:
                out.append((s, -neg_end))
                last = -neg_end
        return out


class Phrases:
    """The variants of a lexicon of ``ARTICLE_PHRASES``, each also with a capital first letter
    and each followed by ``suffix``, as whole words: the matches of the regex
    ``(?<!\\w)(?:p1|p2|…)`` followed by ``right`` (a lookahead, by default ``(?!\\w)``),
    alternatives longest first. ``re`` tries such an alternation, which opens with a lookbehind,
    at every position of the text, which is slow for a few hundred phrases; the article's
    Aho-Corasick scan (``_article_matches``) finds them instead, in the pass it makes anyway."""

    def __init__(self, name: str, suffix: str = "", right: str = r"(?!\w)"):
        if name not in ARTICLE_PHRASES:
            raise ValueError(f"{name} is not one of ARTICLE_PHRASES")
        self.name = name
        self.suffix = suffix
        self._right = re.compile(right)
        self._last: tuple[str, list[tuple[int, int]], list[int]] | None = None

    def _occurrences(self, text: str) -> tuple[list[tuple[int, int]], list[int]]:
        """Every occurrence in ``text`` with a word boundary on its left, by start then longest
        first, and their starts. Remembered for the last text: the extractors look for the same
        phrases sentence after sentence of one article."""
        last = self._last
        if last is not None and last[0] is text:
            return last[1], last[2]
        suffix, size = self.suffix, len(self.suffix)
        found = [(s, -neg_end) for s, neg_end in sorted(  # (start, -end): leftmost, then longest first
            (s, -(e + size)) for s, e in _article_matches(text)[self.name]
            if not (s > 0 and (text[s - 1].isalnum() or text[s - 1] == "_"))  # (?<!\w)
            and text.startswith(suffix, e))]
        starts = [s for s, _ in found]
        self._last = (text, found, starts)
        return found, starts

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> list[Match]:
        """Non-overlapping matches in ``text[pos:endpos]``, leftmost, longest first; like
        ``re``, the left boundary looks before ``pos`` and the right one not past ``endpos``."""
        endpos = len(text) if endpos is None else min(endpos, len(text))
        if pos >= endpos:
            return []
        occurrences, starts = self._occurrences(text)
        right = self._right
        found = []
        for k in range(bisect.bisect_left(starts, pos), len(occurrences)):
            s, e = occurrences[k]
            if s >= endpos:
                break
            if e <= endpos and right.match(text, e, endpos):
                found.append((s, e))
        out, last = [], pos
        for s, e in found:
            if s >= last:
                out.append(Match(s, e, text[s:e]))
                last = e
        return out

    def finditer_spans(self, text: str, spans: list[tuple[int, int]]) -> dict[int, list[Match]]:
        """``{i: self.finditer(text, *spans[i])}`` for the spans (sorted, not overlapping, such
        as sentences) in which a phrase starts; the others have no match."""
        occurrences, _ = self._occurrences(text)
        span_starts = [s for s, _ in spans]
        out: dict[int, list[Match]] = {}
        for start, _ in occurrences:
            i = bisect.bisect_right(span_starts, start) - 1
            if i >= 0 and i not in out and start < spans[i][1]:
                out[i] = self.finditer(text, *spans[i])
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


# The lexicons every article is scanned for from end to end. One automaton over all their
# variants finds each one's matches in a single pass over the article (``_article_matches``);
# a pass per lexicon cost four times as much.
ARTICLE_LEXICONS = ("provinces", "countries", "organizations", "org_heads", "ranks", "titles", "speech_verbs",
                    "foreign_org_words")
# The lexicons the same pass finds for ``Phrases``: their variants as written and with a
# capital first letter (an event trigger or a quote frame may open a sentence).
ARTICLE_PHRASES = ("event_triggers", "quote_frames")


def _capitalized_too(name: str) -> tuple[str, ...]:
    variants = load(name).variants
    return tuple(dict.fromkeys(variants + tuple(v[:1].upper() + v[1:] for v in variants)))


@cache
def _article_automaton() -> tuple[ahocorasick_rs.AhoCorasick, list[tuple[str, ...]]]:
    """The automaton over every phrase of the article scan, and the lexicons each phrase belongs
    to (those of ``ARTICLE_PHRASES`` with their capitalized variants too)."""
    sets = {name: load(name).variants for name in ARTICLE_LEXICONS}
    sets |= {name: _capitalized_too(name) for name in ARTICLE_PHRASES}
    owners: dict[str, list[str]] = {}
    for name, phrases in sets.items():
        for phrase in phrases:
            owners.setdefault(phrase, []).append(name)
    phrases = list(owners)
    automaton = ahocorasick_rs.AhoCorasick(phrases, matchkind=ahocorasick_rs.MatchKind.Standard)
    return automaton, [tuple(owners[p]) for p in phrases]


@lru_cache(maxsize=4)
def _article_matches(text: str) -> dict[str, list[tuple[int, int]]]:
    """Every (overlapping) match of each set of the article scan (see ``_article_automaton``) in
    ``text``, before the word-boundary check; remembered for the last few texts, as every
    extractor asks in turn."""
    automaton, owners = _article_automaton()
    out: dict[str, list[tuple[int, int]]] = {name: [] for name in ARTICLE_LEXICONS + ARTICLE_PHRASES}
    for i, s, e in automaton.find_matches_as_indexes(text, overlapping=True):
        for name in owners[i]:
            out[name].append((s, e))
    return out


def occurrences(name: str, text: str) -> list[tuple[int, int]]:
    """Every occurrence ``(start, end)`` of a variant of ``name`` (one of ``ARTICLE_LEXICONS``, or
    of ``ARTICLE_PHRASES`` with their capitalized variants) in ``text``, overlapping and before any
    word-boundary check, from the article scan."""
    return _article_matches(text)[name]


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
