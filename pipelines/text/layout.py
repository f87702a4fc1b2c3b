"""Article layout: the title line, the dateline source, captions, credits and bylines.

These parts are found on the cleaned body and returned as plain values and
character spans; nothing is cut out of the body, so offsets stay valid.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipelines.text.chars import UPPER

# "(Ngày Nay) - Chiều 26/2, ..." or "HÀ NỘI (TTXVN) - ..." at the start of the lead.
_DATELINE = re.compile(r"^(?:" + UPPER + r"[\w. ]{0,30}?\s)?\(([^()\n]{2,40})\)\s*[-–—]\s*", re.MULTILINE)
_TITLE_END = tuple(".,;:")
# Photo credits and captions: "(Ảnh: Phạm Kiên/TTXVN)", "Ảnh: NGUYỄN TÂN", "(Nguồn: Reuters)".
_CREDIT_PAREN = re.compile(r"\((?:Ảnh|Ảnh minh họa|Ảnh minh hoạ|Nguồn|Video|Clip|Đồ họa|Đồ hoạ|Photo)\s*:[^()\n]*\)",
                           re.IGNORECASE)
# A credit line: "Ảnh: …", "Nguồn: …" at the start of a line or after a period or space, to
# the end of the line. Written as ``(?:^|(?<=[.\s]))(?:Ảnh|Nguồn|Video|Đồ họa|Đồ hoạ)…`` it
# is tried at every position; opening with the first letter (then checking what stands
# before it, and which word it opens) lets ``re`` jump from one candidate letter to the next.
_CREDIT_TAIL = re.compile(r"[ẢNVĐ](?<![^.\s].)(?:(?<=Ả)nh|(?<=N)guồn|(?<=V)ideo|(?<=Đ)ồ họa|(?<=Đ)ồ hoạ)"
                          r"\s*:\s*[^\n]*$", re.MULTILINE)
_CREDIT_WORDS = ("Ảnh", "Nguồn", "Video", "Đồ họa", "Đồ hoạ")  # the words ``_CREDIT_TAIL`` opens with
_WORD = re.compile(r"\w+")
_BYLINE = re.compile(r"^(?:" + UPPER + r"[\w.]*)(?: " + UPPER + r"[\w.]*){0,4}\s*[-–.]?\s*$")
_UPPER_LETTERS = frozenset(UPPER[1:-1])  # the letters of ``UPPER`` (written out one by one), one of which opens a byline


@lru_cache(maxsize=16)  # normalizing an article and extracting from it both ask, one right after the other
def split_title(body: str) -> str | None:
    """The title: a short first line followed by more text, not itself a sentence or a dateline."""
    first, sep, rest = body.partition("\n")
    if not sep or not rest.strip():
        return None
    line = first.strip()
    if not line or len(line) > 220 or line.endswith(_TITLE_END) or _DATELINE.match(line):
        return None
    # Forty-one words take at least 81 characters (a separator between each two): a shorter
    # line is not counted.
    if len(line) > 80 and len(_WORD.findall(line)) > 40:
        return None
    return line


def lead_start(body: str, title: str | None) -> int:
    """Offset of the first character after the title line and blank lines."""
    if title is None:
        return 0
    pos = len(body.split("\n", 1)[0]) + 1
    while pos < len(body) and body[pos] == "\n":
        pos += 1
    return pos


@lru_cache(maxsize=16)  # as ``split_title``
def find_dateline(body: str, title: str | None) -> tuple[str | None, tuple[int, int] | None]:
    """The outlet named in a dateline at the start of the lead, and the dateline's span."""
    start = lead_start(body, title)
    match = _DATELINE.match(body, start)
    if not match:
        return None, None
    source = match.group(1).strip()
    # "(26/2)" or "(ảnh)" are not outlets: an outlet starts with a capital and holds a letter.
    if not source[0].isupper() or not any(c.isalpha() for c in source):
        return None, None
    return source, (match.start(), match.end())


def noncontent_spans(body: str) -> list[tuple[int, int]]:
    """Spans that are not news content: credits, captions after the ``./.`` end mark, a closing byline.

    Names inside them (photographers, reporters) are never people in the news.
    """
    spans = [(m.start(), m.end()) for m in _CREDIT_PAREN.finditer(body)]
    spans += [(m.start(), m.end()) for m in _credit_tails(body)]
    end_mark = body.find("./.")
    if end_mark >= 0:
        spans.append((end_mark, len(body)))
    # Bylines: a line of a few capitalized words alone ("Phạm Huy Anh", "N.M", "Lương Bằng -").
    # A line with a comma is none (most paragraphs have one), nor a line not opening with a
    # capital (blank lines among them): no need to try the regex.
    offset = 0
    for line in body.split("\n"):
        if offset > 0 and line[:1] in _UPPER_LETTERS and "," not in line and _BYLINE.match(line):
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return sorted(spans)


def _credit_tails(body: str) -> list[re.Match]:
    """``_CREDIT_TAIL.finditer(body)``, tried only where ``str.find`` finds one of its words:
    a scan of every character for the class of their first letters costs more. (A match runs to
    the end of its line; one that starts inside an earlier match is not the scan's.)"""
    starts = set()
    for word in _CREDIT_WORDS:
        i = body.find(word)
        while i >= 0:
            starts.add(i)
            i = body.find(word, i + 1)
    found, end = [], 0
    for i in sorted(starts):
        if i >= end and (m := _CREDIT_TAIL.match(body, i)):
            found.append(m)
            end = m.end()
    return found


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when ``[start, end)`` overlaps any of ``spans``."""
    for s, e in spans:  # a plain loop: called for every mention, faster than any() over a generator
        if s < end and start < e:
            return True
    return False
