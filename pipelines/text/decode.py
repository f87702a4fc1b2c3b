"""Bytes to Vietnamese text: BOMs, UTF-8/16/32, Windows-1258, TCVN3, VNI, mojibake, NFD.

:func:`decode_bytes` turns a file's bytes into NFC text and says how it read them
(``encoding``: ``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``windows-1258``, ``tcvn3``,
``vni``, or a UTF reading plus a repair such as ``utf-8+mojibake``), or gives a
rejection reason (``empty``, ``binary``, ``undecodable``). :func:`repair_text` does
the repairs for text that is already a ``str`` (a JSON field, an HTML page).

Nothing here decides whether text is Vietnamese enough to keep; it only uses
:mod:`pipelines.text.language` to choose between readings, keeping the one that
reads best as Vietnamese, and changes text that already reads as Vietnamese only
by composing it to NFC.
"""

from __future__ import annotations

import codecs
import unicodedata
from dataclasses import dataclass

from pipelines.text import language
from pipelines.text.legacy import decode_8bit, decode_tcvn3, decode_vni, legacy_hints

# Leading bytes of the binary formats people drop into an inbox by mistake.
BINARY_SIGNATURES: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document, which is one)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word/Excel 97-2003 document (save it as text)"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x7fELF", "a Linux executable"),
    (b"MZ", "a Windows executable"),
    (b"ID3", "an MP3 file"),
    (b"OggS", "an Ogg media file"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
]
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV sound file", b"AVI ": "an AVI video"}

