"""Legacy Vietnamese font encodings: TCVN3 (ABC, ``.VnTime``) and VNI (``VNI-Times``).

Documents typed with these fonts store Vietnamese letters as Latin-1 bytes that
only the font draws correctly: ``ViÖt Nam`` (TCVN3) and ``Vieät Nam`` (VNI) are
both *Việt Nam*. Such text reaches us either as raw 8-bit bytes or as UTF-8 holding
those Latin-1 characters (a Word document converted to "Unicode text"); both
arrive here as a ``str`` whose characters equal the legacy bytes.

The mapping tables are data: ``pipelines/lexicons/legacy_tcvn3.tsv`` and
``legacy_vni.tsv``. Nothing in a file says which font it was typed in, so
:func:`legacy_hints` counts each encoding's telltale characters, and the decoder
(``pipelines.text.decode``) keeps the conversion that reads best as Vietnamese.

TCVN3 (VN3) has no capital tone-marked vowels: typists switched to the
``.VnTimeH`` font, which draws the *lowercase* bytes as capitals. Plain text loses
the font, so :func:`decode_tcvn3` restores capitals where the text shows them:
at the start of a sentence, and inside all-capital words and lines.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache
from importlib import resources

# Bytes 0x80-0xFF as Windows-1252 characters, Latin-1 where 1252 leaves a hole: how
# 8-bit legacy text is read before its table is applied.
_CP1252 = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]
_8BIT = str.maketrans({b: _CP1252[b] for b in range(0x80, 0x100)})


def decode_8bit(data: bytes) -> str:
    """Raw single-byte text as Windows-1252 characters (never fails)."""
    return data.decode("latin-1").translate(_8BIT)


def _load(name: str) -> list[tuple[str, str, str]]:
    """Rows of a legacy table: (legacy characters, Unicode letter, note)."""
    rows = []
    text = resources.files("pipelines.lexicons").joinpath(name).read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        legacy = "".join(_CP1252[int(h, 16)] for h in fields[0].split())
        rows.append((legacy, fields[1], fields[2] if len(fields) > 2 else ""))
    return rows


@lru_cache(maxsize=1)
def tcvn3_table() -> dict[str, str]:
    return {legacy: letter for legacy, letter, _ in _load("legacy_tcvn3.tsv")}


@lru_cache(maxsize=1)
def vni_table() -> dict[str, str]:
    return {legacy: letter for legacy, letter, _ in _load("legacy_vni.tsv")}


@lru_cache(maxsize=1)
def _tcvn3_encoder() -> dict[str, str]:
    """Unicode -> TCVN3 character; capitals without a VN3 byte use the lowercase one (.VnTimeH)."""
    enc = {letter: legacy for legacy, letter, note in _load("legacy_tcvn3.tsv") if note != "upper-gap"}
    for letter, legacy in list(enc.items()):
        enc.setdefault(letter.upper(), legacy)
    return enc


@lru_cache(maxsize=1)
def _vni_encoder() -> dict[str, str]:
    return {letter: legacy for legacy, letter in vni_table().items()}


# --- detection ---------------------------------------------------------------

# TCVN3: ư (soft hyphen), the tone-marked a/e/o rows and đ/Đ, which in Latin-1 text are
# symbols or rare letters (µ ¶ · ¸ ¹ § ®); VNI: a vowel followed by a tone modifier.
_TCVN3_SIGNS = re.compile("[\u00ad\u00a7\u00ae\u00b5-\u00b9\u00bb-\u00be\u00c6-\u00cb\u00d5\u00d6\u00dc-\u00de"
                          "\u00e5-\u00ee\u00f5-\u00fe]")
_VNI_SIGNS = re.compile("[aeouyAEOUYôöÔÖ][øùûõïâáàåãäêéèúüëØÙÛÕÏÂÁÀÅÃÄÊÉÈÚÜË](?=[a-zA-Z]|\\b)|[ñÑ](?=[a-zA-Z])")


def legacy_hints(text: str) -> dict[str, int]:
    """How many characters look like TCVN3 and like VNI (a text with none is not legacy)."""
    return {"tcvn3": len(_TCVN3_SIGNS.findall(text)), "vni": len(_VNI_SIGNS.findall(text))}


# --- TCVN3 -------------------------------------------------------------------

_OPENERS = " \t“\"'‘([«-–"


def decode_tcvn3(text: str) -> str:
    """TCVN3 characters to Unicode (NFC), capitals restored at sentence starts and in all-capital words."""
    table = tcvn3_table()
    out: list[str] = []
    lowered: list[int] = []  # positions of letters from lowercase table entries (case unknown)
    for ch in text:
        letter = table.get(ch)
        if letter is None:
            out.append(ch)
            continue
        if letter.islower():
            lowered.append(len(out))
        out.append(letter)
    if lowered:
        _restore_capitals(out, lowered)
    return unicodedata.normalize("NFC", "".join(out))


def _restore_capitals(chars: list[str], lowered: list[int]) -> None:
    text = "".join(chars)  # one character per position: table letters are single code points
    unsure = set(lowered)
    newlines = [i for i, c in enumerate(text) if c == "\n"]
    caps_line: dict[int, bool] = {}  # line start -> the line's ASCII letters are all capitals

    def word_at(pos: int) -> tuple[int, int]:
        start = pos
        while start > 0 and chars[start - 1].isalpha():
            start -= 1
        end = pos
        while end < len(chars) and chars[end].isalpha():
            end += 1
        return start, end

    def capitals(start: int, end: int) -> int:
        """Known-case letters of the word if all are capitals, else -1."""
        known = [chars[i] for i in range(start, end) if i not in unsure]
        return len(known) if known and all(c.isupper() for c in known) else -1

    for pos in lowered:
        start, end = word_at(pos)
        line = bisect.bisect_right(newlines, pos)  # index of the line holding pos
        line_start = newlines[line - 1] + 1 if line else 0
        if line_start not in caps_line:
            line_end = newlines[line] if line < len(newlines) else len(text)
            line_ascii = [c for c in text[line_start:line_end] if c.isascii() and c.isalpha()]
            caps_line[line_start] = len(line_ascii) >= 4 and all(c.isupper() for c in line_ascii)
        own = capitals(start, end)
        if own >= 2 or caps_line[line_start] or (own == 1 and _caps_neighbour(text, start, end, word_at, capitals)):
            chars[pos] = chars[pos].upper()
        elif start == pos and _starts_sentence(text, pos):
            chars[pos] = chars[pos].upper()


def _caps_neighbour(text: str, start: int, end: int, word_at, capitals) -> bool:
    """The word before or after (on the same line) is written in capitals."""
    before = start - 1
    while before >= 0 and text[before] in " \t,-":
        before -= 1
    if before >= 0 and text[before].isalpha() and capitals(*word_at(before)) >= 2:
        return True
    after = end
    while after < len(text) and text[after] in " \t,-":
        after += 1
    return after < len(text) and text[after].isalpha() and capitals(*word_at(after)) >= 2


_CLOSERS = "”\"’')»]"


def _starts_sentence(text: str, pos: int) -> bool:
    """The word at ``pos`` opens the text, a line or a sentence (after ``. ! ? … :``)."""
    i = pos
    while i > 0 and text[i - 1] in _OPENERS:
        i -= 1
    if i == 0 or text[i - 1] == "\n":
        return True
    if i == pos or text[i] not in " \t":
        return False
    while i > 0 and text[i - 1] in _CLOSERS:
        i -= 1
    return i > 0 and text[i - 1] in ".!?…:"


def encode_tcvn3(text: str) -> bytes:
    """Unicode to TCVN3 bytes, as a .VnTime typist would store it (capital tone vowels in lowercase)."""
    enc = _tcvn3_encoder()
    out = []
    for ch in unicodedata.normalize("NFC", text):
        ch = enc.get(ch, ch)
        out.append(ch.encode("cp1252", errors="replace"))
    return b"".join(out)


# --- VNI ---------------------------------------------------------------------

def decode_vni(text: str) -> str:
    """VNI characters to Unicode (NFC): base letter + modifier pairs first, then single characters."""
    table = vni_table()
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if i + 1 < n:
            pair = ch + text[i + 1]
            letter = table.get(pair)
            if letter is None:
                # Typists mix the case of the modifier; the base letter decides the case.
                swapped = table.get(ch + text[i + 1].swapcase())
                if swapped is not None:
                    letter = swapped.upper() if ch.isupper() else swapped.lower()
            if letter is not None:
                out.append(letter)
                i += 2
                continue
        out.append(table.get(ch, ch))
        i += 1
    return unicodedata.normalize("NFC", "".join(out))


def encode_vni(text: str) -> bytes:
    """Unicode to VNI bytes."""
    enc = _vni_encoder()
    return b"".join(enc.get(ch, ch).encode("cp1252", errors="replace")
                    for ch in unicodedata.normalize("NFC", text))
