"""Is this Vietnamese? A cheap, explainable test over the words of a text.

Two plain measures, both reported in the rejection detail so a reader can check them:

- **Vietnamese letters**: the share of words holding a letter only Vietnamese uses
  (``ă đ ĩ ũ ơ ư`` and the tone-marked vowels ``ạ ả ấ ... ỹ`` of Unicode's Latin
  Extended Additional block). French, Spanish or German text has almost none.
- **Syllables**: the share of words that are well-formed Vietnamese syllables
  (onset + at most three vowels + one of the eight codas, at most one tone mark).
  English and other languages fail it on codas (``-nd``, ``-s``, ``-rk``) and on
  consonant clusters.

The same score ranks candidate decodings (UTF-8, Windows-1258, TCVN3, VNI, mojibake
repaired): a wrong decoding turns Vietnamese letters into symbols and broken words.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

# Letters that only Vietnamese writes (lower and upper case).
_VN_ONLY = frozenset("ăđĩũơưĂĐĨŨƠƯ" + "".join(chr(c) for c in range(0x1EA0, 0x1EFA)))
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # grave, acute, tilde, hook, dot below
_WORD = re.compile(r"[^\W\d_]+")
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?"
    r"[aăâeêioôơuưy]{1,3}"
    r"(?:ch|ng|nh|[cmnptk])?")  # k: minority place names (Đắk Lắk)

# Thresholds, tuned on the 3,706 real articles of ../shared/corpus/baomoi-2017: their lowest
# shares are 0.20 (Vietnamese letters, a football list of foreign names) and 0.50 (syllables, a
# phone review full of English product names). English, French, German and Spanish news
# sentences score 0.00 on Vietnamese letters. The syllable bar only stops symbol soup.
MIN_WORDS = 5
MIN_VN_LETTER_SHARE = 0.08
MIN_SYLLABLE_SHARE = 0.3
# A decoding is kept only if at most this share of words hold non-ASCII letters yet are no
# Vietnamese syllable (a wrong decoding breaks most accented words; the corpus articles reach 0.08).
MAX_BROKEN_SHARE = 0.1


@dataclass(frozen=True)
class LanguageScore:
    words: int  # letter-only words
    vn_letter_words: int  # Vietnamese syllables holding a Vietnamese-only letter
    syllable_words: int  # words that are well-formed Vietnamese syllables
    broken_words: int  # words with non-ASCII letters that are not Vietnamese syllables

    @property
    def vn_letter_share(self) -> float:
        return self.vn_letter_words / self.words if self.words else 0.0

    @property
    def syllable_share(self) -> float:
        return self.syllable_words / self.words if self.words else 0.0

    @property
    def fitness(self) -> int:
        """How well a decoding reads as Vietnamese: good accented syllables minus broken words."""
        return self.vn_letter_words + self.syllable_words - 3 * self.broken_words

    def is_vietnamese(self) -> bool:
        return (self.words >= MIN_WORDS and self.vn_letter_share >= MIN_VN_LETTER_SHARE
                and self.syllable_share >= MIN_SYLLABLE_SHARE)

    def reads_well(self) -> bool:
        """Vietnamese with few broken words: the test a candidate decoding must pass."""
        return self.is_vietnamese() and self.broken_words <= MAX_BROKEN_SHARE * self.words

    def explain(self) -> str:
        return (f"{self.words} words: {self.vn_letter_share:.0%} are syllables with a Vietnamese-only letter "
                f"(needs {MIN_VN_LETTER_SHARE:.0%}), {self.syllable_share:.0%} are Vietnamese syllables "
                f"(needs {MIN_SYLLABLE_SHARE:.0%})")


def _toneless(word: str) -> tuple[str, int]:
    """The word in lower case without tone marks (vowel marks kept), and its number of tone marks."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(1 for c in decomposed if c in _TONES)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES)), tones


def is_syllable(word: str) -> bool:
    """A well-formed Vietnamese syllable (any case, NFC), e.g. ``người``, ``Quốc``; not ``bank``."""
    base, tones = _toneless(word)
    return tones <= 1 and _SYLLABLE.fullmatch(base) is not None


@lru_cache(maxsize=65536)
def _classify(word: str) -> tuple[bool, bool, bool]:
    """(Vietnamese syllable, ... holding a Vietnamese-only letter, broken accented word); cached:
    a language has few distinct syllables, so almost every word is a cache hit."""
    ok = is_syllable(word)
    return ok, ok and any(c in _VN_ONLY for c in word), not ok and not word.isascii()


def score(text: str, limit: int = 4000) -> LanguageScore:
    """Score the first ``limit`` words of ``text`` (NFC expected; NFD is composed first)."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    found = _WORD.findall(text)[:limit]
    vn = syl = broken = 0
    for word, n in Counter(found).items():
        ok, vietnamese, bad = _classify(word)
        syl += n * ok
        vn += n * vietnamese
        broken += n * bad
    return LanguageScore(len(found), vn, syl, broken)
