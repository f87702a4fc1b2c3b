"""Vietnamese-aware sentence splitting over a cleaned body.

A line is a paragraph and never shares a sentence with the next. Inside a line
a sentence ends at ``. ! ? …`` followed by a space and a capital, digit or
opening quote, except after an abbreviation (``TP.``, ``TS.``, ``v.v.``, an
initial) and inside a quotation that closes on the same line, so that a
multi-sentence quote stays one unit with its attribution.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Tokens that end in a period without ending a sentence.
ABBREVIATIONS = frozenset(
    "tp tp.hcm ts ths gs pgs bs ks ls th st mr mrs ms dr jr sr no co ltd inc vs v.v tt tx q p ng nxb ubnd "
    "gs.ts pgs.ts pgs.ts.bs ths.bs ts.bs".split()
)
_OPENERS = "“\"'‘(«["
_END_CHARS = ".!?…"
_CLOSERS = "”\"’')»]"


def _is_abbreviation(line: str, dot: int) -> bool:
    """Is the word that ends with the period at ``dot`` an abbreviation or an initial?

    The word is the run of word characters and periods before the period (the regex
    ``([\w.]+)\.$`` over ``line[:dot + 1]``), found by stepping back from ``dot``: a
    regex search would try every start position of the line first.
    """
    start = dot
    while start > 0 and (line[start - 1].isalnum() or line[start - 1] in "_."):
        start -= 1
    if start == dot:
        return False
    token = line[start:dot]
    if token.lower() in ABBREVIATIONS:
        return True
    # An initial: "L. Bằng", "J. Smith".
    return len(token) == 1 and token.isupper()


_CURLY_QUOTES = re.compile("[“”]")


def _quote_closes_on_line(line: str, open_at: int) -> int:
    """Index of the matching close for the curly quote at ``open_at``, or -1."""
    depth = 0
    for m in _CURLY_QUOTES.finditer(line, open_at):  # only the quote marks, not every character
        if line[m.start()] == "“":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start()
    return -1


_INTERESTING = re.compile("[“\"" + re.escape(_END_CHARS) + "]")


def split_line(line: str) -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)`` within one line.

    Only quote openers and end punctuation are visited (found by one regex), so the
    cost is in the number of candidate boundaries, not of characters.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(line)
    i = 0
    while True:
        m = _INTERESTING.search(line, i)
        if m is None:
            break
        i = m.start()
        ch = line[i]
        if ch == "“":
            close = _quote_closes_on_line(line, i)
            i = close + 1 if close > 0 else i + 1
            continue
        if ch == '"':
            if i == 0 or line[i - 1] in " (:–-":
                close = line.find('"', i + 1)  # straight quotes do not nest: the next one closes
                if close > 0:
                    i = close + 1
                    continue
            i += 1
            continue
        j = i + 1
        while j < n and (line[j] in _END_CHARS or line[j] in _CLOSERS or line[j] == "/"):
            j += 1
        if j < n and line[j] == " " and j + 1 < n:
            nxt = line[j + 1]
            if (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS or nxt == "-") and not (
                ch == "." and j == i + 1 and _is_abbreviation(line, i)
            ):
                spans.append((start, j))
                start = j + 1
                i = j + 1
                continue
        i = j
    if start < n:
        spans.append((start, n))
    # Only a line without any boundary can give a blank span (itself, all blanks): a span ending
    # at a boundary holds its punctuation, and the next one opens with the character after it.
    return spans if len(spans) != 1 or line.strip() else []


def split_sentences(body: str) -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)`` over the whole body (lines never share a sentence)."""
    return list(_sentence_spans(body))


@lru_cache(maxsize=16)
def _sentence_spans(body: str) -> tuple[tuple[int, int], ...]:
    """``split_sentences``, remembered for the last few bodies: normalizing an article and
    extracting from it split the same body, one right after the other."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in body.split("\n"):
        for s, e in split_line(line):
            spans.append((offset + s, offset + e))
        offset += len(line) + 1
    return tuple(spans)
