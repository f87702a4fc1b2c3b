"""Events: what happened, when, where, organized by whom, chaired by whom.

The lead of a news article (its title and first sentences) reports the event.
The first lead sentence holding a trigger from ``event_triggers.txt`` gives the
type; the date comes from ``Chiều 26/2``, ``sáng nay 6-2``, ``ngày 7/2/2017``;
the place from ``tại <place>``; the organizer from ``<org> tổ chức``; the chair
from ``<person> chủ trì``. A year is never invented: without one in the text or
the article's metadata, ``year`` stays None.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from functools import cache
from operator import itemgetter

from pipelines.extract import lexicon
from pipelines.extract.model import Event, Mention, Person, Span
from pipelines.extract.quotes import FILLER, Speaker

# A date opens with a digit (its hour or day) or with the first letter of a part of the day
# ("Sáng", "chiều", "Đêm", "hôm nay"…). The lookahead says so first: ``re`` tries a search at
# every position, and there it rejects most at once instead of entering the optional groups.
DATE = re.compile(
    r"(?=[\dSsCcTtĐđNnHh])"
    r"(?:(?P<part>(?:\d{1,2}h(?:\d{2})? )?(?:[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Đđ]êm|[Nn]gày|[Hh]ôm nay|[Hh]ôm qua)"
    r"(?: nay)?(?: (?:[Tt]hứ (?:[Hh]ai|[Bb]a|[Tt]ư|[Nn]ăm|[Ss]áu|[Bb]ảy)|[Cc]hủ nhật))?,? \(?))?"
    r"(?<![\d/.\-])(?P<day>\d{1,2})(?P<sep>[/\-.])(?P<month>\d{1,2})(?:(?P=sep)(?P<year>\d{4}))?(?![\d/]|\.\d)\)?"
)
# Every date holds its day, a separator and its month: where none does, ``DATE`` need not look.
_DAY_MONTH = re.compile(r"\d[/\-.]\d")
# At most this many characters of a date stand before its day and month: "12h30 hôm nay Chủ nhật, (".
_LONGEST_BEFORE_DAY = 40
LEAD_SENTENCES = 4
_start = itemgetter(0)  # of a (start, end) sentence
# Event types held by a body (its chair's organization is the organizer); a visit or an
# inspection is made by a person, and its organizer stays unknown unless the text names one.
HOSTED = frozenset({"meeting", "conference", "ceremony", "talks", "reception", "signing"})
_DATELINE_PREFIX = re.compile(r"^\([^()]{1,40}\)\s*[-–—]\s*")
CHAIR = re.compile(rf" {FILLER}(?:chủ trì|đồng chủ trì)")
ORGANIZE = re.compile(rf" {FILLER}(?:tổ chức|phối hợp tổ chức|chủ trì tổ chức)")
ATTEND = re.compile(r"(?:tham dự|cùng dự|đến dự|có mặt|dự)")


@cache
def _triggers() -> tuple[lexicon.Phrases, dict[str, str]]:
    """The trigger phrases, also capitalized, as whole words; and each one's event type."""
    lex = lexicon.load("event_triggers")
    types = {}
    for variant, canon in lex.canonical.items():
        types[variant] = lex.category.get(canon, "other")
        types[variant[:1].upper() + variant[1:]] = types[variant]
    return lexicon.Phrases("event_triggers"), types


def parse_date(text: str, start: int = 0, end: int | None = None):
    """The first valid date in ``text[start:end]``: (match, day, month, year or None).

    The dates are the matches of ``DATE.finditer(text, start, end)``, one after the other. Each
    holds a day and month, so the next one starts at most ``_LONGEST_BEFORE_DAY`` characters
    before the next ``_DAY_MONTH``: ``DATE``, which opens with an optional group that ``re``
    tries at every position, is searched from there, and not at all when no day and month follow.
    """
    end = len(text) if end is None else end
    pos = start
    while (day_month := _DAY_MONTH.search(text, pos, end)) is not None:
        m = DATE.search(text, max(pos, day_month.start() - _LONGEST_BEFORE_DAY), end)
        if m is None:
            return None
        pos = m.end()
        day, month = int(m.group("day")), int(m.group("month"))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        if m.group("sep") == "." and not m.group("part"):
            continue  # "3.2" alone may be a number; "ngày 3.2" is a date
        year = int(m.group("year")) if m.group("year") else None
        return m, day, month, year
    return None


def lead_sentences(text: str, sentences: list[tuple[int, int]], lead_from: int) -> list[tuple[int, int, int]]:
    """``(index, start, end)`` of the lead: the first sentences after the title, preceded by
    the paragraph after the last blank line when the scraper moved the lead there (a
    moved lead opens with its date: "Chiều 6-2, …"; any other trailing paragraph comes last).
    ``sentences`` are in order (found by bisection, not by a look at each)."""
    first = bisect.bisect_left(sentences, lead_from, key=_start)
    top = [(i, *sentences[i]) for i in range(first, min(first + LEAD_SENTENCES, len(sentences)))]
    last_blank = text.rfind("\n\n")
    tail = []
    if last_blank > lead_from:
        first = bisect.bisect_right(sentences, last_blank, key=_start)
        tail = [(i, *sentences[i]) for i in range(first, min(first + LEAD_SENTENCES, len(sentences)))]
        tail = [t for t in tail if t not in top]
    if tail and parse_date(text, tail[0][1], min(tail[0][2], tail[0][1] + 40)):
        return tail + top
    return top + tail