_BOMS: list[tuple[bytes, str]] = [  # UTF-32 before UTF-16: its LE BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_TEXT_CONTROLS = frozenset(b"\t\n\r\x0b\x0c\x1a\x1b")
_SAMPLE = 65536  # bytes looked at by the cheap sniffing tests


@dataclass(frozen=True)
class Decoded:
    text: str | None  # NFC text, None when rejected
    encoding: str | None  # how the bytes were read (and repaired)
    reason: str | None = None  # rejection reason when ``text`` is None
    detail: str | None = None


def _reject(reason: str, detail: str) -> Decoded:
    return Decoded(None, None, reason, detail)


def sniff_binary(data: bytes) -> str | None:
    """What binary format ``data`` is, or None if it may be text."""
    for magic, kind in BINARY_SIGNATURES:
        if data.startswith(magic):
            return kind
    if data.startswith(b"RIFF") and data[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[data[8:12]]
    if data[4:8] == b"ftyp":
        return "an MP4/HEIF media file"
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 without a BOM: most ASCII characters leave a NUL in every other byte."""
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    share_even = even.count(0) / len(even)
    share_odd = odd.count(0) / len(odd)
    if share_odd > 0.3 and share_even < 0.05:
        return "utf-16-le"
    if share_even > 0.3 and share_odd < 0.05:
        return "utf-16-be"
    return None


def _from_bom(data: bytes, encoding: str) -> Decoded:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        return _reject("undecodable", f"starts with a {encoding.upper()} byte-order mark but is not valid "
                                      f"{encoding.upper()} at byte {exc.start}: {exc.reason}")
    return _finish(text.lstrip("\ufeff"), encoding)


def decode_bytes(data: bytes) -> Decoded:
    """Decode a file's bytes into NFC text, or say why they cannot be an article's text."""
    if not data.strip():
        return _reject("empty", "the file is empty or holds only whitespace")
    kind = sniff_binary(data)
    if kind:
        return _reject("binary", f"the file is {kind}, not text")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _from_bom(data, encoding)
    sample = data[:_SAMPLE]
    utf16 = _utf16_without_bom(sample)
    if utf16:
        try:
            return _finish(data.decode(utf16), utf16)
        except UnicodeDecodeError:
            pass
    if b"\x00" in sample:
        return _reject("binary", "the file holds NUL bytes: binary data, not text")
    controls = sum(1 for b in sample if b < 0x20 and b not in _TEXT_CONTROLS)
    if controls > 0.05 * len(sample):
        return _reject("binary", f"{controls} of its first {len(sample)} bytes are control codes: "
                                 "binary data, not text")
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
    return _decode_8bit(data, first_error)


def _decode_8bit(data: bytes, utf8_error: UnicodeDecodeError) -> Decoded:
    """Not UTF-8: UTF-8 with a few broken bytes, or a single-byte Vietnamese encoding."""
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    good = sum(1 for c in lenient if ord(c) > 0x7F) - bad
    if good >= 3 and good >= 2 * bad:
        return _reject("undecodable", f"UTF-8 text with {bad} invalid byte sequence(s), the first at byte "
                                      f"{utf8_error.start} ({utf8_error.reason}): the file is damaged")
    readings: list[tuple[str, str]] = []
    try:
        readings.append(("windows-1258", data.decode("cp1258")))
    except UnicodeDecodeError:
        pass
    latin = decode_8bit(data)
    hints = legacy_hints(latin)
    if hints["tcvn3"]:
        readings.append(("tcvn3", decode_tcvn3(latin)))
    if hints["vni"]:
        readings.append(("vni", decode_vni(latin)))
    scored = [(language.score(unicodedata.normalize("NFC", text)), enc, text) for enc, text in readings]
    scored = [s for s in scored if s[0].reads_well()]
    if scored:
        best = max(scored, key=lambda s: s[0].fitness)
        return _finish(best[2], best[1], repair=False)
    high = sum(1 for b in data if b > 0x7F)
    if high <= 0.1 * len(data):
        # Mostly ASCII with some Western letters: readable, just not Vietnamese (the caller says so).
        return _finish(latin, "windows-1252", repair=False)
    return _reject("undecodable", f"not UTF-8 (byte {utf8_error.start}: {utf8_error.reason}) and not "
                                  "Vietnamese in Windows-1258, TCVN3 or VNI either")


def _finish(text: str, encoding: str, repair: bool = True) -> Decoded:
    if not text.strip("\ufeff\u200b\u200c\u200d\u2060\u00ad \t\r\n"):
        return _reject("empty", "the file holds only whitespace or invisible characters")
    if repair:
        text, repaired = repair_text(text)
        if repaired:
            encoding = f"{encoding}+{repaired}"
    else:
        text = unicodedata.normalize("NFC", text)
    return Decoded(text, encoding)


# --- repairs of decoded text ---------------------------------------------------

_CP1252_SPECIALS = {ch: b for b in range(0x80, 0xA0) if (ch := bytes([b]).decode("cp1252", errors="ignore"))}


def _as_8bit(text: str) -> bytes | None:
    """The bytes a cp1252/Latin-1 reader turned into ``text``; None if ``text`` holds other characters."""
    out = bytearray()
    for ch in text:
        o = ord(ch)
        if o < 0x100:
            out.append(o)
        elif ch in _CP1252_SPECIALS:
            out.append(_CP1252_SPECIALS[ch])
        else:
            return None
    return bytes(out)


def fix_mojibake(text: str) -> str | None:
    """UTF-8 that was read as Windows-1252 or Latin-1 (``Viá»‡t`` -> ``Việt``), or None if it is not."""
    raw = _as_8bit(text)
    if raw is None or raw.isascii():
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def repair_text(text: str) -> tuple[str, str | None]:
    """NFC text, with mojibake or a legacy font encoding undone when that reads better as Vietnamese.

    Returns ``(text, repair)``; ``repair`` names what was done (``nfd``, ``mojibake``,
    ``tcvn3``, ``vni``) or is None.
    """
    nfc = unicodedata.normalize("NFC", text)
    label = None if nfc == text else "nfd"
    current = language.score(nfc)
    if current.is_vietnamese() or nfc.isascii():
        return nfc, label
    candidates: list[tuple[str, str]] = []
    fixed, rounds = nfc, 0
    while rounds < 3 and (step := fix_mojibake(fixed)) is not None:  # double-encoded text needs two rounds
        fixed, rounds = unicodedata.normalize("NFC", step), rounds + 1
        candidates.append(("mojibake", fixed))
    hints = legacy_hints(nfc)
    if hints["tcvn3"]:
        candidates.append(("tcvn3", decode_tcvn3(nfc)))
    if hints["vni"]:
        candidates.append(("vni", decode_vni(nfc)))
    best = None
    for name, candidate in candidates:
        cand_score = language.score(candidate)
        if cand_score.reads_well() and cand_score.fitness > current.fitness and (
                best is None or cand_score.fitness > best[0].fitness):
            best = (cand_score, name, candidate)
    if best is None:
        return nfc, label
    return best[2], best[1]


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def encode_windows_1258(text: str) -> bytes:
    """Unicode to Windows-1258 the way Windows stores it: base letter (with ^, breve or horn) + tone mark.

    The inverse of ``bytes.decode("cp1258")`` + NFC; used to make test inputs.
    """
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_MARKS))
        tones = "".join(c for c in parts if c in _TONE_MARKS)
        out += (base + tones).encode("cp1258", errors="replace")
    return bytes(out)
