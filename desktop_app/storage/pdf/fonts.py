"""The embedded serif face (Liberation Serif, metric-compatible with Times New Roman, SIL OFL).

Every string drawn goes through :func:`clean` (NFC): reportlab does no shaping, so decomposed
Vietnamese (base letter + combining marks) would print its marks on top of each other.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from ..bundle import resource_path

FAMILY = "TimesVN"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = FAMILY, f"{FAMILY}-Bold", f"{FAMILY}-Italic", f"{FAMILY}-BoldItalic"
FILES = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}


@lru_cache(maxsize=1)
def register_fonts() -> str:
    """Register the four faces once (and ``<b>``/``<i>`` in paragraphs); returns the family."""
    for name, file in FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file))))
    addMapping(FAMILY, 0, 0, REGULAR)
    addMapping(FAMILY, 1, 0, BOLD)
    addMapping(FAMILY, 0, 1, ITALIC)
    addMapping(FAMILY, 1, 1, BOLD_ITALIC)
    pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    return FAMILY


def clean(text: object) -> str:
    """NFC text without control characters (a stray tab or NUL from an import prints as a box)."""
    value = unicodedata.normalize("NFC", "" if text is None else str(text))
    return "".join(ch if ch == "\n" or unicodedata.category(ch)[0] != "C" else " " for ch in value)


def missing_glyphs(text: str, font: str = REGULAR) -> set[str]:
    """Characters of ``text`` the face has no glyph for (spaces and line breaks aside)."""
    register_fonts()
    face = pdfmetrics.getFont(font).face
    cmap = face.charToGlyph
    return {ch for ch in clean(text) if not ch.isspace() and ord(ch) not in cmap}
