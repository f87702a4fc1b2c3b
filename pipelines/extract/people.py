"""People: names anchored by titles, honorifics or family names, with their titles.

The pass over an article:
1. capitalized runs, minus the organizations, places, titles and stopwords in them,
   leave free runs of words that may be names;
2. a free run is a name when it is a Vietnamese name (family name + 1-3 syllables),
   or when a title or honorific anchors it (``Tổng thống Mỹ Donald Trump``, ``anh Vinh``);
3. titles attach from the left (``Đại tướng Tô Lâm``) and, chained by commas or a
   dash, from the right (``Tô Lâm, Ủy viên Bộ Chính trị, Bộ trưởng Bộ Công an``).
Coreference (``coref.py``) then maps short names, bare titles and pronouns to people.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pipelines.extract import lexicon
from pipelines.extract.names import CAP_RUN, foreign_name, is_vietnamese_syllable, short_forms, vietnamese_name
from pipelines.extract.titles import TitlePhrase
from pipelines.text.chars import UPPER
from pipelines.text.layout import inside

HONORIFICS = ("ông", "bà", "anh", "chị", "cô", "chú", "bác", "cụ", "em", "bạn", "đồng chí", "các đồng chí", "ngài",
              "Ông", "Bà", "Anh", "Chị", "Cô", "Chú", "Bác", "Cụ", "Ngài", "Đồng chí")
HONORIFIC = re.compile(r"(?:^|(?<=[\s(“\"]))(" + "|".join(HONORIFICS) + ") $")
_HONORIFIC_LAST_LETTERS = frozenset(h[-1] for h in HONORIFICS)
_HONORIFIC_TAILS = frozenset(h[-1] + " " for h in HONORIFICS)  # the last letter of one and a space
_HONORIFIC_TAILS_OR_NEWLINE = _HONORIFIC_TAILS | {" \n"}  # what honorific_before looks for first


def honorific_before(text: str, pos: int) -> re.Match | None:
    """The honorific right before ``pos`` (``HONORIFIC`` in the 16 characters before it).

    It ends with a space right before ``pos`` (or before a newline there, as ``$`` allows),
    and the words before that space end with one of ``HONORIFICS``: a position failing either
    test (most do) is answered by a look at the two characters before it, without running
    the regex, which tries every start in the window.
    """
    tail = text[pos - 2:pos] if pos >= 2 else ""  # one slice: a character taken from text costs as much
    if tail in _HONORIFIC_TAILS:
        space = pos - 1
    elif tail == " \n" and pos >= 3 and text[pos - 3] in _HONORIFIC_LAST_LETTERS:
        space = pos - 2
    else:
        return None
    lo = pos - 16 if pos > 16 else 0
    if not text.endswith(HONORIFICS, lo, space):
        return None
    return HONORIFIC.search(text, lo, pos)


HONORIFIC_WORDS = frozenset({"Ông", "Bà", "Anh", "Chị", "Cô", "Chú", "Bác", "Cụ", "Ngài"})
NUMBER_WORDS = frozenset({"Hai", "Ba", "Bốn", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Một"})
# A title right after a name: "Tô Lâm, Bộ trưởng …", "Ivan Konovalov- Giám đốc …", "X (Chủ tịch …)".
RIGHT_TITLE = re.compile(r", | ?[-–] ?| \(")
# A foreign name described as a person: "Dimitri Simes, một chuyên gia về Nga", "X, cựu đại sứ".
DESCRIBED = re.compile(r", (?:một|người|cựu|nguyên|nhà|ông|bà|chuyên gia|học giả|giáo sư|tiến sĩ)(?![\w])")
# Years of the sexagenary cycle look like names: "Tết Đinh Dậu".
LUNAR_YEAR = re.compile(r"(?:Giáp|Ất|Bính|Đinh|Mậu|Kỷ|Canh|Tân|Nhâm|Quý) (?:Tý|Sửu|Dần|Mão|Mẹo|Thìn|Tỵ|Tị|Ngọ|Mùi|Thân|Dậu|Tuất|Hợi)")
_CAP_WORD_BEFORE = re.compile(UPPER + r"\w* $")
_TITLE_GAP = re.compile(r"(?:, | là | )$")  # between a title and the honorific of its holder
GENDER = {"ông": "m", "anh": "m", "chú": "m", "bà": "f", "chị": "f", "cô": "f"}
# Nouns that name a thing after a person: "đường Nguyễn Huệ", "Trường THPT Lê Quý Đôn".
NAMING_NOUN = re.compile(
    r"(?:đường|phố|quận|huyện|xã|phường|tỉnh|trường|cầu|sông|chùa|đền|giải|tàu|tượng|lăng|khu|nhà|sân|số|ấp|thôn|"
    r"làng|hẻm|ngõ|kênh|đảo|núi|hồ|cảng|chợ|bến|lớp|đội|huân chương|thành phố|TP\.?|Trường|Đường|Phố|Quận|Huyện|"
    r"Cầu|Chùa|Đền|Giải|Huân chương|Nhà|Sân|Khu|Bệnh viện|Công ty|Cty|Tập đoàn) $"
)


@cache
def _speech_after() -> re.Pattern:
    """A speech verb right after a name marks its bearer as a speaker, hence a person.
    (The definition; ``_speech_verb_after`` answers it for a whole article at once.)"""
    verbs = sorted(lexicon.load("speech_verbs").canonical, key=len, reverse=True)
    return re.compile(r" (?:" + "|".join(re.escape(v) for v in verbs) + r")(?![\w])")


def _speech_verb_after(text: str) -> frozenset[int]:
    """The positions ``pos`` where ``_speech_after().match(text, pos)`` succeeds: a space, then a
    speech verb ending at a word end. The article's lexicon scan has found the verbs already;
    the regex, a long alternation, is slow to try at every name."""
    n = len(text)
    return frozenset(s - 1 for s, e in lexicon.occurrences("speech_verbs", text)
                     if s > 0 and text[s - 1] == " "
                     and (e == n or not (text[e].isalnum() or text[e] == "_")))  # (?![\w])


@dataclass(slots=True)
class NameHit:
    """A personal name found in the text."""

    start: int
    end: int
    surface: str  # capitalized words separated by single spaces
    anchor: str | None  # "title", "honorific", "after_title" or None (a Vietnamese name on its own)
    gender: str | None = None
    titles: list[TitlePhrase] = field(default_factory=list)

    @property
    def tokens(self) -> list[str]:
        return self.surface.split()


def _free_runs(text: str, blocked: list[tuple[int, int]], lone_starts: set[int], lone_ends: set[int]):
    """Sub-runs of capitalized words not covered by ``blocked`` spans, as
    ``(start, end, words, gender)``: the words are separated by single spaces in ``text[start:end]``.

    A run of one word is left out unless it starts at one of ``lone_starts``, ends at one of
    ``lone_ends`` or has an honorific before it: without such evidence next to it
    ``find_names`` drops it (most capitalized runs are one word, and most of those are
    dropped).

    A run that opens with a capitalized honorific (``Ông Trump nói``) loses it
    and keeps its gender (``"?"`` when unknown); other leading stopwords
    (``Theo``, ``Sáng``) are dropped. An honorific after another word
    (``Hai Bà Trưng``) is part of a name of a place, not an honorific.
    """
    stop = lexicon.words("name_stopwords")
    mask = bytearray(len(text) + 1)  # 1 where a blocked span covers the character
    for s, e in blocked:
        mask[s:e] = b"\x01" * (e - s)
    for run in CAP_RUN.finditer(text):
        run_start, run_end = run.span()
        run_text = run.group()
        if " " not in run_text:  # most runs: one word, a name unless blocked or a stopword
            # (the two characters honorific_before looks at first are looked at here, without a call)
            evidence = (run_start in lone_starts or run_end in lone_ends
                        or text[run_start - 2:run_start] in _HONORIFIC_TAILS_OR_NEWLINE
                        and honorific_before(text, run_start))
            if (evidence and mask.find(1, run_start, run_end) < 0 and run_text not in HONORIFIC_WORDS
                    and run_text not in stop):
                yield run_start, run_end, (run_text,), None
            continue
        if mask.find(1, run_start, run_end) < 0:
            words = run_text.split(" ")  # the words of a run are separated by single spaces
            stretches = ((0, len(words)),)  # often: nothing in the run is blocked
        elif mask.find(0, run_start, run_end) < 0:
            continue  # often too: one organization or place covers the whole run
        else:
            words = run_text.split(" ")
            stretches = _unblocked_stretches(mask, run_start, words)
        for i, j in stretches:
            gender = None
            first = words[i]
            if first in HONORIFIC_WORDS and i == 0:
                gender = GENDER.get(first.lower(), "?")
                i += 1
            elif first in stop:
                i += 1
                if i < j and words[i] in HONORIFIC_WORDS and first not in NUMBER_WORDS:
                    gender = GENDER.get(words[i].lower(), "?")
                    i += 1
            while i < j and words[i] in stop:
                i += 1
            if i < j:
                if i == 0 and j == len(words):
                    yield run_start, run_end, tuple(words), gender
                else:
                    start, end = _word_span(run_start, words, i, j)
                    yield start, end, tuple(words[i:j]), gender


def _word_span(start: int, words: list[str] | tuple[str, ...], i: int, j: int) -> tuple[int, int]:
    """The characters ``(start, end)`` of ``words[i:j]``, for words that are separated by single
    spaces from ``start`` on."""
    if i:
        start += sum(map(len, words[:i])) + i
    return start, start + sum(map(len, words[i:j])) + j - i - 1


def _unblocked_stretches(mask: bytearray, run_start: int, words: list[str]) -> list[tuple[int, int]]:
    """The longest stretches ``[i, j)`` of a run's words that no blocked span touches."""
    out = []
    i = -1  # start of the current stretch, -1 outside one
    pos = run_start
    for k, word in enumerate(words):
        if mask.find(1, pos, pos + len(word)) < 0:
            if i < 0:
                i = k
        elif i >= 0:
            out.append((i, k))
            i = -1
        pos += len(word) + 1
    if i >= 0:
        out.append((i, len(words)))
    return out


