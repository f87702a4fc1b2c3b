"""The fast forms of the people pass and of coreference give exactly what the plain forms they
replace give.

``find_names`` is checked against the plain pass kept here: every capitalized run, with the
blocked words found word by word, and the evidence for a lone word looked at only after it
has been made a candidate. Coreference is checked against its plain form the same way, and
``CAP_RUN`` and ``honorific_before`` against the patterns they stand for. The inputs are what
``extract`` hands ``find_names`` for the seed articles, for invented sentences with the cases
the fast forms single out, and for texts shuffled together from those sentences.
"""

from __future__ import annotations

import random
import re

import pytest

from pipelines.extract import coref, document, lexicon
from pipelines.extract.model import Person, by_start
from pipelines.extract.names import (CAP_RUN, CAP_WORD, foreign_name, is_vietnamese_syllable, short_forms,
                                     vietnamese_name)
from pipelines.extract.people import (_CAP_WORD_BEFORE, _TITLE_GAP, DESCRIBED, GENDER, HONORIFIC, HONORIFIC_WORDS,
                                      NAMING_NOUN, NUMBER_WORDS, RIGHT_TITLE, NameHit, _speech_verb_after,
                                      _vietnamese_windows, find_names, honorific_before)
from pipelines.text.layout import inside
from pipelines.text.sentences import split_sentences

SENTENCES = [
    "Bộ trưởng Lâm cho biết, ông Trump nói rằng Putin, Tổng thống Nga, sẽ đến.",
    "Theo Ông Trump, anh Vinh và chị Lan đã về. Vinh nói: “Tôi đồng ý”.",
    "Thủ tướng Malta, ông Joseph Muscat, Chủ tịch Hội đồng châu Âu cho biết.",
    "Tổng thống Nga khi đó là ông Dmitry Medvedev. Medvedev - Thủ tướng Nga phát biểu.",
    "Hai Bà Trưng, đường Nguyễn Huệ, Trường THPT Lê Quý Đôn và Tết Đinh Dậu.",
    "Bộ Ngoại giao Nguyễn Văn An cho biết; Sở Y tế Hà Nội Trần Thị Bình nhấn mạnh.",
    "Ông\nBa nói. ông \nTư hỏi. bà\nNăm. Cụ Sáu (Chủ tịch xã) kể lại. Ngài Tám.",
    "Sáng Bà Hai đến. Hai Ông Ba về. Theo Bà Lan, Tại Hà Nội Lê Văn Long cho hay.",
    "Dimitri Simes, một chuyên gia về Nga, nói. Simes cho rằng Kim Jong-un, ông Kim sẽ đi.",
    "Phó Thủ tướng Vương Đình Huệ, Ủy viên Bộ Chính trị, Trưởng Ban Kinh tế Trung ương. Huệ nói.",
    "Ảnh: Phạm Kiên. Theo TTXVN, Nguyễn Phú Trọng và Tô Lâm (Bộ trưởng Bộ Công an) đã gặp.",
    "Đại tướng Tô Lâm. Anh Tuấn, em Hoa, bạn Minh, cô Mai, chú Hùng, bác Ba, đồng chí Sơn.",
    "Geopolitical Monitor, Sea Watch và John Smith; x-Donald Trump; O'Neill Jong-un, A. B",
    "Giám đốc Sở Nguyễn Thị C- Phó Giám đốc. Mike Pence nói, ông Mike khẳng định.",
    "Ông Nguyễn Văn Nam đến sớm. Ông cho biết dự án chậm. Bà Lê Thị Lan nói bà sẽ về, ông bà con cháu.",
    "Tổng thống Pháp Hollande khuyến cáo Thủ tướng Anh Theresa May. Ông nói thêm rằng bà cần thận trọng.",
    "Bộ trưởng Bộ Công an Tô Lâm dự họp. Bộ trưởng nhấn mạnh, các Bộ trưởng khác đồng ý. Thủ tướng Nga nói.",
]


def _edge_texts() -> list[str]:
    rng = random.Random(13)
    shuffled = ["\n".join(rng.sample(SENTENCES, rng.randint(2, 6))) for _ in range(40)]
    cut = [s[: rng.randrange(len(s) + 1)] for s in SENTENCES for _ in range(3)]
    return SENTENCES + shuffled + cut + ["", "A", "Ông", "Ông A", " B"]