def find_events(text: str, sentences: list[tuple[int, int]], lead_from: int, title: str | None,
                people: dict[str, Person], speakers: list[Speaker], orgs: list[Span], places: list[Span],
                mentions: list[Mention], published: dt.date | None = None) -> list[Event]:
    """The article's main event, if its lead reports one."""
    triggers, types = _triggers()
    lead = lead_sentences(text, sentences, lead_from)
    title_sentence = [(0, *sentences[0])] if sentences and sentences[0][1] <= lead_from else []
    spans = sorted({(s, e) for _, s, e in lead + title_sentence})
    if not _any_starts_in(lexicon.occurrences("event_triggers", text), spans):
        return []  # a trigger starts where a trigger phrase occurs: without one, no sentence has any
    named = [sp for sp in speakers if sp.name]
    in_lead_ranges = [(ls, le) for _, ls, le in lead]

    def in_lead(pos: int) -> bool:
        return any(ls <= pos < le for ls, le in in_lead_ranges)

    # The event triggers of the lead and title sentences, looked for once (the lead is gone through
    # twice) and only in those where a trigger phrase occurs (``finditer_spans``): most have none.
    sentence_triggers = {spans[i]: [t for t in found if types.get(t.group()) != "none"]
                         for i, found in triggers.finditer_spans(text, spans).items()}

    def triggers_in(s: int, e: int) -> list:
        return sentence_triggers.get((s, e), [])

    trigger_ranges = [(ls, le) for _, ls, le in lead if triggers_in(ls, le)]

    def in_trigger_lead(pos: int) -> bool:
        return any(ls <= pos < le for ls, le in trigger_ranges)

    for idx, s, e in lead + title_sentence:
        trig = next(iter(triggers_in(s, e)), None)
        if not trig:
            continue
        # The trigger sentence's date, else the lead's first (the trigger sentence is not read again).
        date = parse_date(text, s, e) or next(
            (d for _, ls, le in lead if (ls, le) != (s, e) and (d := parse_date(text, ls, le))), None)
        # "tại <place>" in the trigger sentence, else in another lead sentence that reports it
        # too (a shortened repeat of the lead may drop the place), else the place named right
        # after the trigger ("Hội nghị Malta", "thăm Nhật Bản").
        # (The places after "tại ", picked first: only those few are then looked for in the lead.)
        after_tai = [p for p in places if text[max(0, p.start - 4):p.start] == "tại "]
        location = next((p.name for p in after_tai if s <= p.start < e), None) or next(
            (p.name for p in after_tai if in_trigger_lead(p.start)), None) or next(
            (p.name for p in places if p.start == trig.end() + 1), None)
        organizer = next((o.name for o in orgs if s <= o.start < e and ORGANIZE.match(text, o.end)), None)
        named_in_lead = [sp for sp in named if in_lead(sp.start)]
        chair = next((sp.name for sp in named_in_lead if CHAIR.match(text, sp.end)), None)
        if chair is None:
            # No one "chủ trì": the article's main actor among the people of the lead.
            lead_people = [sp.name for sp in named_in_lead]
            counts = {n: sum(1 for mn in mentions if mn.kind == "person" and mn.name == n) for n in lead_people}
            chair = max(lead_people, key=lambda n: counts[n]) if lead_people else None
        event_type = types.get(trig.group(), "other")
        if organizer is None and chair is not None and event_type in HOSTED:
            organizer = _operative_org(people[chair])  # a meeting is held by its chair's body
        if location is None:
            location = _place_in(organizer) or next(
                (p.name for p in places if s <= p.start < e and p.category in ("province", "city", "country")), None)
        participants = []
        if chair:
            participants.append(("person", chair, "chair"))
        if organizer:
            participants.append(("organization", organizer, "organizer"))
        for mn in mentions:
            if mn.kind == "person" and s <= mn.start < e and mn.name != chair:
                participants.append(("person", mn.name, "attendee"))
        day = month = year = None
        date_text = None
        if date:
            m, day, month, year = date
            date_text = m.group().strip(" ,()")
        headline = title or _DATELINE_PREFIX.sub("", text[s:e])[:160]
        return [Event(event_type, headline, date_text, day, month, year,
                      location, organizer, chair, idx, _unique(participants))]
    return []


def _any_starts_in(occurrences: list[tuple[int, int]], spans: list[tuple[int, int]]) -> bool:
    """Does one of the ``(start, end)`` occurrences start inside one of ``spans`` (sorted, not
    overlapping)?"""
    span_starts = [s for s, _ in spans]
    for start, _ in occurrences:
        i = bisect.bisect_right(span_starts, start) - 1
        if i >= 0 and start < spans[i][1]:
            return True
    return False


def _operative_org(person: Person) -> str | None:
    """The organization of a person's operative title: the last one with an organization
    (``Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an``), in its fullest written form."""
    orgs = [org for _, org in person.titles if org]
    if not orgs:
        return None
    last = orgs[-1]
    return max((o for o in orgs if o == last or o.startswith(last + " ")), key=len)


def _place_in(org: str | None) -> str | None:
    """The place an organization's name holds: ``Hà Nội`` for ``UBND TP Hà Nội``."""
    if not org:
        return None
    for name in ("provinces", "countries"):
        lex = lexicon.load(name)
        found = lex.finditer(org)  # the automaton: the same first match as ``lex.pattern.search``
        if found:
            return lex.canon(found[0].group())
    return None


def _unique(items: list[tuple]) -> list[tuple]:
    seen, out = set(), []
    for it in items:
        if it[:2] not in seen:
            seen.add(it[:2])
            out.append(it)
    return out
