"""Personal names: capitalized runs, Vietnamese syllable shape, surname evidence.

A Vietnamese personal name is 2 to 4 capitalized syllables that starts with a
family name (``Nguyễn Phú Trọng``); a foreign name is 1 to 3 capitalized words
that do not look like Vietnamese syllables (``Donald Trump``, ``Thongloun
Sisoulith``). Capitalized runs also hold titles, organizations and places;
the extractor strips those before it calls these helpers.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pipelines.extract import lexicon
from pipelines.text.chars import UPPER

# A capitalized word: a capital, then letters, digits, joiners (Jong-un, O'Neill, GD&ĐT, TP.HCM).
_CAP_WORD_REST = r"[\w'’&]*(?:[-.][\w'’&]+)*"
CAP_WORD = UPPER + _CAP_WORD_REST
# Runs of capitalized words separated by single spaces, not glued to a word on the left.
# The capital comes first and the left boundary is checked behind it, ``(?<![\w&\-].)``:
# a pattern that opens with a character class lets ``re`` skip ahead to the next capital,
# where one that opens with the lookbehind is tried at every position (twice as slow).
# The quantifiers are possessive (``*+``): what follows each one can never match a character
# it took (``[\w'’&]`` holds neither a joiner nor a space, and a joiner or a space must be
# followed by more of the run), so giving characters back never helps; ``re`` then need not
# keep the places to backtrack to, which makes the scan some 10% cheaper. The matches are
# those of ``CAP_WORD(?: CAP_WORD)*``.
_CAP_WORD_REST_POSSESSIVE = r"[\w'’&]*+(?:[-.][\w'’&]++)*+"
CAP_RUN = re.compile(rf"{UPPER}(?<![\w&\-].){_CAP_WORD_REST_POSSESSIVE}(?: {UPPER}{_CAP_WORD_REST_POSSESSIVE})*+")
WORD = re.compile(r"[\w'’&]+(?:[-.][\w'’&]+)*")

_ONSET = "(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
_NUCLEUS = "[aăâeêioôơuưy]{1,3}"
_CODA = "(?:ng|nh|ch|c|m|n|p|t)?"
_SYLLABLE = re.compile(f"^{_ONSET}{_NUCLEUS}{_CODA}$")
_VIETNAMESE_MARKS = set("ăâđêôơư")


@lru_cache(maxsize=65536)
def strip_tones(word: str) -> str:
    """Lowercase ``word`` without tone marks but with the Vietnamese vowel letters kept."""
    out = []
    for ch in unicodedata.normalize("NFD", word.lower()):
        if unicodedata.combining(ch) and ch not in ("\u0306", "\u0302", "\u031b"):  # keep breve, circumflex, horn
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def to_ascii(text: str) -> str:
    """Diacritics removed (``Tô Lâm`` -> ``To Lam``), for search."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Does ``word`` have the shape of one Vietnamese syllable?"""
    if not word or not word.isalpha():
        return False
    return bool(_SYLLABLE.match(strip_tones(word)))


@lru_cache(maxsize=65536)
def has_vietnamese_marks(word: str) -> bool:
    bare = strip_tones(word)
    return any(c in _VIETNAMESE_MARKS for c in bare) or bare != to_ascii(word).lower()


@lru_cache(maxsize=65536)
def is_surname(word: str) -> bool:
    return word in lexicon.words("surnames")


def vietnamese_name(tokens: list[str]) -> bool:
    """2-4 syllables, each of Vietnamese shape, the first a known family name."""
    return (2 <= len(tokens) <= 4 and is_surname(tokens[0])
            and all(t[:1].isupper() and is_vietnamese_syllable(t) for t in tokens))


def foreign_name(tokens: list[str] | tuple[str, ...]) -> bool:
    """1-3 capitalized words, at least one of which is not a Vietnamese syllable."""
    return _foreign_name(tuple(tokens))


@lru_cache(maxsize=65536)
def _foreign_name(tokens: tuple[str, ...]) -> bool:
    """``foreign_name``, cached: the same runs of words recur in article after article."""
    if not 1 <= len(tokens) <= 3:
        return False
    kinds = [_foreign_name_word(t) for t in tokens]
    return _NOT_IN_NAME not in kinds and _NOT_VIETNAMESE in kinds


_NOT_IN_NAME, _VIETNAMESE, _NOT_VIETNAMESE = 0, 1, 2


@lru_cache(maxsize=65536)
def _foreign_name_word(t: str) -> int:
    """What one word brings to ``foreign_name`` (cached: the same words recur in every article)."""
    if not t[:1].isupper() or any(c.isdigit() for c in t) or t.isupper() and len(t) > 1:
        return _NOT_IN_NAME
    if t in lexicon.words("foreign_org_words"):
        return _NOT_IN_NAME  # "Geopolitical Monitor", "Sea Watch": a body, not a person
    if not is_vietnamese_syllable(t.replace("-", "")) and not has_vietnamese_marks(t):
        return _NOT_VIETNAMESE
    return _VIETNAMESE


@lru_cache(maxsize=65536)
def short_forms(name: str) -> frozenset[str]:
    """How a person may be referred to later by name alone.

    Vietnamese names shorten to the given name (``Lê Đông Phong`` -> ``Phong``)
    or the last two syllables; foreign names to the family name
    (``Donald Trump`` -> ``Trump``).
    """
    tokens = name.split()
    forms = {name}
    if len(tokens) >= 2:
        forms.add(tokens[-1])
        if len(tokens) >= 3:
            forms.add(" ".join(tokens[-2:]))
        if "-" in tokens[-1]:  # Korean order: "Kim Jong-un" is "ông Kim"
            forms.add(tokens[0])
        if not vietnamese_name(tokens):  # "ông Mike" for Mike Pence, now and then
            forms.add(tokens[0])
    return frozenset(forms)
