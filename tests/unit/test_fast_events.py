"""The faster forms of the event finder's searches give exactly what the plain forms they replace give."""

from __future__ import annotations

import random
import re

import pytest

from pipelines.extract import lexicon
from pipelines.extract.events import DATE, _any_starts_in, _triggers, lead_sentences, parse_date
from pipelines.text.sentences import split_sentences

# DATE without its opening lookahead.
PLAIN_DATE = re.compile(
    r"(?:(?P<part>(?:\d{1,2}h(?:\d{2})? )?(?:[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Đđ]êm|[Nn]gày|[Hh]ôm nay|[Hh]ôm qua)"
    r"(?: nay)?(?: (?:[Tt]hứ (?:[Hh]ai|[Bb]a|[Tt]ư|[Nn]ăm|[Ss]áu|[Bb]ảy)|[Cc]hủ nhật))?,? \(?))?"
    r"(?<![\d/.\-])(?P<day>\d{1,2})(?P<sep>[/\-.])(?P<month>\d{1,2})(?:(?P=sep)(?P<year>\d{4}))?(?![\d/]|\.\d)\)?"
)
DATES = ["12h30 hôm nay Chủ nhật, (26/2)", "20h Chiều nay Thứ Hai 6-2-2017", "Hôm qua, 3.2 và 40/13, ngày 5.12",
         "số 12/34/5678 rồi Sáng thứ bảy (7/2)", "1.2.3 ngày 31-12-2016", "x 99/99 Tối 1/1", "đêm 3/4, trưa 5-6",
         "khoảng 211.834 lượt, gần 2.000 ca và 30.000 tỷ đồng trong năm qua, nhiều người khác nữa; sáng 5/2",
         "(1992-2017). Tháng 12.2015 và tháng 1/2017, ngày 4.0 " + "x" * 60 + " chiều 8/3", "3.2 " * 20 + "9/9"]


@pytest.fixture(scope="module")
def texts(seed_bodies) -> list[str]:
    return [*seed_bodies, *DATES, " ".join(DATES)]


def test_date_is_the_plain_pattern(texts):
    rng = random.Random(3)
    noise = ["".join(rng.choice("0123456789/-.() hSsngàyĐêm,TtứBaCChủnhật") for _ in range(rng.randint(0, 40)))
             for _ in range(3000)]
    for text in texts + noise:
        for pos in range(0, len(text), 7):
            fast = [(m.span(), m.groupdict()) for m in DATE.finditer(text, pos)]
            assert fast == [(m.span(), m.groupdict()) for m in PLAIN_DATE.finditer(text, pos)], text


def test_parse_date_is_the_first_valid_match_of_the_plain_pattern(texts):
    def plain(text, start, end):
        for m in PLAIN_DATE.finditer(text, start, end):
            day, month = int(m.group("day")), int(m.group("month"))
            if 1 <= day <= 31 and 1 <= month <= 12 and not (m.group("sep") == "." and not m.group("part")):
                return m.span(), day, month, int(m.group("year")) if m.group("year") else None
        return None

    for text in texts:
        for s, e in split_sentences(text) + [(k, len(text)) for k in range(0, len(text), 3)]:
            found = parse_date(text, s, e)
            assert (found and (found[0].span(), *found[1:])) == plain(text, s, e), (text[s:e], s, e)


def test_lead_triggers_are_those_of_each_sentence(texts):
    triggers, _ = _triggers()
    for text in texts:
        sentences = split_sentences(text)
        for lead_from in (0, text.find("\n") + 1):
            lead = lead_sentences(text, sentences, lead_from)
            spans = sorted({(s, e) for _, s, e in lead})
            by_span = triggers.finditer_spans(text, spans)
            for i, (s, e) in enumerate(spans):
                assert by_span.get(i, []) == triggers.finditer(text, s, e)


def test_no_trigger_where_no_trigger_phrase_occurs(texts):
    """``find_events`` stops early when no trigger phrase occurs in the lead: no trigger is lost."""
    triggers, _ = _triggers()
    rng = random.Random(8)
    for text in texts:
        sentences = split_sentences(text)
        occurrences = lexicon.occurrences("event_triggers", text)
        for _ in range(30):
            spans = sorted(rng.sample(sentences, min(len(sentences), rng.randint(0, 6))))
            plain = any(s <= start < e for start, _ in occurrences for s, e in spans)
            assert _any_starts_in(occurrences, spans) == plain
            if not plain:
                assert not any(triggers.finditer(text, s, e) for s, e in spans)
