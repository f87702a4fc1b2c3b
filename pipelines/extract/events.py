"""Events: what happened, when, where, organized by whom, chaired by whom.

The lead of a news article (its title and first sentences) reports the event.
The first lead sentence holding a trigger from ``event_triggers.txt`` gives the
type; the date comes from ``Chiều 26/2``, ``sáng nay 6-2``, ``ngày 7/2/2017``;
the place from ``tại <place>``; the organizer from ``<org> tổ chức``; the chair
from ``<person> chủ trì``. A year is never invented: without one in the text or
the article's metadata, ``year`` stays None.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from pipelines.extract import lexicon
from pipelines.extract.model import Event, Mention, Person, Span
from pipelines.extract.quotes import FILLER, Speaker

DATE = re.compile(
    r"(?:(?P<part>(?:\d{1,2}h(?:\d{2})? )?(?:[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Đđ]êm|[Nn]gày|[Hh]ôm nay|[Hh]ôm qua)"
    r"(?: nay)?(?: (?:[Tt]hứ (?:[Hh]ai|[Bb]a|[Tt]ư|[Nn]ăm|[Ss]áu|[Bb]ảy)|[Cc]hủ nhật))?,? \(?))?"
    r"(?<![\d/.\-])(?P<day>\d{1,2})(?P<sep>[/\-.])(?P<month>\d{1,2})(?:(?P=sep)(?P<year>\d{4}))?(?![\d/]|\.\d)\)?"
)
LEAD_SENTENCES = 4
CHAIR = re.compile(rf" {FILLER}(?:chủ trì|đồng chủ trì)")
ORGANIZE = re.compile(rf" {FILLER}(?:tổ chức|phối hợp tổ chức|chủ trì tổ chức)")
ATTEND = re.compile(r"(?:tham dự|cùng dự|đến dự|có mặt|dự)")


@cache
def _triggers() -> tuple[re.Pattern, dict[str, str]]:
    lex = lexicon.load("event_triggers")
    types = {}
    for variant, canon in lex.canonical.items():
        types[variant] = lex.category.get(canon, "other")
        types[variant[:1].upper() + variant[1:]] = types[variant]
    forms = sorted(types, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w])"), types


def parse_date(text: str, start: int = 0, end: int | None = None):
    """The first valid date in ``text[start:end]``: (match, day, month, year or None)."""
    for m in DATE.finditer(text, start, len(text) if end is None else end):
        day, month = int(m.group("day")), int(m.group("month"))
        if not (1 <= day <= 31 and 1 <= month <= 12):
            continue
        if m.group("sep") == "." and not m.group("part"):
            continue  # "3.2" alone may be a number; "ngày 3.2" is a date
        year = int(m.group("year")) if m.group("year") else None
        return m, day, month, year
    return None


def find_events(text: str, sentences: list[tuple[int, int]], lead_from: int, title: str | None,
                people: dict[str, Person], speakers: list[Speaker], orgs: list[Span], places: list[Span],
                mentions: list[Mention], published: dt.date | None = None) -> list[Event]:
    """The article's main event, if its lead reports one."""
    trigger_re, types = _triggers()
    lead = [(i, s, e) for i, (s, e) in enumerate(sentences) if s >= lead_from][:LEAD_SENTENCES]
    title_sentence = [(i, s, e) for i, (s, e) in enumerate(sentences) if e <= lead_from][:1]
    for idx, s, e in lead + title_sentence:
        trig = trigger_re.search(text, s, e)
        if not trig:
            continue
        date = parse_date(text, s, e) or next((d for _, ls, le in lead[:2] if (d := parse_date(text, ls, le))), None)
        location = next((p.name for p in places if s <= p.start < e and text[max(0, p.start - 4):p.start] == "tại "),
                        None)
        organizer = next((o.name for o in orgs if s <= o.start < e and ORGANIZE.match(text, o.end)), None)
        chair = None
        for sp in speakers:
            if sp.name and lead_from <= sp.start and CHAIR.match(text, sp.end) and sp.start < (lead[-1][2] if lead else e):
                chair = sp.name
                break
        if chair is None:
            chair = next((sp.name for sp in speakers if sp.name and s <= sp.start < trig.start()), None)
        if organizer is None and chair is not None:
            organizer = next((org for _, org in reversed(people[chair].titles) if org), None)
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
        return [Event(types.get(trig.group(), "other"), title or text[s:e][:160], date_text, day, month, year,
                      location, organizer, chair, idx, _unique(participants))]
    return []


def _unique(items: list[tuple]) -> list[tuple]:
    seen, out = set(), []
    for it in items:
        if it[:2] not in seen:
            seen.add(it[:2])
            out.append(it)
    return out