@pytest.fixture(scope="module")
def inputs(seed_bodies) -> list[tuple]:
    """The arguments ``extract`` passes to ``find_names`` for each text."""
    bodies = [*seed_bodies, *_edge_texts()]
    seen = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(document, "find_names", lambda *args: seen.append(args) or find_names(*args))
        for body in bodies:
            document.extract(body)
    return seen


# --- the plain people pass ----------------------------------------------------------------

def plain_free_runs(text, blocked):
    stop = lexicon.words("name_stopwords")
    mask = bytearray(len(text) + 1)
    for s, e in blocked:
        mask[s:e] = b"\x01" * (e - s)
    for run in CAP_RUN.finditer(text):
        words = run.group().split(" ")
        offsets, pos = [], run.start()
        for word in words:
            offsets.append(pos)
            pos += len(word) + 1
        stretches, i = [], -1
        for k, word in enumerate(words):
            if mask.find(1, offsets[k], offsets[k] + len(word)) < 0:
                i = k if i < 0 else i
            elif i >= 0:
                stretches.append((i, k))
                i = -1
        if i >= 0:
            stretches.append((i, len(words)))
        for i, j in stretches:
            gender = None
            first = words[i]
            if first in HONORIFIC_WORDS and i == 0:
                gender = GENDER.get(first.lower(), "?")
                i += 1
            elif first in stop:
                i += 1
                if i < j and words[i] in HONORIFIC_WORDS and first not in NUMBER_WORDS:
                    gender = GENDER.get(words[i].lower(), "?")
                    i += 1
            while i < j and words[i] in stop:
                i += 1
            if i < j:
                yield offsets[i:j], tuple(words[i:j]), gender


def plain_find_names(text, masks, blocked, titles):
    titles_by_end = {t.end: t for t in titles}
    titles_by_start = {t.start: t for t in titles}
    speech_positions = _speech_verb_after(text)
    candidates = []
    for offsets, words, run_gender in plain_free_runs(text, blocked + [(t.start, t.end) for t in titles]):
        start, end = offsets[0], offsets[-1] + len(words[-1])
        left_title = titles_by_end.get(start - 1)
        honorific = honorific_before(text, start)
        if honorific and honorific.group(1)[0].isupper() and _CAP_WORD_BEFORE.search(
                text, max(0, honorific.start() - 20), honorific.start()):
            honorific = None
        anchor = "title" if left_title else "honorific" if (honorific or run_gender) else None
        gender = GENDER.get(honorific.group(1).lower()) if honorific else (run_gender if run_gender != "?" else None)
        if anchor is None:
            right = RIGHT_TITLE.match(text, end)
            if right and right.end() in titles_by_start:
                anchor = "after_title"
        found = list(_vietnamese_windows(words)) if len(words) > 1 else []
        if not found and anchor is None and len(words) == 1 and end not in speech_positions:
            continue
        if not found and (foreign_name(words) or (anchor in ("title", "honorific") and len(words) <= 4
                                                  and all(is_vietnamese_syllable(w) for w in words))):
            found.append((0, len(words)))
        for a, b in found:
            s, e = offsets[a], offsets[b - 1] + len(words[b - 1])
            if inside(masks, s, e):
                continue
            hit_anchor = anchor if a == 0 else None
            if hit_anchor is None and NAMING_NOUN.search(text, max(0, s - 20), s):
                continue
            candidates.append(NameHit(s, e, text[s:e], hit_anchor, gender if a == 0 else None))
    hits = plain_with_evidence(text, candidates, speech_positions)
    plain_attach_titles(text, hits, titles_by_end, titles_by_start)
    return hits


