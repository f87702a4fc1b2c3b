"""The fast paths of the organization, title and layout scans (and ``Document.sentence_of``)
give what the plain definitions they replace give.

As in ``test_fast_paths``: the straightforward definition is kept here and the fast one is
checked against it on the seed articles and edge cases, at every position that matters.
"""

from __future__ import annotations

import re

import pytest

from pipelines.extract import lexicon
from pipelines.extract.gazetteer import (ADMIN_UNIT, _CONNECTORS, _HEAD_END, _TOKEN, _UNIT_AFTER, _UNIT_FIRST,
                                         _domain_words, _head_matches, _head_pattern, _org_word_at, _tail_end)

EDGE_CASES = [
    "Sở Y tế\nUBND tỉnh\nCông an TP.\nỦy ban nhân dân quận, Trung tâm\n",
    "Trung tâm nghiên cứu chiến lược và Phát triển; trường quốc tế Sen Vàng - Hoa Mai & Cộng sự",
    "Bộ Kế hoạch và Đầu tư, Bộ Văn hóa và thể thao, UBND TP Hà Nội, Công an TP.HCM)",
    "Sở Giáo dục và Đào tạo Sở Y tế Nguyễn Khắc Hiền. Tỉnh ủy bang Texas Công ty x",
    "",
]


@pytest.fixture(scope="module")
def texts(seed_bodies) -> list[str]:
    return [*seed_bodies, *EDGE_CASES]


def test_unit_first_letters_are_those_of_admin_unit():
    words = ADMIN_UNIT.removeprefix("(?:").removesuffix(")").split("|")
    assert {w[0] for w in words} == _UNIT_FIRST


def test_head_matches_are_the_regexes_at_every_head(texts):
    def plain(text):  # both regexes tried after every head of the lexicon scan
        out = []
        for start, end in lexicon.load("org_heads").spans(text):
            if unit := _UNIT_AFTER.match(text, end):
                out.append((text[start:end], start, unit.group("unit"), unit.start("unit"), unit.end()))
            elif _HEAD_END.match(text, end):
                out.append((text[start:end], start, None, -1, end))
        return out

    for text in texts:
        for variant in (text, text + "\n", text + " "):
            fast = [(m.head, m.start, m.unit, m.unit_start, m.end) for m in _head_matches(variant)]
            assert fast == plain(variant), variant[:80]


def test_tail_end_is_the_word_by_word_scan(texts):
    def words_from(text, pos):  # one _TOKEN match per word, while single spaces separate them
        words, starts, i = [], [], pos
        for _ in range(16):
            if i >= len(text) or not (m := _TOKEN.match(text, i)):
                break
            words.append(m.group())
            starts.append(m.start())
            if m.end() >= len(text) or text[m.end()] != " ":
                break
            i = m.end() + 1
        return words, starts

    def plain(text, pos, lowercase_start):
        domain = _domain_words()
        org_words = lexicon.words("org_words")
        words, starts = words_from(text, pos)
        n, end, k = len(words), pos, 0
        while k < n:
            word = words[k]
            if word[:1].isupper():
                end = starts[k] + len(word)
                if k + 1 < n and (f"{word} {words[k + 1]}" in domain or f"{word.lower()} {words[k + 1]}" in org_words):
                    k += 1
                    end = starts[k] + len(words[k])
            elif (size := _org_word_at(words, k)) and (end > pos or lowercase_start):
                k += size - 1
                end = starts[k] + len(words[k])
            elif word in _CONNECTORS and end > pos and k + 1 < n and (
                    words[k + 1][:1].isupper() or _org_word_at(words, k + 1)) \
                    and not _head_pattern().match(text, starts[k + 1]):
                pass
            else:
                break
            k += 1
        return end

    for text in texts:
        positions = {0, len(text)} | {m.end() + 1 for m in re.finditer(r"\S+", text)}
        for pos in sorted(positions):
            for lowercase_start in (True, False):
                assert _tail_end(text, pos, lowercase_start) == plain(text, pos, lowercase_start), text[pos:pos + 60]


def test_title_pre_checks_are_the_first_and_last_letters():
    """The characters ``titles`` looks at before trying its regexes are all those can start
    (``_JOINT``, ``_UNIT_NAME``) or end (``_MODIFIER``) with."""
    from pipelines.extract.titles import (_JOINT, _JOINT_FIRST, _MODIFIER, _MODIFIER_LAST, _UNIT_NAME,
                                          _UPPER_LETTERS)

    chars = [chr(c) for c in range(0x2FFF)]
    assert {c for c in chars if _JOINT.match(f" {c}ước ") or _JOINT.match(f" {c}ại ")} == _JOINT_FIRST
    assert {c for c in chars if _UNIT_NAME.match(f" {c} ")} == _UPPER_LETTERS
    words = _MODIFIER.pattern.removeprefix("(?:").removesuffix(") $").split("|")
    assert {w[-1] for w in words} == _MODIFIER_LAST


def test_sentence_of_is_the_bisection_of_starts(texts):
    import bisect

    from pipelines.extract.model import Document
    from pipelines.text.sentences import split_sentences

    for text in texts + ["a", "\n\nx. y"]:
        sentences = split_sentences(text)
        doc = Document(body=text, sentences=sentences)
        for offset in range(-1, len(text) + 2):
            plain = max(bisect.bisect_right(sentences, offset, key=lambda span: span[0]) - 1, 0)
            assert doc.sentence_of(offset) == plain


def test_layout_pre_checks_are_the_patterns(texts):
    """A byline opens with a letter of ``_UPPER_LETTERS``; a title line of 80 characters or
    fewer never holds more than 40 words."""
    from pipelines.text.layout import _BYLINE, _UPPER_LETTERS, _WORD

    chars = [chr(c) for c in range(0x2FFF)]
    assert {c for c in chars if _BYLINE.match(c)} == _UPPER_LETTERS
    shortest_41_words = "a " * 40 + "a"  # one character a word, one between each two
    assert len(shortest_41_words) == 81 and len(_WORD.findall(shortest_41_words)) == 41
    for text in texts:
        for line in text.split("\n"):
            assert len(line) > 80 or len(_WORD.findall(line)) <= 40
