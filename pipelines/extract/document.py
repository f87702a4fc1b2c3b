"""``extract(body) -> Document``: the whole per-article extraction in one call."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from pipelines.extract import coref, lexicon
from pipelines.extract.events import find_events
from pipelines.extract.gazetteer import find_organizations, find_places
from pipelines.extract.model import Document, Mention, Span, by_start, by_start_end
from pipelines.extract.people import find_names, honorific_before
from pipelines.extract.quotes import Speaker, find_quotes
from pipelines.extract.titles import find_titles
from pipelines.text.chars import UPPER
from pipelines.text.clean import clean_text
from pipelines.text.layout import find_dateline, inside, lead_start, noncontent_spans, split_title
from pipelines.text.sentences import split_sentences

_CAP_BEFORE = re.compile(UPPER + r"\w* $")
_PROVINCE_UNIT = re.compile(r"^(?:tỉnh|thành phố|TP\.?|Tp\.?) ")


def _drop_name_parts(text: str, places: list[Span]) -> list[Span]:
    """A one-word place right after a capitalized word (``Nguyễn Minh Đức``) or an honorific
    (``anh Vinh``) is a name, not the place."""
    named = {p.surface for p in places if " " not in p.surface and honorific_before(text, p.start)}
    # Once "anh Vinh" is a person, a later bare "Vinh" in the article is him too.
    return [p for p in places if " " in p.surface or not (
        _CAP_BEFORE.search(text, max(0, p.start - 20), p.start) or p.surface in named)]


def extract(body: str, published: dt.date | None = None, *, clean: bool = False) -> Document:
    """Extract people, titles, organizations, places, quotes and events from one article.

    ``body`` is the normalized article text (see ``pipelines.text.clean``); pass
    ``clean=True`` to clean raw text first. All offsets index into the body.
    """
    if clean:
        body = clean_text(body)
    sentences = split_sentences(body)
    doc = Document(body=body, sentences=sentences)
    masks = noncontent_spans(body)
    title = split_title(body)
    _, dateline = find_dateline(body, title)
    if dateline:
        masks.append(dateline)
    places = _drop_name_parts(body, find_places(body))
    orgs = find_organizations(body, places)
    org_spans = [(o.start, o.end) for o in orgs]
    places = [p for p in places if not inside(org_spans, p.start, p.end)]
    titles = find_titles(body, orgs, places)
    hits = find_names(body, masks, [(s.start, s.end) for s in orgs + places], titles)
    people, refs = coref.resolve_names(hits)
    title_refs = coref.resolve_titles(body, titles, hits, people, refs)
    pronoun_refs = coref.resolve_pronouns(body, people, refs + title_refs, sentences)
    doc.people = people

    for ref in sorted(refs + title_refs, key=by_start):
        if not inside(masks, ref.start, ref.end):
            doc.mentions.append(Mention("person", ref.name, ref.surface, ref.start, ref.end, doc.sentence_of(ref.start)))
    full_org = _local_full_names([o.name for o in orgs if not inside(masks, o.start, o.end)])
    for span in orgs + places:
        if inside(masks, span.start, span.end):
            continue
        if span.kind == "organization":
            if span.name in full_org:
                span = dataclasses.replace(span, name=full_org[span.name])
            doc.organizations.setdefault(span.name, span.category)
        else:
            doc.locations.add(span.name)
        doc.mentions.append(Mention(span.kind, span.name, span.surface, span.start, span.end,
                                    doc.sentence_of(span.start)))
    doc.mentions.sort(key=by_start_end)
    # People mentioned only in credits and captions are dropped with their mentions.
    mentioned = {m.name for m in doc.mentions if m.kind == "person"}
    doc.people = {n: p for n, p in people.items() if n in mentioned}

    speakers = _speakers(body, hits, refs, title_refs, pronoun_refs, orgs, places, titles)
    doc.quotes = [q for q in find_quotes(body, sentences, speakers, masks)
                  if q.speaker_name is None or q.speaker_name in doc.people]
    doc.events = find_events(body, sentences, lead_start(body, title), title, doc.people,
                             [s for s in speakers if s.name in doc.people], orgs, places, doc.mentions, published)
    return doc


def _local_full_names(names: list[str]) -> dict[str, str]:
    """Short local names to the article's full one: ``UBND TP`` and ``Sở Y tế`` are
    ``UBND TP Hà Nội`` and ``Sở Y tế Hà Nội`` when the article names exactly one such body.
    Only a Vietnamese province or city may complete a name: ``Bộ Ngoại giao`` never
    becomes ``Bộ Ngoại giao Trung Quốc``."""
    provinces = lexicon.load("provinces")
    out = {}
    distinct = set(names)
    for short in distinct:
        prefix = short + " "
        longer = [n for n in distinct if n.startswith(prefix) and provinces.canon(
            _PROVINCE_UNIT.sub("", n[len(short) + 1:]))]
        if len(longer) == 1:
            out[short] = longer[0]
    return out


def _speakers(text, hits, refs, title_refs, pronoun_refs, orgs, places, titles) -> list[Speaker]:
    """Every phrase that can say something: people with their titles, and organizations."""
    out = []
    by_span = {(r.start, r.end): r for r in refs}
    for hit in hits:
        ref = by_span[(hit.start, hit.end)]
        # From the first title before the name to the last one after it (most have none).
        start, end = hit.start, hit.end
        for t in hit.titles:
            if t.end <= hit.start and t.start < start:
                start = t.start
            if t.start >= hit.end and t.end > end:
                end = t.end
        honorific = honorific_before(text, start)
        if honorific:
            start = honorific.start(1)
        out.append(Speaker(ref.name, start, end, text[start:end]))
    for ref in title_refs + pronoun_refs:
        out.append(Speaker(ref.name, ref.start, ref.end, ref.surface))
    for org in orgs:
        out.append(Speaker(None, org.start, org.end, org.surface))
    for place in places:  # "Trung Quốc cho rằng …": a state speaks
        if place.category == "country":
            out.append(Speaker(None, place.start, place.end, place.surface))
    # A title nobody in the article holds still names a speaker: "Người phát ngôn của MACC cho biết".
    resolved = {(r.start, r.end) for r in title_refs} | {(t.start, t.end) for h in hits for t in h.titles}
    org_at = {o.start: o for o in orgs}
    for t in titles:
        if not t.is_rank and (t.start, t.end) not in resolved and not coref.GENERIC_BEFORE.search(
                text, max(0, t.start - 8), t.start):
            end = t.end
            owner = org_at.get(t.end + 5) if text.startswith(" của ", t.end) else None
            if owner is not None:  # "Người phát ngôn của MACC"
                end = owner.end
            out.append(Speaker(None, t.start, end, text[t.start:end]))
    return sorted(out, key=by_start)