def plain_with_evidence(text, candidates, speech_positions):
    anchored = {h.surface for h in candidates if h.anchor}
    full = {h.surface for h in candidates if len(h.tokens) >= 2}
    shorts = {form for n in full for form in short_forms(n)}
    anchored_shorts = {h.surface for h in candidates if h.anchor and len(h.tokens) == 1}
    hits = []
    for h in candidates:
        before_speech = h.end in speech_positions
        tokens = h.tokens
        if len(tokens) == 1:
            ok = h.anchor == "honorific" or (h.anchor and (not is_vietnamese_syllable(tokens[0]) or h.surface in shorts))
            ok = ok or (h.surface in anchored_shorts | shorts and before_speech)
        elif h.anchor or h.surface in anchored:
            ok = True
        elif not vietnamese_name(tokens):
            ok = bool(short_forms(h.surface) & anchored_shorts) or before_speech or bool(DESCRIBED.match(text, h.end))
        else:
            ok = bool(short_forms(h.surface) & anchored_shorts - {h.surface}) or before_speech
        if ok:
            hits.append(h)
    return hits


def plain_attach_titles(text, hits, titles_by_end, titles_by_start):
    starts = {h.start for h in hits}
    for hit in hits:
        chain = []
        t = titles_by_end.get(hit.start - 1)
        honorific = honorific_before(text, hit.start)
        if t is None and honorific:
            before = _TITLE_GAP.search(text[max(0, honorific.start(1) - 4):honorific.start(1)])
            if before:
                t = titles_by_end.get(honorific.start(1) - len(before.group()))
        while t is not None:
            chain.insert(0, t)
            t = titles_by_end.get(t.start - 2) if text[t.start - 2:t.start] == ", " else titles_by_end.get(t.start - 1)
        pos = hit.end
        while True:
            sep = RIGHT_TITLE.match(text, pos)
            if not sep:
                break
            t = titles_by_start.get(sep.end())
            if t is None or t.end + 1 in starts:
                break
            chain.append(t)
            pos = t.end + (1 if sep.group() == " (" and text[t.end:t.end + 1] == ")" else 0)
        hit.titles = chain


# --- the checks ---------------------------------------------------------------------------

def test_inputs_hold_the_cases(inputs):
    """The edge texts give people of every anchor, so that the comparison below means something."""
    anchors = {h.anchor for args in inputs for h in find_names(*args)}
    assert anchors == {"title", "honorific", "after_title", None}


def test_find_names_is_the_plain_pass(inputs):
    for text, masks, blocked, titles in inputs:
        assert find_names(text, masks, list(blocked), titles) == plain_find_names(text, masks, list(blocked), titles), text


