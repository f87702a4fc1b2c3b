"""Text cleaning: NFC, whitespace, invisible characters and scraper line breaks.

The cleaned text is the article ``body``; every offset downstream indexes into it.
"""

from __future__ import annotations

import re
import unicodedata

from pipelines.text.chars import LOWER_LETTERS

# Zero-width and invisible format characters that scrapers leave behind.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a-\u202e]")
# Unicode spaces other than the plain space and the newline.
_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x0b\x0c]")
# Either of the two: scraped text rarely holds any, and one scan tells that both ``sub`` are no-ops.
_INVISIBLE_OR_SPACE = re.compile("[" + _INVISIBLE.pattern[1:-1] + _SPACES.pattern[1:-1] + "]")
_MULTISPACE = re.compile(" {2,}")
# "./." closes an article in Vietnamese wire copy; whatever is glued after it
# (usually a photo caption) starts a new line.
_END_MARK = re.compile(r"\./\.(?=\S)")
# The first characters of a line that continues the previous one: closing punctuation or a
# lowercase letter (a new paragraph never starts with either).
_CONTINUATION_FIRST = frozenset(",.;:!?)]”’…") | LOWER_LETTERS
_TERMINAL = tuple(".!?:;…”\")»")


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def clean_text(raw: str) -> str:
    """NFC, invisible characters removed, spaces collapsed, broken lines re-joined.

    Paragraphs stay one per line; runs of blank lines become one blank line.
    """
    text = unicodedata.normalize("NFC", raw)
    odd = _has_odd_characters(text)
    if odd:
        text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    if odd:
        text = _SPACES.sub(" ", text)
    if "./." in text:  # what ``_END_MARK`` opens with
        text = _END_MARK.sub("./.\n", text)
    lines: list[str] = []
    joined_prev = False  # the previous raw line ended in a space: a link was cut out there
    for raw_line in text.split("\n"):
        line = (_MULTISPACE.sub(" ", raw_line) if "  " in raw_line else raw_line).strip()
        if not line:
            if lines and lines[-1] != "":
                lines.append("")
            joined_prev = False
            continue
        if lines and lines[-1] and (joined_prev or (line[0] in _CONTINUATION_FIRST and not lines[-1].endswith(_TERMINAL))):
            sep = "" if line[0] in ",.;:!?)]”’…" else " "
            lines[-1] = lines[-1] + sep + line
        else:
            lines.append(line)
        joined_prev = raw_line.endswith(" ") and not line.endswith(_TERMINAL)
    while lines and lines[-1] == "":
        lines.pop()
    # NFC again where removing an invisible character can put a combining mark next to a new
    # base. Nothing else can: the lines of an NFC text, stripped, with single spaces, are joined
    # by a newline, a space or nothing before punctuation, none of which composes with a mark.
    body = "\n".join(lines)
    return unicodedata.normalize("NFC", body) if odd else body


def _has_odd_characters(text: str) -> bool:
    """``_INVISIBLE_OR_SPACE.search(text) is not None``. Every such character is unprintable,
    and most texts are printable but for their newlines: ``isprintable`` tells, without the
    regex's test of a character class at every position."""
    return not text.replace("\n", "").isprintable() and _INVISIBLE_OR_SPACE.search(text) is not None
