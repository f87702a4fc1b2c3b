"""Quotes: who said what.

- Indirect: a speaker, a speech verb from ``speech_verbs.txt``, then the content
  (``Bộ trưởng nhấn mạnh: …``, ``ông Độ cho biết, …``). The fronted form
  ``Khẳng định X, Bộ trưởng nhấn mạnh: Y`` gives two quotes.
- ``Theo <speaker>, <content>`` (frames in ``quote_frames.txt``).
- Direct: words in quotation marks that open a sentence or follow a colon, with
  the speaker before the colon, after the closing mark (``"…" - ông Phong nói``)
  or, failing both, the speaker of the speech just before. Quotation marks in the
  middle of a clause are scare quotes, not quotes.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from pipelines.extract import lexicon
from pipelines.extract.model import Quote, by_start
from pipelines.text.chars import LOWER, UPPER, positions

# Words that may stand between a speaker and the speech verb.
FILLER = (r"(?:(?:cũng|đã|còn|thì|lại|vẫn|đều|từng|sẽ|liên tục|nhiều lần|trân trọng|hết sức|nhất trí|đồng thời|"
          r"tiếp tục|một lần nữa|khi đó|sau đó|hôm qua|hôm nay|nay|cùng|luôn|rất|mới đây|trước đó|tiếp|thêm|"
          r"khẳng định và|nhấn mạnh và|chính thức|công khai|bất ngờ|thẳng thắn|này|ngay|không|chưa|từng|"
          r"trong (?:buổi|cuộc) [^,.;]{1,30}?|tại [^,.;]{1,40}?|khi [^,.;]{1,40}?) )*")
_FILLER_GAP = re.compile(rf"^ ?(?:, )?{FILLER}$")
_AFTER_CUE = re.compile(r"^(?: (?:rằng|là|thêm rằng|thêm)(?![\w]))?\s*[,:]?\s*")
# Content that opens with a preposition is the circumstance of speaking, not speech:
# "phát biểu tại hội nghị", "nói với Thủ tướng".
_NOT_CONTENT = re.compile(r"(?:tại|trong|với|trước|sau|khi|ở|vào|lúc|hôm|bên lề|về việc|như thế|như vậy|tương tự)(?![\w])")
# Directives are speech acts of people; an organization "requiring" or "directing" is an act.
_DIRECTIVES = frozenset({"yêu cầu", "chỉ đạo", "đề nghị", "giao", "đánh giá", "đề xuất", "kêu gọi", "chỉ thị",
                         "thông tin", "chia sẻ", "cáo buộc", "phát biểu", "trả lời"})
_OPEN = "“\"«"
_OPEN_RE = re.compile("[“\"«]")
_CLOSE = {"“": "”", "\"": "\"", "«": "»"}
# An unnamed speaker: "một lãnh đạo Sở cho biết", "Nhiều chuyên gia nhận định". The determiners
# are written out with and without their capital (not as "[Mm]ột"), so that a pattern opening
# with them has a set of first letters ``re`` can skip to (see ``_GENERIC_OPENING``).
_GENERIC_DETERMINER = r"(?:Một|một|Các|các|Nhiều|nhiều|Những|những|Vị|vị|Người|người|Một số|một số)"
_GENERIC_ROLE = (r"(?:lãnh đạo|quan chức|chuyên gia|nguồn tin|người dân|đại diện|cán bộ|nhà nghiên cứu|nhà khoa học|"
                 r"phóng viên|giáo viên|bác sĩ|phụ huynh|người|luật sư|nhân chứng|quan sát viên|nhà phân tích|"
                 r"giới chức|quan chức cấp cao)")
GENERIC_SPEAKER = re.compile(rf"(?<![\w]){_GENERIC_DETERMINER} {_GENERIC_ROLE}(?: [^\s,.;:“”\"]+){{0,7}} $")
# Where a GENERIC_SPEAKER match can start: a determiner and a role. ``re`` tries GENERIC_SPEAKER,
# which opens with a lookbehind, at every position; this one only at the letters a determiner
# opens with.
_GENERIC_OPENING = re.compile(rf"{_GENERIC_DETERMINER} {_GENERIC_ROLE}")
MIN_WORDS = 4
_NOT_SPEECH_AFTER = re.compile(r" (?:chung|riêng)(?![\w])")
_NOT_SPEECH_WORDS = (" chung", " riêng")  # what ``_NOT_SPEECH_AFTER`` opens with: tried before the regex
_AFTER_SPEAKER = re.compile(rf"(?:, [^,.;:!?“”\"]{{1,120}},|,)? ?{FILLER}")
# What may stand between a person and an organization closing their apposition.
_APPOSITION = re.compile(r"(?:(?=[^.;:!?“”\"]*(?:,| -| –))[^.;:!?“”\"]{0,120}?| [^.;:!?“”\",]{0,30}?) ")
_CAP_END = re.compile(UPPER + r"\w* $")  # a gap ending in a capitalized word is inside a name
_WEAK_NEEDS = (" rằng", ":", ",")  # a weak verb ("nêu", "giao") speaks only before these
_SEMICOLON_FILLER = re.compile(rf"; {FILLER}")  # "; <filler>" before another cue: the content ends there
_EMBEDDED_ATTRIBUTION = re.compile(r",? (?:như|theo) lời ")
_SAME_SPEAKER_GOES_ON = re.compile(rf"(?:;|, đồng thời| và) {FILLER}$")
_FRAME_SEPARATOR = re.compile(r", | (?=" + LOWER + ")")  # after "Theo <speaker>": the comma is often left out
_AFTER_CLOSE = re.compile(r"[.,]?\s*[-–]?\s*")


@dataclass(slots=True)  # not frozen: see ``model.Span``
class Speaker:
    """A possible speaker: a resolved person, an organization, or an unnamed one."""

    name: str | None  # person name (None for organizations and unnamed speakers)
    start: int
    end: int  # end of the noun phrase, titles included
    surface: str


@cache
def _cue_pattern(capitalized: bool) -> re.Pattern:
    verbs = lexicon.load("speech_verbs")
    forms = sorted(verbs.canonical, key=len, reverse=True)
    if capitalized:
        forms = [f[:1].upper() + f[1:] for f in forms]
    # "nói chung", "nói riêng" mean "in general", "in particular": no one speaks.
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w]| chung\b| riêng\b)")


@cache
def _generic_then_cue() -> re.Pattern:
    """An unnamed speaker and their speech verb: "một người dân sống gần đó cho hay"."""
    speaker = GENERIC_SPEAKER.pattern.replace("{0,7} $", "{0,7}?")
    return re.compile(speaker + r" (?P<cue>" + _cue_pattern(False).pattern + ")")


def _cues_by_sentence(text: str, sentences: list[tuple[int, int]], starts: list[int]) -> dict[int, list]:
    """Speech verbs of the whole text in one Aho-Corasick pass, grouped by sentence (``starts``
    are the sentences' starts).

    ``nói chung`` / ``nói riêng`` ("in general", "in particular") are not speech.
    """
    out: dict[int, list] = {}
    for m in lexicon.load("speech_verbs").finditer(text):
        if text.startswith(_NOT_SPEECH_WORDS, m.end()) and _NOT_SPEECH_AFTER.match(text, m.end()):
            continue
        idx = bisect.bisect_right(starts, m.start()) - 1
        if idx >= 0 and m.end() <= sentences[idx][1]:
            out.setdefault(idx, []).append(m)
    return out


def _positions_by_sentence(offsets: list[int], sentences: list[tuple[int, int]],
                           starts: list[int]) -> dict[int, list[int]]:
    """The offsets (sorted) inside each sentence, by sentence index (``starts`` are the
    sentences' starts)."""
    out: dict[int, list[int]] = {}
    for pos in offsets:
        idx = bisect.bisect_right(starts, pos) - 1
        if idx >= 0 and pos < sentences[idx][1]:
            out.setdefault(idx, []).append(pos)
    return out


def _opens_attribution(text: str, pos: int, sentence_start: int) -> bool:
    """Can a quote frame at ``pos`` open an attribution? Only at the start of its sentence or
    of a clause: "theo" inside a clause ("theo yêu cầu của") is not one."""
    return pos == sentence_start or text[pos - 2:pos] in (", ", "; ", ": ")


def _frame_sentences(text: str, sentences: list[tuple[int, int]], starts: list[int]) -> set[int]:
    """The sentences in which a quote frame occurs where it can open an attribution. Frames are
    matched in these only: a match starts at an occurrence, and one that cannot open an
    attribution (most of them) gives nothing."""
    out = set()
    for pos, _ in lexicon.occurrences("quote_frames", text):
        idx = bisect.bisect_right(starts, pos) - 1
        if idx >= 0 and pos < sentences[idx][1] and _opens_attribution(text, pos, sentences[idx][0]):
            out.add(idx)
    return out


@cache
def _weak_verbs() -> frozenset[str]:
    verbs = lexicon.load("speech_verbs")
    return frozenset(v for v, canon in verbs.canonical.items() if verbs.category.get(canon) == "weak")


@cache
def _frame_pattern() -> lexicon.Phrases:
    """``Theo``, ``Theo đánh giá của``…, also capitalized, with the space after them."""
    return lexicon.Phrases("quote_frames", suffix=" ", right="")


def _speaker_before(speakers: list[Speaker], text: str, pos: int, floor: int,
                    starts: list[int] | None = None) -> Speaker | None:
    """The speaker whose phrase ends right before ``pos`` (only filler words between).

    ``starts``, the speakers' starts when they are sorted by start, lets the search look only
    at those that start between ``floor`` and ``pos`` (the others cannot qualify)."""
    if starts is not None:
        speakers = speakers[bisect.bisect_left(starts, floor):bisect.bisect_right(starts, pos)]
    best = None
    for sp in speakers:
        if not (floor <= sp.start and sp.end <= pos):
            continue  # outside the clause: no need to look at the gap
        gap = text[sp.end:pos]
        if _FILLER_GAP.match(gap) and not _CAP_END.search(gap):
            if best is None or sp.end > best.end:
                best = sp
    if best is not None and best.name is None:
        # "PGS Nguyễn Hồng Nga - Phó Trưởng khoa, trường Đại học X nhận định": the organization
        # closes the person's apposition; the person speaks.
        person = max((sp for sp in speakers if sp.name and floor <= sp.start and sp.end <= best.start
                      and _APPOSITION.fullmatch(text[sp.end:best.start])), key=lambda sp: sp.end, default=None)
        if person is not None:
            return person
    if best is None or best.name is None:
        # An unnamed speaker whose phrase holds the organization ("một lãnh đạo Sở Y tế cho biết").
        m = _generic_speaker(text, max(floor, pos - 100), pos)
        if m and m.end() == pos and (best is None or m.start() < best.start):
            return Speaker(None, m.start(), m.end() - 1, text[m.start():m.end() - 1])
    return best


def _generic_speaker(text: str, start: int, end: int) -> re.Match | None:
    """``GENERIC_SPEAKER.search(text, start, end)``, tried only where a determiner and a role
    (``_GENERIC_OPENING``) stand, leftmost first: a match can start nowhere else."""
    opening = _GENERIC_OPENING.search(text, start, end)
    while opening:
        m = GENERIC_SPEAKER.match(text, opening.start(), end)
        if m:
            return m
        opening = _GENERIC_OPENING.search(text, opening.start() + 1, end)
    return None


def _starting_at(speakers: list[Speaker], pos: int, starts: list[int] | None) -> list[Speaker]:
    """The speakers that start at ``pos``, in their order; ``starts`` as for ``_speaker_before``."""
    if starts is None:
        return [sp for sp in speakers if sp.start == pos]
    return speakers[bisect.bisect_left(starts, pos):bisect.bisect_right(starts, pos)]


def _masked(sentences: list[tuple[int, int]], starts: list[int], masks: list[tuple[int, int]]) -> set[int]:
    """The sentences that lie wholly inside a mask (a credit line, the dateline), found by
    bisection: the sentences are in order and do not overlap, so those that start inside a
    mask and end in it are the first ones from its start."""
    out = set()
    for mask_start, mask_end in masks:
        i = bisect.bisect_left(starts, mask_start)
        while i < len(sentences) and sentences[i][1] <= mask_end:
            out.add(i)
            i += 1
    return out


def _closing(text: str, open_at: int, limit: int) -> int:
    close = _CLOSE[text[open_at]]
    end = text.find(close, open_at + 1, limit)
    return end


def _content(text: str, start: int, end: int, cues: list) -> tuple[int, int]:
    """Trim the content span: stop at '; <another cue>' (``cues``, the sentence's speech verbs)
    and at an embedded attribution ('như lời')."""
    for cue in cues:
        c = cue.start()
        if start < c < end:
            semi = text.rfind(";", start, c)
            if semi > start and _SEMICOLON_FILLER.fullmatch(text[semi:c]):
                end = semi
    embedded = _EMBEDDED_ATTRIBUTION.search(text[start:end])
    if embedded:
        end = start + embedded.start()
    while end > start and text[end - 1] in " .,;:…-–/":
        end -= 1
    while start < end and text[start] in " ,:":
        start += 1
    return start, end


def _opening_marks(text: str) -> list[int]:
    """Positions of the opening quotation marks (``_OPEN_RE``), sorted."""
    return positions(text, _OPEN)


def _enough_words(text: str) -> bool:
    """Does ``text`` hold at least MIN_WORDS words? ``split`` stops after the first ones (the
    rest is one last piece), so a long text is not cut into all of its words."""
    return len(text.split(None, MIN_WORDS - 1)) >= MIN_WORDS


def find_quotes(text: str, sentences: list[tuple[int, int]], speakers: list[Speaker],
                masks: list[tuple[int, int]]) -> list[Quote]:
    quotes: list[Quote] = []
    cue_re, fronted_re, weak_verbs = _cue_pattern(False), _cue_pattern(True), _weak_verbs()
    sentence_starts = [s for s, _ in sentences]
    cues_by_sentence = _cues_by_sentence(text, sentences, sentence_starts)
    speaker_starts = [sp.start for sp in speakers]
    if speaker_starts != sorted(speaker_starts):
        speaker_starts = None  # ``extract`` sorts them; another caller may not have
    # Found once per article, grouped by sentence (the same as a search in each sentence); the
    # frames themselves are matched only in the sentences where one can open an attribution.
    frames, frame_sentences = _frame_pattern(), _frame_sentences(text, sentences, sentence_starts)
    opening_marks_by_sentence = _positions_by_sentence(_opening_marks(text), sentences, sentence_starts)
    last_speaker: Speaker | None = None
    last_quote_sentence = -10
    # Only sentences holding a cue, an attribution frame or an opening mark can hold a quote;
    # the others are skipped without a look (most sentences of an article).
    candidates = cues_by_sentence.keys() | frame_sentences | opening_marks_by_sentence.keys()
    for idx in sorted(candidates - _masked(sentences, sentence_starts, masks)):
        s, e = sentences[idx]
        taken: list[tuple[int, int]] = []
        cues = cues_by_sentence.get(idx, ())
        for m in cues:
            if m.group() in weak_verbs and not text.startswith(_WEAK_NEEDS, m.end()):
                continue
            sp = _speaker_before(speakers, text, m.start(), s, speaker_starts)
            if sp is None and quotes and quotes[-1].sentence_idx == idx and _SAME_SPEAKER_GOES_ON.search(
                    text[s:m.start()]):
                # "X cảm ơn …; khẳng định, …": the same speaker goes on.
                last = quotes[-1]
                sp = Speaker(last.speaker_name, m.start(), m.start(), last.speaker_surface)
            if sp is None:
                continue
            after = _AFTER_CUE.match(text[m.end():e])
            c_start = m.end() + after.end()
            if (_NOT_CONTENT.match(text, c_start) and ", " not in text[c_start:e]) or (
                    sp.name is None and m.group().lower() in _DIRECTIVES):
                continue  # "phát biểu tại buổi gặp mặt." says where, not what
            kind = "indirect"
            if c_start < e and text[c_start] in _OPEN:
                close = _closing(text, c_start, e + 1 if e < len(text) else e)
                if close > c_start and close >= e - 3:
                    kind, c_start, c_end = "direct", c_start + 1, close
                else:
                    c_start, c_end = _content(text, c_start, e, cues)
            else:
                c_start, c_end = _content(text, c_start, e, cues)
            if not _enough_words(text[c_start:c_end]) or any(a <= m.start() < b for a, b in taken):
                continue
            # Fronted: "Khẳng định X, <speaker> <cue> Y" also says X.
            fronted = fronted_re.match(text, s)
            if fronted and fronted.end() < sp.start:
                f_start, f_end = _content(text, fronted.end(), sp.start, [])
                if _enough_words(text[f_start:f_end]) and not _NOT_CONTENT.match(text, f_start):
                    quotes.append(Quote(sp.name, sp.surface, text[f_start:f_end], "indirect",
                                        fronted.group().lower(), f_start, f_end, idx))
            quotes.append(Quote(sp.name, sp.surface, text[c_start:c_end], kind, m.group(), c_start, c_end, idx))
            taken.append((c_start, c_end))
            if sp.name:  # only a named person goes on speaking in the next sentences
                last_speaker, last_quote_sentence = sp, idx
        # "Theo <speaker>, <content>"
        for fm in frames.finditer(text, s, e) if idx in frame_sentences else ():
            if any(a <= fm.start() < b for a, b in taken) or not _opens_attribution(text, fm.start(), s):
                continue
            at = _starting_at(speakers, fm.end(), speaker_starts)
            sp = max(at, key=lambda x: (x.name is not None, x.end), default=None)  # "Theo Geopolitical Monitor, …"
            if sp is None:
                continue
            sep = _FRAME_SEPARATOR.match(text[sp.end:sp.end + 2])
            if not sep:
                continue
            c_start, c_end = _content(text, sp.end + len(sep.group()), e, cues)
            if _enough_words(text[c_start:c_end]):
                quotes.append(Quote(sp.name, sp.surface, text[c_start:c_end], "indirect",
                                    fm.group().strip().lower(), c_start, c_end, idx))
                taken.append((c_start, c_end))
                if sp.name:
                    last_speaker, last_quote_sentence = sp, idx
        # Direct quotes that open the sentence or follow a colon.
        for q_open in opening_marks_by_sentence.get(idx, ()):
            if any(a - 1 <= q_open < b + 1 for a, b in taken):
                continue
            lead = text[s:q_open]
            if lead.strip(" -–") and not lead.rstrip().endswith(":"):
                continue  # in the middle of a clause: a scare quote or a term
            close = _closing(text, q_open, min(len(text), e + 1))
            if close < 0:
                continue
            inner_start, inner_end = q_open + 1, close
            if not _enough_words(text[inner_start:inner_end]):
                continue
            sp = None
            cue = None
            tail = text[close + 1:min(len(text), close + 160)]
            after = _AFTER_CLOSE.match(tail)
            pos = close + 1 + after.end()
            # "“…”, Lục Khảng, phát ngôn viên Bộ Ngoại giao Trung Quốc, nói." — the speaker may
            # carry an apposition between commas before the verb.
            for cand in sorted(_starting_at(speakers, pos, speaker_starts), key=lambda c: -c.end):
                cm = _AFTER_SPEAKER.match(text, cand.end)
                cm2 = cue_re.match(text, cm.end()) if cm else None
                if cm2:
                    sp, cue = cand, cm2.group()
                    break
            if sp is None:  # "“…”, một người dân sống gần đó cho hay."
                generic = _generic_then_cue().match(text, pos)
                if generic:
                    sp = Speaker(None, pos, generic.start("cue") - 1, text[pos:generic.start("cue") - 1])
                    cue = generic.group("cue")
            if sp is None and lead.rstrip().endswith(":"):
                named = [x for x in speakers if s <= x.start < q_open and x.name]
                sp = _speaker_before(speakers, text, s + len(lead.rstrip()) - 1, s, speaker_starts) or (named[-1] if named else None)
            if sp is None and last_speaker is not None and idx - last_quote_sentence <= 2:
                sp = last_speaker
            quotes.append(Quote(sp.name if sp else None, sp.surface if sp else "", text[inner_start:inner_end],
                                "direct", cue, inner_start, inner_end, idx))
            taken.append((inner_start, inner_end))
            if sp is not None and sp.name:
                last_speaker, last_quote_sentence = sp, idx
    return sorted(quotes, key=by_start)
