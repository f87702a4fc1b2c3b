"""Plain records the extractor returns: one ``Document`` per article."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Mention:
    kind: str  # person / organization / location
    name: str  # canonical name within the article
    surface: str
    start: int
    end: int
    sentence_idx: int


@dataclass(frozen=True)
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
        lo, hi = 0, len(self.sentences) - 1
        best = 0
        while lo <= hi:
            mid = (lo + hi) // 2
            if self.sentences[mid][0] <= offset:
                best = mid
                lo = mid + 1
            else:
                hi = mid - 1
        return best
