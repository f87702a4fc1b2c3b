"""Character classes for Vietnamese text in ``re`` patterns.

Python's ``re`` has no ``\\p{Lu}``, and a range such as ``À-Ỹ`` also holds
lowercase letters (``đ``, ``ở``), so the classes are spelled out once here.
"""

from __future__ import annotations


def _letters(predicate) -> str:
    chars = [chr(c) for c in range(0x41, 0x7B)] + [chr(c) for c in range(0xC0, 0x250)] + [
        chr(c) for c in range(0x1E00, 0x1F00)]
    return "".join(c for c in chars if c.isalpha() and predicate(c))


_UPPER = _letters(str.isupper)
_LOWER = _letters(str.islower)
UPPER = f"[{_UPPER}]"  # one uppercase letter (Latin, with Vietnamese diacritics)
LOWER = f"[{_LOWER}]"  # one lowercase letter
LOWER_LETTERS = frozenset(_LOWER)  # the letters of ``LOWER``, for a test of one character without a regex


def positions(text: str, chars: str) -> list[int]:
    """The positions in ``text`` of each of ``chars``, sorted. ``str.find`` jumps from one
    occurrence to the next; a regex character class would be tried at every character."""
    out = []
    for ch in chars:
        i = text.find(ch)
        while i >= 0:
            out.append(i)
            i = text.find(ch, i + 1)
    out.sort()
    return out