def test_capitalized_runs_are_the_greedy_pattern(inputs):
    """``CAP_RUN``, with possessive quantifiers, finds the runs of the plain greedy pattern."""
    plain = re.compile(rf"(?<![\w&\-]){CAP_WORD}(?: {CAP_WORD})*")
    rng = random.Random(19)
    pieces = ["A", "Bà", "Đ", "x", "ở", "1", " ", "  ", "-", ".", "'", "’", "&", "_", "(", "\n", "Ông", "TP.", "HCM"]
    texts = [args[0] for args in inputs]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 16))) for _ in range(20000)]
    for text in texts:
        assert [m.span() for m in CAP_RUN.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_honorific_before_is_the_search_around_newlines():
    """``honorific_before`` looks at the two characters before a position (three before a
    newline); the search it stands for looks at the 16 before it."""
    texts = _edge_texts() + ["ông \nA", "bà\nB", " \nC", "\nD", "ông  E", "Ông \n\nF", "cụ \n", "x ông \n G"]
    for text in texts:
        for pos in range(len(text) + 1):
            fast, plain = honorific_before(text, pos), HONORIFIC.search(text, max(0, pos - 16), pos)
            assert (fast and fast.span(1)) == (plain and plain.span(1)), (text, pos)


# --- coreference ----------------------------------------------------------------------------

def plain_resolve_names(hits):
    full = [h.surface for h in hits if len(h.tokens) >= 2]
    canon_full = {n: n for n in full}
    for n in full:
        longer = [m for m in full if m != n and m.endswith(" " + n)]
        if longer:
            canon_full[n] = longer[0]
    people, refs = {}, []
    for hit in hits:
        name = canon_full.get(hit.surface)
        if name is None:
            before = [h for h in hits if h.start < hit.start and canon_full.get(h.surface)
                      and hit.surface in short_forms(canon_full[h.surface])]
            anywhere = [n for n in set(canon_full.values()) if hit.surface in short_forms(n)]
            name = canon_full[before[-1].surface] if before else (anywhere[0] if len(anywhere) == 1 else hit.surface)
        person = people.setdefault(name, Person(name))
        if hit.gender and not person.gender:
            person.gender = hit.gender
        for t in hit.titles:
            person.add_title(t.text, t.org)
        refs.append(coref.Reference(name, hit.start, hit.end, hit.surface, "name"))
    return people, refs


def plain_resolve_titles(text, titles, hits, people, refs):
    attached = {(t.start, t.end) for h in hits for t in h.titles}
    name_starts = {h.start for h in hits}
    out = []
    for t in titles:
        if t.is_rank or (t.start, t.end) in attached or t.end + 1 in name_starts:
            continue
        if coref.GENERIC_BEFORE.search(text, max(0, t.start - 8), t.start):
            continue
        if text[t.end:t.end + 1] == " " and text[t.end + 1:t.end + 2].isupper():
            continue
        holders = {n for n, p in people.items() if any(coref._same_title(t, title, org) for title, org in p.titles)}
        if not holders:
            continue
        before = [r for r in refs + out if r.name in holders and r.start < t.start]
        name = before[-1].name if before else (next(iter(holders)) if len(holders) == 1 else None)
        if name:
            out.append(coref.Reference(name, t.start, t.end, text[t.start:t.end], "title"))
            same_head = [title for title, _ in people[name].titles if t.head in title]
            if t.text != t.head and same_head == [t.head]:
                people[name].add_title(t.text, t.org)
    return out


def plain_resolve_pronouns(text, people, refs, sentences):
    out = []
    ordered = sorted(refs, key=by_start)
    starts = sorted(s for s, _ in sentences or [])
    for m in coref.PRONOUN.finditer(text):
        gender = "m" if m.group(1).lower() == "ông" else "f"
        candidates = [r for r in ordered if r.end <= m.start() and m.start() - r.end <= coref.PRONOUN_WINDOW
                      and people[r.name].gender in (gender, None)]
        if not candidates:
            continue
        chosen = candidates[-1]
        if m.start() in starts:
            k = starts.index(m.start())
            previous = [r for r in candidates if k > 0 and starts[k - 1] <= r.start < m.start()]
            if previous:
                chosen = previous[0]
        out.append(coref.Reference(chosen.name, m.start(), m.end(), m.group(1), "pronoun"))
    return out


def test_coreference_is_the_plain_resolution(inputs):
    found = {"title": 0, "pronoun": 0}
    for text, masks, blocked, titles in inputs:
        hits = find_names(text, masks, list(blocked), titles)
        sentences = split_sentences(text)
        people, refs = coref.resolve_names(hits)
        plain_people, plain_refs = plain_resolve_names(hits)
        assert (people, refs) == (plain_people, plain_refs), text
        title_refs = coref.resolve_titles(text, titles, hits, people, refs)
        assert title_refs == plain_resolve_titles(text, titles, hits, plain_people, plain_refs), text
        assert people == plain_people, text
        pronoun_refs = coref.resolve_pronouns(text, people, refs + title_refs, sentences)
        assert pronoun_refs == plain_resolve_pronouns(text, plain_people, plain_refs + title_refs, sentences), text
        found["title"] += len(title_refs)
        found["pronoun"] += len(pronoun_refs)
    assert min(found.values()) > 0, found  # the texts hold both kinds of reference


def test_pronouns_from_a_position_are_the_later_matches():
    """``_pronouns(text, pos)``: the matches of ``PRONOUN`` in the whole text that start at ``pos``
    or later (the boundary behind the first one may lie before ``pos``)."""
    rng = random.Random(29)
    texts = _edge_texts() + ["".join(rng.choice(["ông", "Ông", "bà", "Bà", " ", "x", "\n", "con", " ấy", " nói"])
                                     for _ in range(rng.randint(0, 10))) for _ in range(2000)]
    for text in texts:
        everywhere = [(m.span(), m.groups()) for m in coref.PRONOUN.finditer(text)]
        for pos in range(len(text) + 1):
            later = [(m.span(), m.groups()) for m in coref._pronouns(text, pos)]
            assert later == [found for found in everywhere if found[0][0] >= pos], (text, pos)
