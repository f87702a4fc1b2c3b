"""Plain records the extractor returns: one ``Document`` per article."""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass, field
from operator import attrgetter


# The records built by the dozen per article (spans, mentions, quotes) are slotted, not frozen:
# a frozen dataclass's ``__init__`` sets each field through ``object.__setattr__`` and costs four
# times as much. Nothing hashes them or relies on their being immutable.
@dataclass(slots=True)
class Span:
    """A typed piece of the body: ``[start, end)`` in code points."""

    kind: str  # person / organization / location / title / rank
    name: str  # canonical form (full person name, canonical org or place)
    start: int
    end: int
    surface: str
    category: str | None = None  # org type, title category, place type


@dataclass
class Person:
    """A person within one article, with the titles the article gives them."""

    name: str
    titles: list[tuple[str, str | None]] = field(default_factory=list)  # (title as written, org name)
    gender: str | None = None  # "m" / "f" when an honorific says so

    def add_title(self, title: str, org: str | None) -> None:
        """Record a title once; a bare ``Bộ trưởng`` gives way to ``Bộ trưởng Bộ Công an``."""
        if any(t == title or t.startswith(title + " ") for t, _ in self.titles):
            return
        self.titles = [(t, o) for t, o in self.titles if not title.startswith(t + " ")]
        self.titles.append((title, org))


@dataclass(slots=True)
class Mention:
    kind: str  # person / organization / location
    name: str  # canonical name within the article
    surface: str
    start: int
    end: int
    sentence_idx: int


@dataclass(slots=True)
class Quote:
    speaker_name: str | None
    speaker_surface: str
    text: str
    kind: str  # direct / indirect
    cue: str | None
    start: int
    end: int
    sentence_idx: int


@dataclass
class Event:
    event_type: str
    title: str | None
    date_text: str | None
    day: int | None
    month: int | None
    year: int | None
    location: str | None
    organizer: str | None
    chair: str | None
    sentence_idx: int
    participants: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, role)


# Sort keys for anything with ``start`` (and ``end``): faster than the equivalent lambdas.
by_start = attrgetter("start")
by_start_end = attrgetter("start", "end")


def _longest_key(span) -> tuple[int, int]:
    return span.start - span.end, span.start  # the longest first, then the earliest


@dataclass
class Document:
    """Everything extracted from one article body."""

    body: str
    sentences: list[tuple[int, int]]
    people: dict[str, Person] = field(default_factory=dict)
    organizations: dict[str, str | None] = field(default_factory=dict)  # name -> org type
    locations: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def sentence_of(self, offset: int) -> int:
        """Index of the sentence holding ``offset`` (the nearest one before it otherwise)."""
        # Compared as tuples, (start, end) <= (offset, inf) exactly when start <= offset: the
        # bisection of the starts, without a Python key call at each step.
        return max(bisect.bisect_right(self.sentences, (offset, math.inf)) - 1, 0)


def longest_first(items: list) -> list:
    """The items (anything with ``start`` and ``end``) that overlap no longer one, nor an
    earlier one of the same length; by start.

    A mask of the characters already kept answers "does it overlap?" with one ``find``,
    where comparing with every kept item made this quadratic. An empty or reversed span
    (none is expected) takes the pairwise comparison, which is the definition.
    """
    by_position = sorted(items, key=by_start)
    if _disjoint(by_position):  # most lists: nothing overlaps, so everything is kept
        return by_position
    ordered = sorted(items, key=_longest_key)
    kept = []
    if ordered and ordered[-1].end <= ordered[-1].start:  # the shortest last: is any empty or reversed?
        for span in ordered:
            if all(span.end <= k.start or span.start >= k.end for k in kept):
                kept.append(span)
        return sorted(kept, key=by_start)
    taken = bytearray(max([s.end for s in ordered], default=0))
    for span in ordered:
        if taken.find(1, span.start, span.end) < 0:
            kept.append(span)
            taken[span.start:span.end] = b"\x01" * (span.end - span.start)
    return sorted(kept, key=by_start)


def _disjoint(by_position: list) -> bool:
    """Do the items (sorted by start) overlap nowhere? Each must be non-empty and start at or
    after the end of the one before it (then the ends increase too, and none of the items
    overlaps any other one)."""
    end = -1
    for item in by_position:
        if item.start < end or item.end <= item.start:
            return False
        end = item.end
    return True
