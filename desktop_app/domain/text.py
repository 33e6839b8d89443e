"""Vietnamese text helpers: diacritic-insensitive folding and alphabetical sort keys."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str | None) -> str:
    """Lower-case text without diacritics, đ→d, spaces collapsed: "Đặng  Thị Ánh" → "dang thi anh".

    ``đ`` has no Unicode decomposition, so it is mapped by hand before stripping marks (with its
    look-alike ``ð``/``Ð`` found in badly converted old text).
    """
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D").replace("ð", "d").replace("Ð", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped).strip().lower()


# Base letters in Vietnamese alphabetical order; letters not listed sort after by code point.
_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# Tone marks, in the order the CLDR collation for Vietnamese uses: ngang < huyền < hỏi < ngã < sắc < nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Marks that make a separate letter (ă â ê ô ơ ư).
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}


def _split_letter(ch: str) -> tuple[str, int]:
    """Base letter (with its letter-forming mark) and tone rank of one lower-case character."""
    if ch == "đ":
        return "đ", 0
    decomposed = unicodedata.normalize("NFD", ch)
    base, tone = decomposed[0], 0
    for mark in decomposed[1:]:
        if mark in _LETTER_MARKS:
            base = unicodedata.normalize("NFC", base + mark)
        elif mark in _TONE_RANK:
            tone = _TONE_RANK[mark]
    return base, tone


def sort_key(text: str | None) -> tuple:
    """Key that orders strings as a Vietnamese list does: A Ă Â B C D Đ E Ê … then tones.

    Letters compare first (primary), tones only break ties (secondary), case last.
    """
    if not text:
        return ((), (), ())
    text = _SPACES.sub(" ", nfc(text)).strip()
    letters, tones, cases = [], [], []
    for ch in text:
        lower = ch.lower()
        base, tone = _split_letter(lower)
        letters.append(_LETTER_RANK.get(base, 1000 + ord(base[0])) if base != " " else -1)
        tones.append(tone)
        cases.append(0 if ch == lower else 1)
    return tuple(letters), tuple(tones), tuple(cases)


def given_name_sort_key(full_name: str | None) -> tuple:
    """Vietnamese lists sort people by given name (last word), then by the full name."""
    name = (full_name or "").strip()
    given = name.rsplit(" ", 1)[-1] if name else ""
    return sort_key(given), sort_key(name)
