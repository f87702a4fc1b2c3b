"""Vietnamese-aware sentence splitting over a cleaned body.

A line is a paragraph and never shares a sentence with the next. Inside a line
a sentence ends at ``. ! ? …`` followed by a space and a capital, digit or
opening quote, except after an abbreviation (``TP.``, ``TS.``, ``v.v.``, an
initial) and inside a quotation that closes on the same line, so that a
multi-sentence quote stays one unit with its attribution.
"""

from __future__ import annotations

from functools import lru_cache

from pipelines.text.chars import positions

# Tokens that end in a period without ending a sentence.
ABBREVIATIONS = frozenset(
    "tp tp.hcm ts ths gs pgs bs ks ls th st mr mrs ms dr jr sr no co ltd inc vs v.v tt tx q p ng nxb ubnd "
    "gs.ts pgs.ts pgs.ts.bs ths.bs ts.bs".split()
)
_OPENERS = "“\"'‘(«["
_END_CHARS = ".!?…"
_CLOSERS = "”\"’')»]"


# The last letters of the abbreviations. A word that ends in another character which is not a
# capital is neither an abbreviation nor an initial: lowercasing a character that is not a
# capital gives no other one of these (checked over every character in the unit tests).
_ABBREVIATION_ENDS = frozenset(a[-1] for a in ABBREVIATIONS)


def _is_abbreviation(line: str, dot: int) -> bool:
    """Is the word that ends with the period at ``dot`` an abbreviation or an initial?

    The word is the run of word characters and periods before the period (the regex
    ``([\w.]+)\.$`` over ``line[:dot + 1]``), found by stepping back from ``dot``: a
    regex search would try every start position of the line first.
    """
    last = line[dot - 1] if dot > 0 else ""
    if not last.isupper() and last not in _ABBREVIATION_ENDS:
        return False  # the usual case: no need to step back through the word
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


def _quote_close(text: str, open_at: int, end: int) -> int:
    """Index of the close matching the curly quote at ``open_at`` (quotes nest), or -1 if
    there is none before ``end``. Each close is found by ``str.find``; the opens before it
    deepen the nesting."""
    depth = 1
    pos = open_at + 1
    while True:
        close = text.find("”", pos, end)
        if close < 0:
            return -1
        depth += text.count("“", pos, close) - 1
        if depth == 0:
            return close
        pos = close + 1


# The characters the scan stops at: line breaks, quote openers and end punctuation.
_STOPS = "\n“\"" + _END_CHARS
# What a run of end punctuation may hold after its first mark ("?!", ".”", "./.").
_RUN = _END_CHARS + _CLOSERS + "/"


def _spans(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)`` of ``text``, line by line.

    Only the stops (``_STOPS``) are visited, so the cost is in the number of candidate
    boundaries, not of characters. The checks look across a line break as if it were the
    line's end: the break is neither an end mark, a closer, a space, a capital, a digit, an
    opener, ``-`` nor a word character, so a run of end marks, the character after a
    boundary and the word before an abbreviation's period all stop there.
    """
    spans: list[tuple[int, int]] = []
    n = len(text)
    start = 0  # of the current sentence
    line_start = 0
    resume = 0  # stops before this were passed over (inside a quote, in a run of end marks)
    for i in positions(text, _STOPS):
        if i < resume:
            continue
        ch = text[i]
        if ch == "\n":
            _end_line(text, spans, start, line_start, i)
            start = line_start = resume = i + 1
            continue
        if ch == "“":
            line_end = text.find("\n", i)
            close = _quote_close(text, i, n if line_end < 0 else line_end)
            resume = close + 1 if close >= 0 else i + 1
            continue
        if ch == '"':
            if i == line_start or text[i - 1] in " (:–-":
                line_end = text.find("\n", i)
                # Straight quotes do not nest: the next one on the line closes.
                close = text.find('"', i + 1, n if line_end < 0 else line_end)
                if close >= 0:
                    resume = close + 1
                    continue
            resume = i + 1
            continue
        j = i + 1
        while j < n and text[j] in _RUN:
            j += 1
        if j + 1 < n and text[j] == " ":
            nxt = text[j + 1]
            if (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS or nxt == "-") and not (
                ch == "." and j == i + 1 and _is_abbreviation(text, i)
            ):
                spans.append((start, j))
                start = resume = j + 1
                continue
        resume = j
    _end_line(text, spans, start, line_start, n)
    return spans


def _end_line(text: str, spans: list[tuple[int, int]], start: int, line_start: int, line_end: int) -> None:
    """Add the line's last sentence, ``[start, line_end)``, if it is not empty.

    Only a line without any boundary (``start == line_start``) can give a blank span (itself,
    all blanks): a span ending at a boundary holds its punctuation, and the next one opens
    with the character after it."""
    if start < line_end and (start > line_start or text[line_start:line_end].strip()):
        spans.append((start, line_end))


def split_line(line: str) -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)`` within one line."""
    return _spans(line)


def split_sentences(body: str) -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)`` over the whole body (lines never share a sentence)."""
    return list(_sentence_spans(body))


@lru_cache(maxsize=16)
def _sentence_spans(body: str) -> tuple[tuple[int, int], ...]:
    """``split_sentences``, remembered for the last few bodies: normalizing an article and
    extracting from it split the same body, one right after the other."""
    return tuple(_spans(body))
