"""Within-article coreference: short names, bare titles and pronouns to people.

- A full name (two words or more) is a person. A later short form
  (``ông Phong``, ``ông Trump``) maps to the person whose name ends with it.
- A title without a name (``Bộ trưởng``, ``Thứ trưởng Bộ Ngoại giao``) maps to
  the person last mentioned before it who holds a title with that head (and
  that organization, when the reference names one).
- ``ông`` / ``bà`` used as pronouns map to the last person mentioned of a
  compatible gender, within a few sentences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipelines.extract.model import Person, by_start
from pipelines.extract.names import short_forms
from pipelines.extract.people import NameHit
from pipelines.extract.titles import TitlePhrase
from pipelines.text.chars import LOWER

# Words that make a title generic or plural: "các Bộ trưởng", "một Thứ trưởng".
GENERIC_BEFORE = re.compile(r"(?:các|những|nhiều|một|mọi|hai|ba|vài|mấy|cả|vị|là|làm|cho|với|và|của) $", re.IGNORECASE)
# "ông" / "bà" (also capitalized) as a word, before a lowercase word that does not make them
# part of a noun ("ông bà", "bà con"). The pattern opens with the first letter and checks the
# left boundary behind it, ``(?<!\w.)``, so that ``re`` skips from one candidate letter to
# the next instead of trying a lookbehind at every position. (The definition: ``_pronouns``
# finds its matches faster, word by word.)
_PRONOUN_AFTER = r"(?= (?!con\b|ấy\b|ta\b|bà\b|ông\b|cháu\b|chủ\b|nội\b|ngoại\b)" + LOWER + ")"
PRONOUN = re.compile(r"([ôÔbB](?<!\w.)(?:(?<=[ôÔ])ng|(?<=[bB])à))" + _PRONOUN_AFTER)
PRONOUN_WINDOW = 600  # characters: a pronoun refers to someone named shortly before it
_PRONOUN_WORDS = ("ông", "Ông", "bà", "Bà")  # what ``PRONOUN`` matches
# ``PRONOUN`` for one of its words: a pattern that opens with a literal word is looked for
# the way ``str.find`` looks for it, and the boundary behind it and the word after it are
# then tested in C (most "ông" close "không", "công", "đông").
_PRONOUN_SCANS = tuple(re.compile(rf"({word})(?<!\w{word})" + _PRONOUN_AFTER) for word in _PRONOUN_WORDS)


def _pronouns(text: str, pos: int = 0) -> list[re.Match]:
    """``PRONOUN.finditer(text, pos)``, word by word: a scan of every character for ``[ôÔbB]``
    costs more. (Two matches never overlap, so the matches of the four words, in order, are
    the scan's.)"""
    found = [m for scan in _PRONOUN_SCANS for m in scan.finditer(text, pos)]
    found.sort(key=lambda m: m.start())
    return found


@dataclass(slots=True)  # not frozen: see ``model.Span``
class Reference:
    """A resolved mention of a person: a name, a bare title or a pronoun."""

    name: str
    start: int
    end: int
    surface: str
    via: str  # "name", "title", "pronoun"


def resolve_names(hits: list[NameHit]) -> tuple[dict[str, Person], list[Reference]]:
    """People of the article and one reference per name hit."""
    full = [h.surface for h in hits if " " in h.surface]  # two words or more (see ``NameHit.surface``)
    # A two-word hit that ends a longer name ("Xuân Phúc") is that longer name.
    canon_full = {n: n for n in full}
    for n in full:
        longer = [m for m in full if m != n and m.endswith(" " + n)]
        if longer:
            canon_full[n] = longer[0]
    people: dict[str, Person] = {}
    refs: list[Reference] = []
    for hit in hits:
        name = canon_full.get(hit.surface)
        if name is None:
            before = [h for h in hits if h.start < hit.start and canon_full.get(h.surface)
                      and hit.surface in short_forms(canon_full[h.surface])]
            if before:
                name = canon_full[before[-1].surface]
            else:
                anywhere = [n for n in set(canon_full.values()) if hit.surface in short_forms(n)]
                name = anywhere[0] if len(anywhere) == 1 else hit.surface
        person = people.get(name)
        if person is None:
            person = people[name] = Person(name)
        if hit.gender and not person.gender:
            person.gender = hit.gender
        for t in hit.titles:
            person.add_title(t.text, t.org)
        refs.append(Reference(name, hit.start, hit.end, hit.surface, "name"))
    return people, refs


def resolve_titles(text: str, titles: list[TitlePhrase], hits: list[NameHit], people: dict[str, Person],
                   refs: list[Reference]) -> list[Reference]:
    """References made by a title alone (``Bộ trưởng nhấn mạnh``)."""
    if not any(p.titles for p in people.values()):
        return []  # no title can refer to anyone: a title refers only to a person who holds one
    attached = {(t.start, t.end) for h in hits for t in h.titles}
    name_starts = {h.start for h in hits}
    out = []
    for t in titles:
        if t.is_rank or (t.start, t.end) in attached or t.end + 1 in name_starts:
            continue
        if GENERIC_BEFORE.search(text, max(0, t.start - 8), t.start):
            continue
        if text[t.end:t.end + 1] == " " and text[t.end + 1:t.end + 2].isupper():
            continue  # followed by a capitalized word that was not a name: not a reference
        holders = {n for n, p in people.items()
                   if any(t.head in title and _same_title(t, title, org) for title, org in p.titles)}
        if not holders:
            continue
        before = [r for r in refs + out if r.name in holders and r.start < t.start]
        name = before[-1].name if before else (next(iter(holders)) if len(holders) == 1 else None)
        if name:
            out.append(Reference(name, t.start, t.end, text[t.start:t.end], "title"))
            # "Theo Ngoại trưởng Nga, …" also tells his title when it only sharpens a bare one
            # he holds; a position the article never gave him is not added on a guess.
            same_head = [title for title, _ in people[name].titles if t.head in title]
            if t.text != t.head and same_head == [t.head]:
                people[name].add_title(t.text, t.org)
    return out


def _same_title(ref: TitlePhrase, title: str, org: str | None) -> bool:
    """Does ``title`` (held by a person, of ``org``) match the bare title ``ref``? Only a title
    that holds ``ref.head`` can (callers test that first, cheaply)."""
    head = ref.head
    if not (title == head or title.startswith(head + " ") or f" {head}" in title and ref.text in title):
        return False
    if title.startswith(("Phó ", "phó ")) != ref.text.startswith(("Phó ", "phó ")):
        return False
    complement = ref.text[ref.text.find(ref.head) + len(ref.head):].strip()
    if complement and ref.org is None and complement not in title and title != head:
        return False  # "Tổng thống Pháp" is not the holder of "Tổng thống Mỹ"; "Chủ tịch Hà Nội" is
        # the holder of "Chủ tịch UBND TP Hà Nội"
    return ref.org is None or ref.org == org or ref.text in title


def resolve_pronouns(text: str, people: dict[str, Person], refs: list[Reference],
                     sentences: list[tuple[int, int]] | None = None) -> list[Reference]:
    """References made by ``ông`` / ``bà`` used as pronouns.

    Mid-sentence, the pronoun is the last compatible person named before it. Opening a
    sentence (``Ông nói: …``), it continues the previous sentence's subject: the first
    compatible person named there, not its object (``Hollande khuyến cáo Thủ tướng May.
    Ông nói …`` is Hollande).
    """
    if not refs:
        return []  # a pronoun refers to someone named before it: none before the first reference
    pronouns = _pronouns(text, min(r.end for r in refs))
    if not pronouns:
        return []
    out = []
    ordered = sorted(refs, key=by_start)
    starts = sorted([s for s, _ in sentences or []])
    for m in pronouns:
        gender = "m" if m.group(1).lower() == "ông" else "f"
        candidates = [r for r in ordered if r.end <= m.start() and m.start() - r.end <= PRONOUN_WINDOW
                      and people[r.name].gender in (gender, None)]
        if not candidates:
            continue
        chosen = candidates[-1]
        if m.start() in starts:
            k = starts.index(m.start())
            previous = [r for r in candidates if k > 0 and starts[k - 1] <= r.start < m.start()]
            if previous:
                chosen = previous[0]
        out.append(Reference(chosen.name, m.start(), m.end(), m.group(1), "pronoun"))
    return out
