"""The faster forms of the extractors' scans give exactly what the plain forms they replace give.

Each test keeps the original, straightforward definition (a regex tried at every position, a
pairwise comparison) and checks the fast one against it on the seed articles, on windows of
them, and on edge cases.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pipelines.extract import lexicon
from pipelines.extract.coref import PRONOUN
from pipelines.extract.events import DATE, LEAD_SENTENCES, _triggers, lead_sentences, parse_date
from pipelines.extract.gazetteer import _FOREIGN_RUN, foreign_runs
from pipelines.extract.model import Document, Span, longest_first
from pipelines.extract.names import CAP_RUN, CAP_WORD, foreign_name, has_vietnamese_marks, is_vietnamese_syllable
from pipelines.extract.people import HONORIFIC, honorific_before
from pipelines.extract.quotes import _frame_pattern
from pipelines.text.chars import LOWER
from pipelines.text.clean import clean_text
from pipelines.text.layout import _CREDIT_TAIL
from pipelines.text.sentences import ABBREVIATIONS, _is_abbreviation, split_sentences

EDGE_CASES = [
    "Hà Nội._x Hà Nội.x Hà Nội. xHà Nội Hà Nội- _Việt Nam .Việt Nam Việt Nam_",
    "Theo ông Phong, Theo Bộ trưởng … theo lời Thủ tướng. Hội nghị hội nghị Hội đàm",
    "Ảnh: Phạm Kiên\nxẢnh: không\n.Nguồn: TTXVN\nVideo:clip\nĐồ họa: A. Đồ hoạ : B",
    "Ông Trump nói. ông bà, bà con, Ông ấy, bà Lan cho biết; ôngx bà",
    "Geopolitical Monitor, Sea Watch và John Smith; x-Donald Trump; O'Neill Jong-un",
    "TP.HCM, GD&ĐT, Nguyễn Phú Trọng, Hai Bà Trưng, L. Bằng, J. Smith.",
    "",
]


@pytest.fixture(scope="module")
def texts(seed_bodies) -> list[str]:
    return [*seed_bodies, *EDGE_CASES]


def windows(text: str) -> list[tuple[int, int]]:
    """The whole text, each sentence, and a few cuts in the middle of words."""
    out = [(0, len(text))] + split_sentences(text)
    rng = random.Random(len(text))
    for _ in range(20):
        a, b = sorted(rng.randrange(len(text) + 1) for _ in range(2))
        out.append((a, b))
    return out


def spans(matches) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in matches]


def test_phrases_are_the_whole_word_alternation(texts):
    _, types = _triggers()
    forms = sorted(types, key=len, reverse=True)
    trigger_re = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w])")
    frames = sorted(lexicon.words("quote_frames"), key=len, reverse=True)
    frame_forms = [f[:1].upper() + f[1:] for f in frames] + list(frames)
    frame_re = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(f) for f in frame_forms) + r") ")
    for text in texts:
        for regex, phrases in ((trigger_re, _triggers()[0]), (frame_re, _frame_pattern())):
            for s, e in windows(text):
                assert spans(phrases.finditer(text, s, e)) == spans(regex.finditer(text, s, e)), text[s:e]
            sentences = split_sentences(text)
            by_sentence = phrases.finditer_spans(text, sentences)
            for i, (s, e) in enumerate(sentences):
                assert spans(by_sentence.get(i, [])) == spans(phrases.finditer(text, s, e))


def test_lexicon_scan_is_its_regex(texts):
    for name in lexicon.ARTICLE_LEXICONS:
        lex = lexicon.load(name)
        for text in texts:
            for s, e in windows(text):
                assert spans(lex.finditer(text, s, e)) == spans(lex.pattern.finditer(text, s, e)), (name, text[s:e])


def test_abbreviation_is_the_word_before_the_period(texts):
    word_before = re.compile(r"([\w.]+)\.$")

    def plain(line: str, dot: int) -> bool:
        m = word_before.search(line[: dot + 1])
        return bool(m) and (m.group(1).lower() in ABBREVIATIONS or (len(m.group(1)) == 1 and m.group(1).isupper()))

    rng = random.Random(7)
    lines = [line for text in texts for line in text.split("\n")]
    lines += ["".join(rng.choice("aB.Tp_ ,ồ2-TS") for _ in range(rng.randint(1, 9))) + "." for _ in range(3000)]
    for line in lines:
        for dot, ch in enumerate(line):
            if ch == ".":
                assert _is_abbreviation(line, dot) == plain(line, dot), (line, dot)


@pytest.mark.parametrize("fast, plain", [
    (CAP_RUN, re.compile(rf"(?<![\w&\-]){CAP_WORD}(?: {CAP_WORD})*")),
    (_FOREIGN_RUN, re.compile(r"(?<![\w&\-])[A-Z][a-z]+(?: [A-Z][a-zA-Z]+){1,3}(?![\w])")),
    (PRONOUN, re.compile(r"(?<![\w])(ông|bà|Ông|Bà)(?= (?!con\b|ấy\b|ta\b|bà\b|ông\b|cháu\b|chủ\b|nội\b|ngoại\b)"
                         + LOWER + ")")),
    (_CREDIT_TAIL, re.compile(r"(?:^|(?<=[.\s]))(?:Ảnh|Nguồn|Video|Đồ họa|Đồ hoạ)\s*:\s*[^\n]*$", re.MULTILINE)),
])
def test_patterns_opening_with_a_letter_match_the_same(texts, fast, plain):
    for text in texts:
        for s, e in windows(text):
            assert [(m.span(), m.groups()) for m in fast.finditer(text, s, e)] == [
                (m.span(), m.groups()) for m in plain.finditer(text, s, e)], text[s:e]


def test_honorific_before_is_the_search(texts):
    for text in texts:
        for pos in range(len(text) + 1):
            fast, plain = honorific_before(text, pos), HONORIFIC.search(text, max(0, pos - 16), pos)
            assert (fast and fast.span(1)) == (plain and plain.span(1)), (text[max(0, pos - 16):pos], pos)


def test_parse_date_is_the_first_valid_date_match(texts):
    def plain(text, start, end):
        for m in DATE.finditer(text, start, end):
            day, month = int(m.group("day")), int(m.group("month"))
            if 1 <= day <= 31 and 1 <= month <= 12 and not (m.group("sep") == "." and not m.group("part")):
                return m.span(), day, month, int(m.group("year")) if m.group("year") else None
        return None

    dates = ["12h30 hôm nay Chủ nhật, (26/2)", "20h Chiều nay Thứ Hai 6-2-2017", "Hôm qua, 3.2 và 40/13, ngày 5.12",
             "số 12/34/5678 rồi Sáng thứ bảy (7/2)", "1.2.3 ngày 31-12-2016", "x 99/99 Tối 1/1"]
    for text in texts + dates + [" ".join(dates)]:
        for s, e in windows(text) + [(k, len(text)) for k in range(len(text))][:200]:
            found = parse_date(text, s, e)
            assert (found and (found[0].span(), *found[1:])) == plain(text, s, e), (text[s:e], s, e)


def test_lead_sentences_are_the_plain_selection(texts):
    def plain(text, sentences, lead_from):
        top = [(i, s, e) for i, (s, e) in enumerate(sentences) if s >= lead_from][:LEAD_SENTENCES]
        last_blank = text.rfind("\n\n")
        tail = [(i, s, e) for i, (s, e) in enumerate(sentences) if last_blank > lead_from and s > last_blank]
        tail = [t for t in tail[:LEAD_SENTENCES] if t not in top]
        if tail and parse_date(text, tail[0][1], min(tail[0][2], tail[0][1] + 40)):
            return tail + top
        return top + tail

    for text in texts + ["Tiêu đề\n\nChiều 6-2, một. Hai. Ba.\n\nSáng 7-2, bốn. Năm."]:
        sentences = split_sentences(text)
        for lead_from in sorted({0, 1, len(text) // 2, len(text), *(s for s, _ in sentences[:8])}):
            assert lead_sentences(text, sentences, lead_from) == plain(text, sentences, lead_from)


def test_foreign_name_per_word_is_the_definition(texts):
    def plain(tokens):
        if not 1 <= len(tokens) <= 3:
            return False
        if any(not t[:1].isupper() or any(c.isdigit() for c in t) or t.isupper() and len(t) > 1 for t in tokens):
            return False
        if any(t in lexicon.words("foreign_org_words") for t in tokens):
            return False
        return any(not is_vietnamese_syllable(t.replace("-", "")) and not has_vietnamese_marks(t) for t in tokens)

    words = sorted({w.strip(",.;:") for text in texts for w in text.split()} - {""})
    rng = random.Random(3)
    for _ in range(3000):
        tokens = [rng.choice(words) for _ in range(rng.randint(0, 4))]
        assert foreign_name(tokens) == plain(tokens), tokens


def test_longest_first_is_the_pairwise_definition():
    def plain(items):
        kept = []
        for span in sorted(items, key=lambda s: (-(s.end - s.start), s.start)):
            if all(span.end <= k.start or span.start >= k.end for k in kept):
                kept.append(span)
        return sorted(kept, key=lambda s: s.start)

    rng = random.Random(11)
    for _ in range(2000):
        items = []
        for _ in range(rng.randint(0, 12)):
            start = rng.randrange(60)
            items.append(Span("organization", "x", start, start + rng.randint(0 if rng.random() < 0.1 else 1, 15), "x"))
        assert longest_first(items) == plain(items)


def test_sentence_of_is_the_last_sentence_starting_before():
    doc = Document(body="", sentences=[(0, 5), (6, 10), (12, 20)])
    for offset in range(-2, 25):
        expected = max([i for i, (s, _) in enumerate(doc.sentences) if s <= offset], default=0)
        assert doc.sentence_of(offset) == expected
    assert Document(body="", sentences=[]).sentence_of(3) == 0


def test_split_sentences_returns_a_fresh_list():
    body = "Câu một. Câu hai.\nDòng khác."
    first = split_sentences(body)
    first.append((99, 100))
    assert split_sentences(body) == [(0, 8), (9, 17), (18, 28)]


@pytest.mark.parametrize("only", [None, {"good_sidecar.txt"}, {"good_sidecar.json", "good_utf8.txt", "bad_empty.txt"},
                                  {"zz_duplicate.txt", "good_feed.jsonl"}])
def test_reading_with_the_listing_is_reading_the_directory(only):
    """read_inbox given list_inputs' listing reads what it reads listing the directory itself
    (sidecars with their text files, rejections and duplicates alike)."""
    from pipelines.text.ingest import list_inputs, read_inbox

    inbox = Path(__file__).resolve().parents[1] / "fixtures" / "inputs"
    plain = read_inbox(inbox, only=only)
    fast = read_inbox(inbox, only=only, listing=list_inputs(inbox))
    assert all(a.equals(b) for a, b in zip(plain, fast)) and plain[0].height + plain[1].height > 0


def test_speech_verb_positions_are_the_speech_regex(texts):
    from pipelines.extract.people import _speech_after, _speech_verb_after

    for text in texts:
        after = _speech_verb_after(text)
        for pos in range(len(text) + 1):
            fast = pos in after
            assert fast == bool(_speech_after().match(text, pos)), (text[pos:pos + 20], pos)


def test_opening_marks_are_the_regex(texts):
    from pipelines.extract.quotes import _OPEN_RE, _opening_marks

    for text in texts + ["«x» “y” \"z\"", "\"\"“«"]:
        assert _opening_marks(text) == [m.start() for m in _OPEN_RE.finditer(text)]


def test_words_from_is_the_token_stream(texts):
    from pipelines.extract.gazetteer import _TOKEN, _words_from

    def plain(text, pos, limit=16):  # one _TOKEN match per word, while single spaces separate them
        out, i = [], pos
        for _ in range(limit):
            if i >= len(text) or not (m := _TOKEN.match(text, i)):
                break
            out.append(m)
            if m.end() >= len(text) or text[m.end()] != " ":
                break
            i = m.end() + 1
        return [m.group() for m in out]

    for text in texts + ["a  b", "x. y", "A.B C.D.", "a " * 20, "“x” y", "a b "]:
        for pos in range(len(text) + 2):
            assert _words_from(text, pos) == plain(text, pos), (text[pos:pos + 40], pos)


def test_split_line_gives_no_blank_span(texts):
    """``split_line`` drops blank spans by looking at whole lines only: no other can be blank."""
    from pipelines.text.sentences import split_line

    rng = random.Random(5)
    lines = [line for text in texts for line in text.split("\n")]
    lines += ["".join(rng.choice(" .!?…“”\"aB1-(/") for _ in range(rng.randint(0, 12))) for _ in range(5000)]
    for line in lines:
        spans = split_line(line)
        assert all(line[s:e].strip() for s, e in spans), line
        assert spans or not line.strip(), line


def test_clean_text_removes_invisible_characters_and_odd_spaces(texts):
    from pipelines.text.clean import _INVISIBLE, _SPACES

    rng = random.Random(9)
    odd = "\u200b\u00ad\ufeff\u202c\t\u00a0\u2003\u3000\x0b"
    for text in texts:
        chars = list(text)
        for _ in range(5):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(odd))
        noisy = "".join(chars)
        cleaned = clean_text(noisy)
        assert not _INVISIBLE.search(cleaned) and not _SPACES.search(cleaned)
        assert clean_text(text) == clean_text(_INVISIBLE.sub("", text))


def test_pronouns_are_the_pronoun_scan(texts):
    from pipelines.extract.coref import _pronouns

    rng = random.Random(17)
    extra = ["".join(rng.choice(["ông", "Ông", "bà", "Bà", " ", "x", "_", "con", " ấy", "ô", "b", "\n", "ông bà"])
                     for _ in range(rng.randint(0, 10))) for _ in range(3000)]
    for text in list(texts) + extra:
        assert [(m.span(), m.groups()) for m in _pronouns(text)] == [
            (m.span(), m.groups()) for m in PRONOUN.finditer(text)], text


def test_clean_text_is_the_plain_cleaning(texts):
    """The fast paths of ``clean_text`` (no class search in a printable text, no second NFC
    without an invisible character removed) give the text the plain cleaning gives."""
    import unicodedata

    from pipelines.text.clean import (_END_MARK, _INVISIBLE, _INVISIBLE_OR_SPACE, _MULTISPACE, _SPACES, _TERMINAL,
                                      _has_odd_characters)

    continuation = re.compile(r"^[,.;:!?)\]”’…]|^" + LOWER)  # what _CONTINUATION_FIRST tells

    def plain(raw):
        text = unicodedata.normalize("NFC", raw)
        text = _INVISIBLE.sub("", text)
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
        text = _END_MARK.sub("./.\n", _SPACES.sub(" ", text))
        lines, joined_prev = [], False
        for raw_line in text.split("\n"):
            line = _MULTISPACE.sub(" ", raw_line).strip()
            if not line:
                if lines and lines[-1] != "":
                    lines.append("")
                joined_prev = False
                continue
            if lines and lines[-1] and (joined_prev or (continuation.match(line) and not lines[-1].endswith(_TERMINAL))):
                lines[-1] = lines[-1] + ("" if line[0] in ",.;:!?)]”’…" else " ") + line
            else:
                lines.append(line)
            joined_prev = raw_line.endswith(" ") and not line.endswith(_TERMINAL)
        while lines and lines[-1] == "":
            lines.pop()
        return unicodedata.normalize("NFC", "\n".join(lines))

    odd = [chr(c) for c in range(0x110000) if _INVISIBLE_OR_SPACE.match(chr(c))]
    assert not any(c.isprintable() for c in odd)
    rng = random.Random(11)
    pieces = ["\u0301", "\u0323", "\u0309", "a", "e", "ê", "ư", "ß", "α", "…", "’", ")", "\u1100", "\u1161", " ", "  ", "\n", "\r", "\r\n",
              "\u2028", ".", ",", "./.", "x", "Ư", "\x1c", "\x85", "\u200b", "\u00a0", "\t", "”"]
    samples = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 30))) for _ in range(5000)]
    for text in texts + samples:
        assert _has_odd_characters(text) == (_INVISIBLE_OR_SPACE.search(text) is not None)
        assert clean_text(text) == plain(text), repr(text)


def test_prechecks_before_a_regex_only_skip_where_it_fails(texts):
    """A cheap test before a regex says no only where the regex fails."""
    from pipelines.extract.people import RIGHT_TITLE
    from pipelines.extract.quotes import _NOT_SPEECH_AFTER, _NOT_SPEECH_WORDS
    from pipelines.text.layout import _BYLINE, _credit_tails

    rng = random.Random(23)
    extra = [", - – ( ,- -  – ,x -x", " chung riêng chungx riêng_ chung", "Phạm Huy Anh, N.M", "A B. C -, D"]
    extra += ["".join(rng.choice(["Ảnh", "Nguồn", "Video", "Đồ họa", "Đồ hoạ", ":", " : ", " ", ".", "x", "\n",
                                  "Ảnh: A", ",", "N", "Đ"]) for _ in range(rng.randint(0, 14))) for _ in range(3000)]
    for text in list(texts) + extra:
        assert [m.span() for m in _credit_tails(text)] == [m.span() for m in _CREDIT_TAIL.finditer(text)], text
        for pos in range(len(text) + 1):
            right = RIGHT_TITLE.match(text, pos)
            assert right is None or 1 <= right.end() - pos <= 3  # what _title_may_follow looks at
            assert not _NOT_SPEECH_AFTER.match(text, pos) or text.startswith(_NOT_SPEECH_WORDS, pos)
        for line in text.split("\n"):
            assert "," not in line or not _BYLINE.match(line)



def test_foreign_runs_are_the_runs_that_may_end_in_an_org_word(texts):
    org_words = lexicon.words("foreign_org_words")
    extra = ["Sea Watch và Human Rights Watch.\nGeopolitical Monitor\nJohn Smith Monitor Group Watch",
             "Watch\nSea Watch", "Theo Amnesty International, Sea\nWatch"]
    for text in texts + extra:
        plain = [m.span() for m in _FOREIGN_RUN.finditer(text) if m.group().split()[-1] in org_words]
        assert [m.span() for m in foreign_runs(text) if m.group().split()[-1] in org_words] == plain, text