@lru_cache(maxsize=65536)
def _vietnamese_windows(words: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    """Word windows that are Vietnamese names, longest first, left to right
    (cached: the same runs of words come back in article after article)."""
    found, i = [], 0
    while i < len(words):
        for size in (4, 3, 2):
            if i + size <= len(words) and vietnamese_name(words[i:i + size]) and not LUNAR_YEAR.fullmatch(
                    " ".join(words[i:i + size])):
                found.append((i, i + size))
                i += size
                break
        else:
            i += 1
    return tuple(found)


@lru_cache(maxsize=65536)
def _name_shape(words: tuple[str, ...]) -> tuple[tuple[tuple[int, int], ...], bool, bool]:
    """What the words of a free run can be, whatever the article says about them: the windows
    that are Vietnamese names (none for one word), whether they are a foreign name, and whether
    they are 1 to 4 Vietnamese syllables (a name without its family name). Cached in one piece:
    the same runs of words come back in article after article."""
    return (_vietnamese_windows(words), foreign_name(words),
            len(words) <= 4 and all(is_vietnamese_syllable(w) for w in words))


@lru_cache(maxsize=65536)
def _is_vietnamese_name(surface: str) -> bool:
    """``vietnamese_name`` of the words of a name (cached: the same names come back in article
    after article)."""
    return vietnamese_name(surface.split())


def _title_may_follow(titles: list[TitlePhrase]) -> set[int]:
    """Where a ``RIGHT_TITLE`` separator (1 to 3 characters) can lead to a title. Most names
    have no title so close after them, and need not try the regex."""
    return {t.start - k for t in titles for k in (1, 2, 3)}


def find_names(text: str, masks: list[tuple[int, int]], blocked: list[tuple[int, int]],
               titles: list[TitlePhrase]) -> list[NameHit]:
    """Name hits, with their titles attached (left chain, then right chain).

    A name needs evidence that it is a person: a title or honorific next to it
    at least once in the article, or, for a foreign name, a later short
    reference (``ông Alfano``) or a speech verb after it. Places and works
    named after people (``ga Trần Hưng Đạo``) rarely have either.
    """
    titles_by_end = {t.end: t for t in titles}
    titles_by_start = {t.start: t for t in titles}
    speech_positions = _speech_verb_after(text)
    title_may_follow = _title_may_follow(titles)
    # Where a lone capitalized word must start or end to have evidence of a person next to it:
    # right after a title (``left_title``), before a speech verb, or where a title may follow.
    lone_starts = {t.end + 1 for t in titles}
    lone_ends = speech_positions | title_may_follow
    candidates: list[NameHit] = []
    for start, end, words, run_gender in _free_runs(text, blocked + [(t.start, t.end) for t in titles],
                                                    lone_starts, lone_ends):
        left_title = titles_by_end.get(start - 1)
        honorific = honorific_before(text, start)
        if honorific and honorific.group(1)[0].isupper() and _CAP_WORD_BEFORE.search(text, max(0, honorific.start() - 20),
                                                                                   honorific.start()):
            honorific = None  # "Hai Bà Trưng": a capitalized honorific inside a name
        anchor = "title" if left_title else "honorific" if (honorific or run_gender) else None
        gender = GENDER.get(honorific.group(1).lower()) if honorific else (run_gender if run_gender != "?" else None)
        if anchor is None and end in title_may_follow:
            right = RIGHT_TITLE.match(text, end)
            if right and right.end() in titles_by_start:
                anchor = "after_title"
        windows, foreign, syllables = _name_shape(words)
        if not windows:
            if anchor is None and len(words) == 1 and end not in speech_positions:
                continue  # a lone capitalized word with nothing to say it is a person
            # A foreign name; or Vietnamese syllables without a family name, which need a title
            # or honorific before them.
            if foreign or (syllables and anchor in ("title", "honorific")):
                windows = ((0, len(words)),)
        for a, b in windows:
            s, e = (start, end) if a == 0 and b == len(words) else _word_span(start, words, a, b)
            if inside(masks, s, e):
                continue
            hit_anchor = anchor if a == 0 else None
            if hit_anchor is None and NAMING_NOUN.search(text, max(0, s - 20), s):
                continue
            candidates.append(NameHit(s, e, text[s:e], hit_anchor, gender if a == 0 else None))
    hits = _with_evidence(text, candidates, speech_positions)
    _attach_titles(text, hits, titles_by_end, titles_by_start, title_may_follow)
    return hits


def _with_evidence(text: str, candidates: list[NameHit], speech_positions: frozenset[int]) -> list[NameHit]:
    # The words of a candidate are capitalized words separated by single spaces: it has two
    # words or more when it has a space (and is its only token when it has none).
    anchored = {h.surface for h in candidates if h.anchor}
    full = {h.surface for h in candidates if " " in h.surface}
    shorts = {form for n in full for form in short_forms(n)}
    anchored_shorts = {h.surface for h in candidates if h.anchor and " " not in h.surface}
    hits = []
    for h in candidates:
        before_speech = h.end in speech_positions  # a speech verb follows the name
        if " " not in h.surface:
            # A lone given name after a title is a short reference to someone named in full;
            # after an honorific ("anh Vinh") it may be a person of its own, and later
            # bare uses of it ("…”, Vinh lo ngại") before a speech verb refer to them.
            ok = h.anchor == "honorific" or (h.anchor and (not is_vietnamese_syllable(h.surface) or h.surface in shorts))
            ok = ok or (h.surface in anchored_shorts | shorts and before_speech)
        elif h.anchor or h.surface in anchored:
            ok = True
        elif not _is_vietnamese_name(h.surface):
            ok = bool(short_forms(h.surface) & anchored_shorts) or before_speech or bool(
                DESCRIBED.match(text, h.end))
        else:
            ok = bool(short_forms(h.surface) & anchored_shorts - {h.surface}) or before_speech
        if ok:
            hits.append(h)
    return hits


def _attach_titles(text: str, hits: list[NameHit], titles_by_end: dict[int, TitlePhrase],
                   titles_by_start: dict[int, TitlePhrase], title_may_follow: set[int]) -> None:
    starts = {h.start for h in hits}
    for hit in hits:
        chain: list[TitlePhrase] = []
        t = titles_by_end.get(hit.start - 1)
        honorific = honorific_before(text, hit.start)
        if t is None and honorific:
            # "Thủ tướng Malta, ông Joseph Muscat", "Tổng thống Nga khi đó là ông Dmitry Medvedev"
            before = _TITLE_GAP.search(text[max(0, honorific.start(1) - 4):honorific.start(1)])
            if before:
                t = titles_by_end.get(honorific.start(1) - len(before.group()))
        while t is not None:
            chain.insert(0, t)
            t = titles_by_end.get(t.start - 2) if text[t.start - 2:t.start] == ", " else titles_by_end.get(t.start - 1)
        pos = hit.end
        while pos in title_may_follow:
            sep = RIGHT_TITLE.match(text, pos)
            if not sep:
                break
            t = titles_by_start.get(sep.end())
            if t is None or t.end + 1 in starts:  # the title belongs to the next name
                break
            chain.append(t)
            pos = t.end + (1 if sep.group() == " (" and text[t.end:t.end + 1] == ")" else 0)
        hit.titles = chain
