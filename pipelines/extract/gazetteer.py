"""Organizations and places: known names from the lexicons, and organization patterns.

Known names come from ``organizations.txt``, ``provinces.txt`` and
``countries.txt``. Unknown organizations are recognized by a head word from
``org_heads.txt`` followed by a name (``Sở Giáo dục và Đào tạo``,
``UBND quận Hai Bà Trưng``, ``Trường mầm non Sen Vàng``).
"""

from __future__ import annotations

import re
from functools import cache

from pipelines.extract import lexicon
from pipelines.extract.model import Span
from pipelines.extract.names import vietnamese_name
from pipelines.text.chars import LOWER, UPPER

# Administrative unit words that sit between a local head and its place name.
ADMIN_UNIT = r"(?:tỉnh|thành phố|TP\.?|Tp\.?|quận|huyện|thị xã|TX\.?|xã|phường|thị trấn|bang)"
_CAP = UPPER + r"[\w&'’]*(?:[-.][\w&'’]+)*"
# A name after an organization head: capitalized words, each optionally followed by one
# lowercase syllable ("Giáo dục", "Đào tạo"), joined by "và", "-" or "&".
_ORG_TAIL = rf"{_CAP}(?: {LOWER}+(?=(?: | và | - |$|[,.;:)]))(?! {_CAP}))?(?:(?: | và | - | & ){_CAP}(?: {LOWER}+(?! {_CAP}))?)*"
# Organizations never taken from a pattern alone: generic words for the state.
GENERIC_ORGS = frozenset({"Đảng", "Nhà nước", "Nhân dân"})


@cache
def _head_pattern() -> re.Pattern:
    heads = lexicon.load("org_heads")
    alternatives = sorted((re.escape(v) for v in heads.canonical), key=len, reverse=True)
    return re.compile(
        r"(?<![\w&\-])(?P<head>" + "|".join(alternatives) + r")"
        + rf"(?: (?P<unit>{ADMIN_UNIT}))?(?: (?P<tail>{_ORG_TAIL}))?"
    )


def _longest_first(spans: list[Span]) -> list[Span]:
    """Drop spans overlapping a longer (or earlier, on ties) span."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def find_places(text: str) -> list[Span]:
    spans = []
    for name in ("provinces", "countries"):
        lex = lexicon.load(name)
        for m in lex.finditer(text):
            canon = lex.canon(m.group())
            spans.append(Span("location", canon, m.start(), m.end(), m.group(), lex.category.get(canon)))
    return _longest_first(spans)


def find_organizations(text: str, places: list[Span]) -> list[Span]:
    """Known organizations, then head-word patterns; the longest match wins."""
    known = lexicon.load("organizations")
    spans = [
        Span("organization", known.canon(m.group()), m.start(), m.end(), m.group(),
             known.category.get(known.canon(m.group())))
        for m in known.finditer(text)
    ]
    heads = lexicon.load("org_heads")
    place_at = {p.start: p for p in places}
    for m in _head_pattern().finditer(text):
        head, unit, tail = m.group("head"), m.group("unit"), m.group("tail")
        end = m.end()
        if not tail:
            continue
        tail_start = m.start("tail")
        # A place right after the head or unit bounds the name ("UBND TP Hà Nội").
        place = place_at.get(tail_start)
        if place is not None and place.end <= end:
            end = place.end
        elif unit:
            # "quận Hai Bà Trưng": a unit word takes a capitalized place name only, and
            # "Chủ tịch UBND TP Nguyễn Đức Chung" names a person after the unit, not a place.
            end = tail_start + len(re.match(rf"{_CAP}(?: {_CAP})*", tail).group())
            if vietnamese_name(text[tail_start:end].split()):
                end = m.start("unit") + len(unit)
        joined = re.search(r" (?:và|&|-) ", text[tail_start:end])
        while joined and _head_pattern().match(text, tail_start + joined.end()):
            end = tail_start + joined.start()  # "Bộ Công an và Bộ Ngoại giao" names two bodies
            joined = re.search(r" (?:và|&|-) ", text[tail_start:end])
        surface = text[m.start():end]
        if surface in GENERIC_ORGS or (not unit and not tail[:1].isupper()):
            continue
        category = heads.category.get(heads.canon(head))
        spans.append(Span("organization", surface, m.start(), end, surface, category))
    return _longest_first(spans)
