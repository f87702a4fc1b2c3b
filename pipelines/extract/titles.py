"""Titles, ranks and positions: ``Đại tướng``, ``Bộ trưởng Bộ Công an``, ``Chủ tịch UBND TP Hà Nội``.

A title phrase is an optional modifier (``cựu``, ``nguyên``, ``quyền``), a head
from ``titles.txt`` and a complement: the organizations and places that follow
it directly (``Thủ tướng Chính phủ nước Cộng hòa Dân chủ Nhân dân Lào``).
A rank from ``ranks.txt`` stands alone. A short ministry after a minister's
head is written out in full: ``Bộ trưởng Ngoại giao`` gives
``Bộ trưởng Bộ Ngoại giao``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipelines.extract import lexicon
from pipelines.extract.model import Span

_MODIFIER = re.compile(r"(?:cựu|nguyên|quyền|tân|Cựu|Nguyên|Quyền|Tân) $")
_COUNTRY_OF = re.compile(r" nước ")


@dataclass(frozen=True)
class TitlePhrase:
    start: int
    end: int
    text: str  # the title as it should be recorded
    head: str  # canonical head ("Bộ trưởng")
    org: str | None  # canonical organization the title names
    is_rank: bool
    category: str | None


@cache
def _ministry_domains() -> lexicon.Lexicon:
    """The domains of the known ministries: ``Ngoại giao`` for ``Bộ Ngoại giao``."""
    entries = lexicon.parse_lines(lexicon.read_lexicon_lines("organizations"))
    domains = [([v[3:] for v in variants if v.startswith("Bộ ")], None) for variants, _ in entries]
    return lexicon.build("ministry_domains", [(d, c) for d, c in domains if d])


def _short_ministry(text: str, pos: int) -> tuple[int, str] | None:
    """``Ngoại giao`` at ``pos`` when ``Bộ Ngoại giao`` is a known ministry: (end, full name)."""
    orgs = lexicon.load("organizations")
    best = None
    for m in _ministry_domains().finditer(text, pos, min(len(text), pos + 60)):
        if m.start() != pos:
            break
        full = orgs.canon("Bộ " + m.group())
        if full and (best is None or m.end() > best[0]):
            best = (m.end(), full)
    return best


def find_titles(text: str, orgs: list[Span], places: list[Span]) -> list[TitlePhrase]:
    """Every title and rank phrase in ``text`` with its complement."""
    starts = {s.start: s for s in orgs + places}
    out: list[TitlePhrase] = []
    for lex_name, is_rank in (("ranks", True), ("titles", False)):
        lex = lexicon.load(lex_name)
        for m in lex.finditer(text):
            head = lex.canon(m.group())
            start, end, org = m.start(), m.end(), None
            written = m.group()
            if not is_rank:
                mod = _MODIFIER.search(text, max(0, start - 8), start)
                if mod and mod.end() == start:
                    start = mod.start()
                pieces = [text[start:end]]
                while True:
                    nxt = starts.get(end + 1) if end < len(text) and text[end] == " " else None
                    if nxt is None and text.startswith(" nước ", end):
                        nxt = starts.get(end + 6)
                        if nxt is not None and nxt.kind == "location":
                            pieces.append(text[end:nxt.start])
                    if nxt is None:
                        if head in ("Bộ trưởng", "Thứ trưởng") and org is None and text[end:end + 1] == " ":
                            short = _short_ministry(text, end + 1)
                            if short:
                                end, org = short[0], short[1]
                                pieces.append(" " + org)
                        break
                    pieces.append(text[end:nxt.start] if nxt.start > end + 1 else " ")
                    pieces.append(nxt.surface)
                    end = nxt.end
                    if nxt.kind == "organization":
                        org = nxt.name
                written = "".join(pieces)
            out.append(TitlePhrase(start, end, written, head, org, is_rank, lex.category.get(head)))
    # Longest phrase wins where two overlap ("Phó Thủ tướng" over "Thủ tướng").
    kept: list[TitlePhrase] = []
    for t in sorted(out, key=lambda t: (-(t.end - t.start), t.start)):
        if all(t.end <= k.start or t.start >= k.end for k in kept):
            kept.append(t)
    return sorted(kept, key=lambda t: t.start)
