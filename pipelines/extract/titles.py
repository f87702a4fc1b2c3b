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
from pipelines.extract.model import Span, longest_first
from pipelines.text.chars import LOWER, UPPER

# Modifiers kept in the title ("cựu Thủ tướng Ý"); "tân" (newly appointed) is not part of it.
_MODIFIER = re.compile(r"(?:cựu|nguyên|quyền|Cựu|Nguyên|Quyền) $")
MINISTERS = frozenset({"Bộ trưởng", "Thứ trưởng"})
# Vietnamese state bodies, whose abbreviations (VPCP, NHNN) a title writes out in full.
DOMESTIC_TYPES = frozenset({"ministry", "government", "party", "state", "court", "local_government", "force"})
_JOINT = re.compile(r" (?:nước|tại) ")
_UNIT_NAME = re.compile(r" " + UPPER + r"\w*(?: " + LOWER + r"\w*)?(?= )")
# The characters that can follow the space opening ``_JOINT`` or ``_UNIT_NAME`` (``UPPER`` is a
# class of letters written out one by one): the regexes are tried only after one of them.
_JOINT_FIRST = frozenset("nt")
_UPPER_LETTERS = frozenset(UPPER[1:-1])
# The last letters of the modifiers of ``_MODIFIER``, found before the space ending them.
_MODIFIER_LAST = frozenset("un")


@dataclass(slots=True)  # not frozen: see ``model.Span``
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


def _complement(text: str, end: int, head: str, category: str | None,
                starts: dict[int, Span]) -> tuple[int, list[str], str | None]:
    """The organizations and places after a title head: ``(end, pieces as written, org)``.

    Accepted, each right after the previous one: an organization or place; ``nước``
    before a country; a short unit name before an organization (``Trưởng phòng Tham
    mưu Công an TP.HCM``); ``tại <place>`` after a diplomat's title (``Đại sứ Lào tại
    Việt Nam``). An acronym of a known organization is written out (``VPCP``).
    """
    pieces: list[str] = []
    org = None
    while end < len(text) and text[end] == " ":
        nxt = starts.get(end + 1)
        gap = " "
        after = text[end + 1:end + 2]
        if nxt is None and after in _JOINT_FIRST:
            joint = _JOINT.match(text, end)
            if joint and (category == "diplomatic" or not joint.group().startswith(" tại")):
                nxt = starts.get(joint.end())
                gap = joint.group()
        if nxt is None and after in _UPPER_LETTERS:
            unit = _UNIT_NAME.match(text, end)
            if unit and starts.get(unit.end()) is not None and starts[unit.end()].kind == "organization":
                nxt = starts[unit.end()]
                gap = unit.group()
        if nxt is None:
            if head in MINISTERS and org is None:
                short = _short_ministry(text, end + 1)
                if short:  # "Bộ trưởng Quốc phòng Mỹ": the ministry, then maybe its country
                    end, org = short
                    pieces.append(" " + org)
                    continue
            break
        written = nxt.surface
        if nxt.kind == "organization":
            org = nxt.name
            if head in MINISTERS and nxt.name.startswith("Bộ "):
                written = nxt.name  # a minister's title names the ministry in full: "Lầu Năm Góc"
            elif nxt.surface.isupper() and nxt.name != nxt.surface and nxt.category in DOMESTIC_TYPES:
                written = nxt.name  # "Chủ nhiệm VPCP" -> "Chủ nhiệm Văn phòng Chính phủ"; "EU" stays
        pieces.append(gap + written)
        end = nxt.end
    return end, pieces, org


def find_titles(text: str, orgs: list[Span], places: list[Span]) -> list[TitlePhrase]:
    """Every title and rank phrase in ``text`` with its complement."""
    starts = {s.start: s for s in orgs + places}
    out: list[TitlePhrase] = []
    for lex_name, is_rank in (("ranks", True), ("titles", False)):
        lex = lexicon.load(lex_name)
        for phrase_start, phrase_end in lex.spans(text):
            written = text[phrase_start:phrase_end]
            head = lex.canon(written)
            category = lex.category.get(head)
            start, end, org = phrase_start, phrase_end, None
            if not is_rank:
                # A modifier ends right before the head with its last letter and a space.
                if text[start - 2:start - 1] in _MODIFIER_LAST and text[start - 1:start] == " ":
                    mod = _MODIFIER.search(text, max(0, start - 8), start)
                    if mod and mod.end() == start:
                        start = mod.start()
                last_word = written.rsplit(" ", 1)[-1]
                inner = starts.get(phrase_end - len(last_word))
                if inner is not None and inner.kind == "organization" and inner.end > phrase_end:
                    # "Trưởng Ban Kinh tế Trung ương": the head's last word opens the organization.
                    end, org = inner.end, inner.name
                    head_text = text[start:inner.end]
                    end, pieces, more_org = _complement(text, end, head, category, starts)
                    org = more_org or org
                    written = head_text + "".join(pieces)
                else:
                    end, pieces, org = _complement(text, end, head, category, starts)
                    written = text[start:phrase_end] + "".join(pieces)
            if is_rank:
                written = written.rstrip(".")  # "PGS.TS." at the end of an abbreviation is "PGS.TS"
            out.append(TitlePhrase(start, end, written, head, org, is_rank, category))
    # Longest phrase wins where two overlap ("Phó Thủ tướng" over "Thủ tướng").
    return longest_first(out)
