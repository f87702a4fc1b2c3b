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

from pipelines.extract import lexicon
from pipelines.extract.names import CAP_RUN, foreign_name, is_vietnamese_syllable, vietnamese_name
from pipelines.extract.titles import TitlePhrase
from pipelines.text.layout import inside

HONORIFIC = re.compile(
    r"(?:^|(?<=[\s(“\"]))(ông|bà|anh|chị|cô|chú|bác|cụ|em|đồng chí|các đồng chí|ngài|Ông|Bà|Anh|Chị|Cô|Chú|Bác|Cụ|Ngài|Đồng chí) $"
)
GENDER = {"ông": "m", "anh": "m", "chú": "m", "bà": "f", "chị": "f", "cô": "f"}
# Nouns that name a thing after a person: "đường Nguyễn Huệ", "Trường THPT Lê Quý Đôn".
NAMING_NOUN = re.compile(
    r"(?:đường|phố|quận|huyện|xã|phường|tỉnh|trường|cầu|sông|chùa|đền|giải|tàu|tượng|lăng|khu|nhà|sân|số|ấp|thôn|"
    r"làng|hẻm|ngõ|kênh|đảo|núi|hồ|cảng|chợ|bến|lớp|đội|huân chương|thành phố|TP\.?|Trường|Đường|Phố|Quận|Huyện|"
    r"Cầu|Chùa|Đền|Giải|Huân chương|Nhà|Sân|Khu|Bệnh viện|Công ty|Cty|Tập đoàn) $"
)


@dataclass
class NameHit:
    """A personal name found in the text."""

    start: int
    end: int
    surface: str
    anchor: str | None  # "title", "honorific", "after_title" or None (a Vietnamese name on its own)
    gender: str | None = None
    titles: list[TitlePhrase] = field(default_factory=list)

    @property
    def tokens(self) -> list[str]:
        return self.surface.split()


def _free_runs(text: str, blocked: list[tuple[int, int]]):
    """Sub-runs of capitalized words not covered by ``blocked`` spans: ``[(start, end, honorific_gender)]``."""
    stop = lexicon.words("name_stopwords")
    for run in CAP_RUN.finditer(text):
        tokens = [(m.start() + run.start(), m.end() + run.start()) for m in re.finditer(r"\S+", run.group())]
        group: list[tuple[int, int]] = []
        for s, e in tokens + [(-1, -1)]:
            free = s >= 0 and not inside(blocked, s, e)
            if free:
                group.append((s, e))
                continue
            # Close the group: strip leading stopwords ("Theo", "Ông") from it.
            gender = None
            while group and text[group[0][0]:group[0][1]] in stop:
                word = text[group[0][0]:group[0][1]].lower()
                gender = GENDER.get(word, gender) if word in GENDER or word in ("ngài", "cụ", "bác") else None
                group = group[1:]
                if gender is not None or word in ("ngài", "cụ", "bác"):
                    gender = gender or "?"
            if group:
                yield group[0][0], group[-1][1], gender
            group = []


def _title_ending_at(titles_by_end: dict[int, TitlePhrase], pos: int) -> TitlePhrase | None:
    return titles_by_end.get(pos - 1)


def find_names(text: str, masks: list[tuple[int, int]], blocked: list[tuple[int, int]],
               titles: list[TitlePhrase]) -> list[NameHit]:
    """Name hits, with their titles attached (left chain, then right chain)."""
    titles_by_end = {t.end: t for t in titles}
    titles_by_start = {t.start: t for t in titles}
    hits: list[NameHit] = []
    for start, end, run_gender in _free_runs(text, blocked + [(t.start, t.end) for t in titles]):
        words = text[start:end].split()
        offsets = [m.start() + start for m in re.finditer(r"\S+", text[start:end])]
        left_title = _title_ending_at(titles_by_end, start)
        honorific = HONORIFIC.search(text, max(0, start - 16), start)
        anchor = "title" if left_title else "honorific" if (honorific or run_gender) else None
        gender = GENDER.get(honorific.group(1).lower()) if honorific else (run_gender if run_gender != "?" else None)
        right = re.match(r"(, | - | – | \()", text[end:end + 3])
        if anchor is None and right and (end + len(right.group())) in titles_by_start:
            anchor = "after_title"
        found: list[tuple[int, int]] = []  # (first word, last word + 1)
        i = 0
        while i < len(words):
            for size in (4, 3, 2):
                if i + size <= len(words) and vietnamese_name(words[i:i + size]):
                    found.append((i, i + size))
                    i += size
                    break
            else:
                i += 1
        if not found and anchor is not None:
            if foreign_name(words) or (len(words) <= 4 and all(is_vietnamese_syllable(w) for w in words)):
                found.append((0, len(words)))
        for a, b in found:
            s, e = offsets[a], offsets[b - 1] + len(words[b - 1])
            if inside(masks, s, e):
                continue
            if anchor is None or a > 0:
                if NAMING_NOUN.search(text, max(0, s - 20), s):
                    continue
            hit_anchor = anchor if a == 0 else None
            hits.append(NameHit(s, e, text[s:e], hit_anchor, gender if a == 0 else None))
    _attach_titles(text, hits, titles_by_end, titles_by_start)
    return hits


def _attach_titles(text: str, hits: list[NameHit], titles_by_end: dict[int, TitlePhrase],
                   titles_by_start: dict[int, TitlePhrase]) -> None:
    starts = {h.start for h in hits}
    for hit in hits:
        chain: list[TitlePhrase] = []
        t = titles_by_end.get(hit.start - 1)
        while t is not None:
            chain.insert(0, t)
            t = titles_by_end.get(t.start - 2) if text[t.start - 2:t.start] == ", " else titles_by_end.get(t.start - 1)
        pos = hit.end
        while True:
            sep = re.match(r"(, | - | – | \()", text[pos:pos + 3])
            if not sep:
                break
            t = titles_by_start.get(pos + len(sep.group()))
            if t is None or t.end + 1 in starts:  # the title belongs to the next name
                break
            chain.append(t)
            pos = t.end + (1 if sep.group() == " (" and text[t.end:t.end + 1] == ")" else 0)
        hit.titles = chain
