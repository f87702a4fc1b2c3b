"""The faster forms of the quote finder's searches give exactly what the plain forms they replace give.

Each test keeps the original, straightforward definition and checks the fast one against it on
the seed articles, on windows of them, and on edge cases.
"""

from __future__ import annotations

import random
import re

import pytest

from pipelines.extract.quotes import (GENERIC_SPEAKER, MIN_WORDS, Speaker, _enough_words, _frame_pattern,
                                      _frame_sentences, _generic_speaker, _generic_then_cue, _masked,
                                      _opens_attribution, _starting_at)
from pipelines.text.sentences import split_sentences

EDGE_CASES = [
    "Một số lãnh đạo Sở Y tế cho biết, các người dân sống gần đó cho hay. Nhiều chuyên gia nhận định",
    "một người một người dân một số người dân ở đây rằng Vị quan chức cấp cao nói,Những nhà khoa học ",
    "xMột người dân nói. Các nhà phân tích a b c d e f g h nói. Các nhà phân tích a b c d e f g nói",
    "Mác người dân nói; những người, một “người dân” nói\nmột người dân \nnói Người người dân nói",
    "Theo ông A, x. Ông B nói theo yêu cầu của C; theo lời D: theo ý kiến của E, như lời F. Dẫn lời G,",
    "theo\nTheo, theo; Theo: xTheo theo. Theo lời của, như lời ông X theo quan điểm",
    "",
]
# The former GENERIC_SPEAKER, with its determiners as "[Mm]ột".
PLAIN_GENERIC_SPEAKER = re.compile(
    r"(?<![\w])(?:[Mm]ột|[Cc]ác|[Nn]hiều|[Nn]hững|[Vv]ị|[Nn]gười|[Mm]ột số) (?:lãnh đạo|quan chức|chuyên gia|nguồn tin|"
    r"người dân|đại diện|cán bộ|nhà nghiên cứu|nhà khoa học|phóng viên|giáo viên|bác sĩ|phụ huynh|người|luật sư|"
    r"nhân chứng|quan sát viên|nhà phân tích|giới chức|quan chức cấp cao)(?: [^\s,.;:“”\"]+){0,7} $"
)


@pytest.fixture(scope="module")
def texts(seed_bodies) -> list[str]:
    return [*seed_bodies, *EDGE_CASES]


def windows(text: str) -> list[tuple[int, int]]:
    """Each sentence, the 100 characters before each word, and random cuts."""
    out = split_sentences(text) + [(0, len(text))]
    out += [(max(0, m.start() - 100), m.start()) for m in re.finditer(r"(?<= )\w", text)]
    rng = random.Random(len(text))
    for _ in range(200):
        a, b = sorted(rng.randrange(len(text) + 1) for _ in range(2))
        out.append((a, b))
    return out


def span(m: re.Match | None) -> tuple[int, int] | None:
    return m.span() if m else None


def test_generic_speaker_search(texts):
    for text in texts:
        for s, e in windows(text):
            plain = PLAIN_GENERIC_SPEAKER.search(text, s, e)
            assert span(GENERIC_SPEAKER.search(text, s, e)) == span(plain), text[s:e]
            assert span(_generic_speaker(text, s, e)) == span(plain), text[s:e]


def test_generic_speaker_then_cue(texts):
    plain = re.compile(PLAIN_GENERIC_SPEAKER.pattern.replace("{0,7} $", "{0,7}?") + r" (?P<cue>"
                       + _generic_then_cue().pattern.split(" (?P<cue>", 1)[1])
    for text in texts:
        for pos in range(len(text)):
            fast, slow = _generic_then_cue().match(text, pos), plain.match(text, pos)
            assert (fast and (fast.span(), fast.span("cue"))) == (slow and (slow.span(), slow.span("cue")))


def test_frames_are_matched_where_they_can_open_an_attribution(texts):
    """Matching the frames only in ``_frame_sentences`` loses none that can open an attribution."""
    frames = _frame_pattern()
    for text in texts:
        sentences = split_sentences(text)
        selected = _frame_sentences(text, sentences, [s for s, _ in sentences])
        every = frames.finditer_spans(text, sentences)
        for i, (s, e) in enumerate(sentences):
            opening = [m for m in every.get(i, []) if _opens_attribution(text, m.start(), s)]
            if i in selected:  # (a superset: an occurrence there may not be a match)
                assert [m for m in frames.finditer(text, s, e) if _opens_attribution(text, m.start(), s)] == opening
            else:
                assert opening == [], text[s:e]


def test_masked_sentences_are_those_inside_a_mask(texts):
    rng = random.Random(4)
    for text in texts:
        sentences = split_sentences(text)
        starts = [s for s, _ in sentences]
        for _ in range(50):
            masks = [tuple(sorted(rng.randrange(len(text) + 1) for _ in range(2))) for _ in range(rng.randint(0, 3))]
            masks += [sentences[rng.randrange(len(sentences))]] if sentences and rng.random() < 0.5 else []
            plain = {i for i, (s, e) in enumerate(sentences) if any(ms <= s and e <= me for ms, me in masks)}
            assert _masked(sentences, starts, masks) == plain


def test_speakers_starting_at_a_position():
    rng = random.Random(6)
    for _ in range(300):
        speakers = sorted((Speaker(None, s, s + rng.randint(0, 9), "") for s in
                           (rng.randrange(30) for _ in range(rng.randint(0, 12)))), key=lambda sp: sp.start)
        starts = [sp.start for sp in speakers]
        for pos in range(-1, 32):
            plain = [sp for sp in speakers if sp.start == pos]
            assert _starting_at(speakers, pos, starts) == plain == _starting_at(speakers, pos, None)


def test_enough_words_is_the_word_count(texts):
    rng = random.Random(2)
    noise = ["".join(rng.choice(["a", "bc", " ", "  ", "\t", "\n", "\u00a0", "\u3000", ",", "x"])
                     for _ in range(rng.randint(0, 14))) for _ in range(5000)]
    for text in noise + [w for text in texts for s, e in windows(text) for w in (text[s:e],)]:
        assert _enough_words(text) == (len(text.split()) >= MIN_WORDS), repr(text)


def test_weak_verb_needs_what_the_former_pattern_matched(texts):
    from pipelines.extract.quotes import _WEAK_NEEDS

    plain = re.compile(r"^(?: rằng|:|,)")
    for text in texts + [" rằng", " rằn", ":x", ", y", " , ", "rằng", " rằngx"]:
        for end in range(len(text) + 1):
            assert text.startswith(_WEAK_NEEDS, end) == bool(plain.match(text[end:end + 6])), (text, end)
