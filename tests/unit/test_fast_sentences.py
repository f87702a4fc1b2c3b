"""The one-pass sentence splitter gives exactly what the plain line-by-line splitter gave.

``split_sentences`` visits the body's stops (line breaks, quote openers, end marks) found by
``str.find`` in one pass over the whole body; the plain definition below (the former
``split_line``) searched each line with a regex, one candidate at a time.
"""

from __future__ import annotations

import random
import re
import sys

import pytest

from pipelines.text.sentences import (_ABBREVIATION_ENDS, _CLOSERS, _END_CHARS, _OPENERS, ABBREVIATIONS,
                                      _is_abbreviation, _quote_close, split_line, split_sentences)

EDGE_CASES = [
    "",
    "\n",
    "\n\n \n\t\n",
    "Câu một. Câu hai.\n\nCâu ba! Câu bốn? “Câu năm. Câu sáu.” Câu bảy… Hết",
    "TS. Nguyễn Văn An, TP.HCM. v.v. L. Bằng và J. Smith. Ông nói.\nTS.\n.A",
    "Ông nói: “Một. “Hai. Ba.” Bốn.” Năm. “Không đóng. Sáu.\n“Dòng sau.” Bảy.",
    "\"Thẳng. Hai.\" - ông nói. (\"Ba. Bốn.\") x \"năm. Sáu.\n\"Bảy. Tám",
    "Hết bài./. Ảnh: A.\n Câu?! “Trích.” Câu.) Câu.» Câu.’ Câu./ Đ. Câu. 2. Câu. - Câu. ‘Câu",
    "a. \nB. \n. .\n.. A", " . A", "A. ", "A.  B", "“", "”", "\"", "“x\n”", "\"x\ny\"",
]


def plain_split_line(line: str) -> list[tuple[int, int]]:
    """The former ``split_line``: the next quote opener or end mark by a regex search."""
    interesting = re.compile("[“\"" + re.escape(_END_CHARS) + "]")
    curly = re.compile("[“”]")

    def quote_closes_on_line(open_at: int) -> int:
        depth = 0
        for m in curly.finditer(line, open_at):
            if line[m.start()] == "“":
                depth += 1
            else:
                depth -= 1
                if depth == 0:
                    return m.start()
        return -1

    spans: list[tuple[int, int]] = []
    start = 0
    n = len(line)
    i = 0
    while True:
        m = interesting.search(line, i)
        if m is None:
            break
        i = m.start()
        ch = line[i]
        if ch == "“":
            close = quote_closes_on_line(i)
            i = close + 1 if close > 0 else i + 1
            continue
        if ch == '"':
            if i == 0 or line[i - 1] in " (:–-":
                close = line.find('"', i + 1)
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
    return spans if len(spans) != 1 or line.strip() else []


def plain_split_sentences(body: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in body.split("\n"):
        spans += [(offset + s, offset + e) for s, e in plain_split_line(line)]
        offset += len(line) + 1
    return spans


@pytest.fixture(scope="module")
def texts(seed_bodies) -> list[str]:
    rng = random.Random(11)
    noise = [
        "".join(rng.choice(" .!?…“”\"'‘’»)(/-:\n\t\u00a0aBĐđ1_xTp") for _ in range(rng.randint(0, 30)))
        for _ in range(20000)
    ]
    return [*seed_bodies, *EDGE_CASES, *noise]


def test_split_sentences_is_the_line_by_line_split(texts):
    for text in texts:
        assert split_sentences(text) == plain_split_sentences(text), text
        for line in text.split("\n"):
            assert split_line(line) == plain_split_line(line), line


def test_quote_close_is_the_nesting_count(texts):
    def plain(text: str, open_at: int, end: int) -> int:
        depth = 0
        for m in re.finditer("[“”]", text[:end]):
            if m.start() < open_at:
                continue
            depth += 1 if m.group() == "“" else -1
            if depth == 0:
                return m.start()
        return -1

    for text in texts:
        for i, ch in enumerate(text):
            if ch == "“":
                for end in (len(text), (text.find("\n", i) + 1 or len(text) + 1) - 1, i + 3):
                    end = min(end, len(text))
                    assert _quote_close(text, i, end) == plain(text, i, end), (text, i, end)


def test_abbreviation_pre_check_loses_none():
    """``_is_abbreviation`` gives up at once on a word whose last character is not a capital and
    not in ``_ABBREVIATION_ENDS``: no such character lowercases to one that ends an abbreviation."""
    assert _ABBREVIATION_ENDS == {a[-1] for a in ABBREVIATIONS}
    for code in range(sys.maxunicode + 1):
        c = chr(code)
        if not c.isupper() and c not in _ABBREVIATION_ENDS:
            assert c.lower()[-1:] not in _ABBREVIATION_ENDS, hex(code)


def test_abbreviation_is_the_word_before_the_period(texts):
    word_before = re.compile(r"([\w.]+)\.$")

    def plain(line: str, dot: int) -> bool:
        m = word_before.search(line[: dot + 1])
        return bool(m) and (m.group(1).lower() in ABBREVIATIONS or (len(m.group(1)) == 1 and m.group(1).isupper()))

    extra = ["TP. tp. Tp. tP. v.v. V.V. pgs.ts.bs. PGS.TS. xTS. ts.x. K. ß. İ. Σ. ǅ. ΑΣ. ng. NG. Ng. q. Q. é.",
             "\nTS.\n(GS.“BS.…ThS. 1p. _p. p_. .p. a.b.p."]
    for text in [t for t in texts if len(t) < 5000] + extra:
        for dot, ch in enumerate(text):
            if ch == ".":
                assert _is_abbreviation(text, dot) == plain(text, dot), (text[max(0, dot - 12):dot + 1], dot)
