"""Organizations and places: known names from the lexicons, and organization patterns.

Known names come from ``organizations.txt``, ``provinces.txt`` and
``countries.txt``. Unknown organizations are recognized by a head word from
``org_heads.txt`` followed by a name (``Sở Giáo dục và Đào tạo``,
``UBND quận Hai Bà Trưng``, ``Trường mầm non Sen Vàng``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from pipelines.extract import lexicon
from pipelines.extract.model import Span, longest_first
from pipelines.extract.names import has_vietnamese_marks, vietnamese_name
from pipelines.text.chars import LOWER, UPPER

# Administrative unit words that sit between a local head and its place name.
ADMIN_UNIT = r"(?:tỉnh|thành phố|TP\.?|Tp\.?|quận|huyện|thị xã|TX\.?|xã|phường|thị trấn|bang)"
# Organizations never taken from a pattern alone: generic words for the state.
GENERIC_ORGS = frozenset({"Đảng", "Nhà nước", "Nhân dân"})
_TOKEN = re.compile(r"[^\s,.;:()“”\"!?]+(?:\.[^\s,.;:()“”\"!?]+)*")
_NON_SPACE = re.compile(r"\S+")
_CAPITAL = re.compile(UPPER)
_CONNECTORS = frozenset({"và", "-", "–", "&"})
# Two to four capitalized ASCII words; the capital opens the pattern and the left boundary
# is checked behind it (``re`` then skips to the next capital, not to every position).
_FOREIGN_RUN = re.compile(r"[A-Z](?<![\w&\-].)[a-z]+(?: [A-Z][a-zA-Z]+){1,3}(?![\w])")
# Heads that name a whole body without a following name: "Phó Bí thư Tỉnh ủy".
SELF_CONTAINED = ("ủy", "uỷ")


@dataclass(slots=True)
class _HeadMatch:
    """An organization head (and administrative unit) found by the Aho-Corasick scan."""

    head: str
    start: int
    unit: str | None
    unit_start: int  # -1 without a unit
    end: int


_UNIT_AFTER = re.compile(rf" (?P<unit>{ADMIN_UNIT})(?=[ ,.;:)]|$)")
_HEAD_END = re.compile(r"[ ,.;:)]|$")
_HEAD_END_CHARS = frozenset(" ,.;:)")  # the characters ``_HEAD_END`` matches
_UNIT_FIRST = frozenset("tTqhxpb")  # the first letters of the words of ``ADMIN_UNIT``


def _head_matches(text: str) -> list[_HeadMatch]:
    """Organization heads with their optional unit word, as ``_head_pattern`` would match them."""
    out = []
    for start, end in lexicon.load("org_heads").spans(text):
        after = text[end:end + 1]  # "" at the end of the text
        # The regexes only where they can match: a unit after a space and one of the units'
        # first letters; ``_HEAD_END`` at one of its characters, or at the end of the text or
        # before a newline there (``$``).
        if after == " " and text[end + 1:end + 2] in _UNIT_FIRST and (unit := _UNIT_AFTER.match(text, end)):
            out.append(_HeadMatch(text[start:end], start, unit.group("unit"), unit.start("unit"), unit.end()))
        elif after in _HEAD_END_CHARS or (after in ("", "\n") and _HEAD_END.match(text, end)):
            out.append(_HeadMatch(text[start:end], start, None, -1, end))
    return out


@cache
def _head_pattern() -> re.Pattern:
    heads = lexicon.load("org_heads")
    alternatives = sorted((re.escape(v) for v in heads.canonical), key=len, reverse=True)
    return re.compile(r"(?<![\w&\-])(?P<head>" + "|".join(alternatives) + rf")(?: (?P<unit>{ADMIN_UNIT}))?(?=[ ,.;:)]|$)")


@cache
def _domain_words() -> frozenset[str]:
    """Two-syllable words that continue an organization's name after a capital:
    ``Giáo dục``, ``Y tế``, ``Đào tạo``, harvested from the known organizations."""
    out = set()
    for variants, _ in lexicon.parse_lines(lexicon.read_lexicon_lines("organizations")):
        for v in variants:
            words = v.split()
            out.update(f"{a} {b}" for a, b in zip(words, words[1:]) if a[:1].isupper() and b[:1].islower())
    return frozenset(out)


@cache
def _org_word_openers() -> dict[str, tuple[str, ...]]:
    """The first words of the entries of ``org_words``, by their first character."""
    out: dict[str, set[str]] = {}
    for entry in lexicon.words("org_words"):
        first_word = entry.split(" ")[0]
        out.setdefault(first_word[:1], set()).add(first_word)
    return {letter: tuple(sorted(words)) for letter, words in out.items()}


def _org_word_at(tokens: list[str], k: int) -> int:
    """How many tokens from ``k`` make an institutional word of ``org_words.txt`` (0 if none)."""
    words = lexicon.words("org_words")
    for size in (3, 2, 1):
        if k + size <= len(tokens) and " ".join(tokens[k:k + size]) in words:
            return size
    return 0


def _tail_end(text: str, pos: int, lowercase_start: bool = True) -> int:
    """End of the name that follows an organization head at ``pos`` (``pos`` itself if none).

    Capitalized words and institutional words (``nghiên cứu``, ``đầu tư``: the
    ``org_words`` lexicon, or a known two-syllable word such as ``Y tế``), joined by
    ``và``, ``-``, ``&``. A connector before a new head joins two bodies and ends the name.
    A name may open with an institutional word only after a capitalized head
    (``Trung tâm nghiên cứu chiến lược``, but not ``trên trường quốc tế``).
    """
    first = text[pos:pos + 1]
    if not first.isupper() and (not lowercase_start or not text.startswith(_org_word_openers().get(first, ()), pos)):
        # A name opening with a lowercase word (or none) opens with an institutional word, after
        # a capitalized head; a connector cannot open it. An institutional word at ``pos``
        # starts with the first word of an ``org_words`` entry. Without one, the loop below
        # stops at the first word, taking nothing.
        return pos
    domain = _domain_words()
    org_words = lexicon.words("org_words")
    words = _words_from(text, pos)
    n = len(words)
    taken = 0  # how many words the name takes (a connector counts once a word after it is taken)
    k = 0
    while k < n:
        word = words[k]
        if word[:1].isupper():
            taken = k + 1
            if k + 1 < n and (f"{word} {words[k + 1]}" in domain or f"{word.lower()} {words[k + 1]}" in org_words):
                k += 1
                taken = k + 1
        elif (size := _org_word_at(words, k)) and (taken or lowercase_start):
            k += size - 1
            taken = k + 1
        elif word in _CONNECTORS and taken and k + 1 < n and (
                words[k + 1][:1].isupper() or _org_word_at(words, k + 1)) \
                and not _head_pattern().match(text, _end_of_words(pos, words, k + 1) + 1):
            pass  # "Kế hoạch và Đầu tư", "Văn hóa và thể thao"
        else:
            break
        k += 1
    return _end_of_words(pos, words, taken)


def _end_of_words(pos: int, words: list[str], count: int) -> int:
    """Where the first ``count`` of the words from ``pos`` end (``pos`` for none): they are
    separated by single spaces."""
    return pos + sum(map(len, words[:count])) + count - 1 if count else pos


# Up to 16 ``_TOKEN`` words from a position, separated by single spaces: the words a name after
# an organization head may take. ``_TOKEN`` holds no space, so the run splits on its spaces.
_TOKEN_RUN = re.compile(rf"{_TOKEN.pattern}(?: {_TOKEN.pattern}){{0,15}}")


def _words_from(text: str, pos: int) -> list[str]:
    """The ``_TOKEN`` words from ``pos`` while single spaces separate them (at most 16): found by
    one regex match, not one match per word."""
    run = _TOKEN_RUN.match(text, pos)
    return run.group().split(" ") if run else []


def _cut_before_person(text: str, start: int, end: int) -> int:
    """Stop a pattern organization before a personal name (``Sở Y tế Nguyễn Khắc Hiền``)."""
    k = _first_name_word(tuple(text[start:end].split()))  # the words of _NON_SPACE
    if k is None:
        return end
    return list(_NON_SPACE.finditer(text, start, end))[k].start() - 1 if k else start


@lru_cache(maxsize=16384)
def _first_name_word(words: tuple[str, ...]) -> int | None:
    """Index of the first word that opens a Vietnamese name of 2-4 words, or None
    (cached: the same tails of organization names recur)."""
    for k in range(len(words)):
        for size in (4, 3, 2):
            window = words[k:k + size]
            if len(window) == size and vietnamese_name(window):
                return k
    return None


def find_places(text: str) -> list[Span]:
    spans = []
    for name in ("provinces", "countries"):
        lex = lexicon.load(name)
        canonical, category = lex.canonical, lex.category  # ``lex.canon`` without a method call per place
        for start, end in lex.spans(text):
            surface = text[start:end]
            canon = canonical.get(surface)
            spans.append(Span("location", canon, start, end, surface, category.get(canon)))
    return _longest_first(spans)


def find_organizations(text: str, places: list[Span]) -> list[Span]:
    """Known organizations, then head-word patterns; the longest match wins."""
    known = lexicon.load("organizations")
    canonical, known_category = known.canonical, known.category  # ``known.canon`` without a method call per match
    spans = []
    for start, end in known.spans(text):
        surface = text[start:end]
        canon = canonical.get(surface)
        spans.append(Span("organization", canon, start, end, surface, known_category.get(canon)))
    heads = lexicon.load("org_heads")
    place_at = {p.start: p for p in places}
    known_end = {s.start: s.end for s in spans}
    place_cover = {}  # start -> furthest end of a place starting there
    for p in places:
        place_cover[p.start] = max(p.end, place_cover.get(p.start, 0))
    for m in _head_matches(text):
        head, unit = m.head, m.unit
        category = heads.category.get(heads.canon(head))
        tail_start = m.end + 1
        place = place_at.get(tail_start) or (place_at.get(m.unit_start) if unit else None)
        if place is not None:
            end = place.end  # "UBND TP Hà Nội", "Công an TP.HCM": the place closes the name
        else:
            end = _tail_end(text, tail_start, lowercase_start=head[:1].isupper())
            # Schools bear people's names; offices do not. (No tail holds no name to cut.)
            if category != "education" and end > tail_start:
                end = max(_cut_before_person(text, tail_start, end), tail_start)
        if end <= tail_start:
            if not unit and not head.endswith(SELF_CONTAINED):
                continue
            # "UBND TP", "Công an tỉnh", "Tỉnh ủy": the body of the place in context.
            end = m.end
        if place_cover.get(m.start, -1) >= end:
            continue  # "quần đảo Trường Sa" is a place, not a school
        surface = text[m.start:end]
        if surface in GENERIC_ORGS:
            continue
        if m.start in known_end and not _CAPITAL.search(text, known_end[m.start], end):
            continue  # a known name followed by lowercase words only: keep the known name
        spans.append(Span("organization", surface, m.start, end, surface, category))
    # Foreign bodies named by their last word: "Geopolitical Monitor", "Sea Watch".
    org_words = lexicon.words("foreign_org_words")
    for m in foreign_runs(text):
        words = m.group().split()
        if words[-1] in org_words and not any(has_vietnamese_marks(w) for w in words):
            spans.append(Span("organization", m.group(), m.start(), m.end(), m.group(), "other"))
    return _longest_first(spans)



def foreign_runs(text: str) -> list[re.Match]:
    """The matches of ``_FOREIGN_RUN.finditer(text)`` that may end in a word of
    ``foreign_org_words``: those on the lines where the article's lexicon scan found such a word
    (most articles have none). A run never crosses a line break (its words are letters joined by
    single spaces), so a scan of one line finds what the scan of the whole text finds on it."""
    lines = set()
    for start, _ in lexicon.occurrences("foreign_org_words", text):
        end = text.find("\n", start)
        lines.add((text.rfind("\n", 0, start) + 1, len(text) if end < 0 else end))
    return [m for line_start, line_end in sorted(lines) for m in _FOREIGN_RUN.finditer(text, line_start, line_end)]


def _longest_first(spans: list[Span]) -> list[Span]:
    """Drop spans overlapping a longer (or earlier, on ties) span."""
    return longest_first(spans)
