"""The official layout of Nghị định 30/2020/NĐ-CP (Phụ lục I) for reportlab documents.

* A4 portrait, margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm (A5 slips: the same
  proportions shrunk so that the two-column header still fits).
* Header in two columns: left the cơ quan chủ quản (caps), the unit (bold caps) with a short
  rule under it, and "Số: …"; right the Quốc hiệu (bold caps), the tiêu ngữ (bold) with a rule as
  long as itself, and the italic "<địa danh>, ngày dd tháng mm năm yyyy".
* Page numbers from page 2, centred in the top margin.
* Signature block (quyền hạn, chức vụ, họ tên) on the right, "Nơi nhận" on the left.
* The end mark "./." after the last line of the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4, A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import LayoutError

from .fonts import BOLD, FAMILY, ITALIC, REGULAR, clean, register_fonts

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
END_MARK = "./."


def ended(text: str) -> str:
    """``text`` with the end mark "./." of ND30 after its last word (no doubled full stop)."""
    return text.rstrip().rstrip(".") + END_MARK


@dataclass(frozen=True)
class PageSpec:
    name: str
    size: tuple[float, float]
    top: float
    bottom: float
    left: float
    right: float
    body: float  # body text size (pt)
    header: float  # Quốc hiệu and unit name size
    table: float  # table text size
    title: float

    @property
    def width(self) -> float:
        return self.size[0] - self.left - self.right


PAGES = {
    "A4": PageSpec("A4", A4, 20 * mm, 20 * mm, 30 * mm, 15 * mm, body=13, header=12, table=10.5, title=14),
    "A5": PageSpec("A5", A5, 12 * mm, 12 * mm, 18 * mm, 10 * mm, body=10, header=8.5, table=8.5, title=11),
}


def page_spec(name: str) -> PageSpec:
    try:
        return PAGES[name.upper()]
    except KeyError:
        raise ValueError(f"page size must be A4 or A5, not {name!r}") from None


@dataclass(frozen=True)
class Letterhead:
    """The header's data: who issues the document, its number, where and when."""

    parent_agency: str
    unit_name: str
    number: str  # "Số: …/BC-UBND" — the text after "Số: "
    place_name: str
    day: date


@dataclass(frozen=True)
class Signature:
    authority: str  # "TM. ỦY BAN NHÂN DÂN" (may be empty)
    title: str  # "CHỦ TỊCH", "NGƯỜI TIẾP NHẬN"
    name: str
    note: str = ""  # "(Ký, ghi rõ họ tên)"


@dataclass
class Styles:
    spec: PageSpec
    body: ParagraphStyle = field(init=False)
    body_left: ParagraphStyle = field(init=False)
    heading: ParagraphStyle = field(init=False)
    title: ParagraphStyle = field(init=False)
    subtitle: ParagraphStyle = field(init=False)
    cell: ParagraphStyle = field(init=False)
    cell_center: ParagraphStyle = field(init=False)
    cell_right: ParagraphStyle = field(init=False)
    cell_head: ParagraphStyle = field(init=False)
    small: ParagraphStyle = field(init=False)
    center: ParagraphStyle = field(init=False)
    italic_center: ParagraphStyle = field(init=False)

    def __post_init__(self) -> None:
        register_fonts()
        s = self.spec
        lead = 1.25
        self.body = ParagraphStyle("body", fontName=REGULAR, fontSize=s.body, leading=s.body * lead,
                                   alignment=TA_JUSTIFY, firstLineIndent=s.body, spaceAfter=s.body * 0.3)
        self.body_left = ParagraphStyle("body_left", parent=self.body, alignment=TA_LEFT, firstLineIndent=0)
        self.heading = ParagraphStyle("heading", parent=self.body, fontName=BOLD, alignment=TA_LEFT,
                                      firstLineIndent=0, spaceBefore=s.body * 0.5, spaceAfter=s.body * 0.3)
        self.title = ParagraphStyle("title", fontName=BOLD, fontSize=s.title, leading=s.title * 1.25,
                                    alignment=TA_CENTER, spaceBefore=s.title * 0.8)
        self.subtitle = ParagraphStyle("subtitle", parent=self.title, spaceBefore=0, spaceAfter=s.title * 0.6)
        self.cell = ParagraphStyle("cell", fontName=REGULAR, fontSize=s.table, leading=s.table * 1.2)
        self.cell_center = ParagraphStyle("cell_center", parent=self.cell, alignment=TA_CENTER)
        self.cell_right = ParagraphStyle("cell_right", parent=self.cell, alignment=2)
        self.cell_head = ParagraphStyle("cell_head", parent=self.cell, fontName=BOLD, alignment=TA_CENTER)
        self.small = ParagraphStyle("small", fontName=REGULAR, fontSize=s.table, leading=s.table * 1.25)
        self.center = ParagraphStyle("center", parent=self.body, alignment=TA_CENTER, firstLineIndent=0)
        self.italic_center = ParagraphStyle("italic_center", parent=self.center, fontName=ITALIC)


def esc(text: object) -> str:
    """NFC text made safe for a reportlab Paragraph (its markup is XML-like)."""
    return clean(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")


def para(text: object, style: ParagraphStyle, markup: bool = False) -> Paragraph:
    return Paragraph(clean(text) if markup else esc(text), style)


class Rule(Flowable):
    """A horizontal line of ``length`` points, centred in the available width."""

    def __init__(self, length: float, thickness: float = 0.6, space: float = 2) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.space = space

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self._avail = available_width
        return available_width, self.space * 2 + self.thickness

    def draw(self) -> None:
        x = (self._avail - self.length) / 2
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x, self.space, x + self.length, self.space)


def vn_date_line(place: str, day: date) -> str:
    """"Phú Lạc, ngày 05 tháng 8 năm 2025" (ND30: day and month below 10 with a leading 0 for
    day < 10, month 1 and 2 with a leading 0)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    place = clean(place).strip() or "……"
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def header(letterhead: Letterhead, styles: Styles, width: float | None = None) -> Table:
    """The two-column header of ND30 (``width``: less than the text width when a QR code sits
    beside it); the Quốc hiệu column keeps the room its line needs."""
    spec = styles.spec
    size = spec.header
    width = spec.width if width is None else width
    right_width = max(width * 0.60, stringWidth(NATIONAL_TITLE, BOLD, size) + 6)
    left_width = width - right_width
    caps = ParagraphStyle("hl", fontName=REGULAR, fontSize=size, leading=size * 1.2, alignment=TA_CENTER)
    caps_bold = ParagraphStyle("hlb", parent=caps, fontName=BOLD)
    number = ParagraphStyle("hn", parent=caps, fontSize=size + 0.5, spaceBefore=size * 0.4)
    motto = ParagraphStyle("hm", parent=caps_bold, fontSize=size + 1, leading=(size + 1) * 1.2)
    date_style = ParagraphStyle("hd", parent=caps, fontName=ITALIC, fontSize=size + 1, spaceBefore=size * 0.5)
    unit = clean(letterhead.unit_name).upper()
    left: list[Flowable] = []
    if letterhead.parent_agency.strip():
        left.append(para(letterhead.parent_agency.upper(), caps))
    left.append(para(unit, caps_bold))
    unit_width = min(stringWidth(unit, BOLD, size), left_width - 8)
    left.append(Rule(max(unit_width / 2.5, 30)))
    if letterhead.number:
        left.append(para(f"Số: {letterhead.number}".replace("  ", "\u00a0 "), number))
    motto_width = stringWidth(MOTTO, BOLD, size + 1)
    right: list[Flowable] = [
        para(NATIONAL_TITLE, caps_bold),
        para(MOTTO, motto),
        Rule(motto_width),
        para(vn_date_line(letterhead.place_name, letterhead.day), date_style),
    ]
    table = Table([[left, right]], colWidths=[left_width, right_width])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # a Table sets its cell font even for Paragraphs
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def title_block(title: str, subtitle: str, styles: Styles) -> list[Flowable]:
    items: list[Flowable] = [para(title.upper(), styles.title)]
    if subtitle:
        items.append(para(subtitle, styles.subtitle))
    else:
        items.append(Spacer(1, styles.spec.title * 0.6))
    return items


def signature_block(signature: Signature, recipients: Sequence[str], styles: Styles,
                    left_signature: Signature | None = None) -> KeepTogether:
    """Nơi nhận (or a second signer) on the left, the signer on the right."""
    spec = styles.spec
    size = spec.header
    sign_title = ParagraphStyle("st", fontName=BOLD, fontSize=size + 1, leading=(size + 1) * 1.25,
                                alignment=TA_CENTER)
    sign_note = ParagraphStyle("sn", parent=sign_title, fontName=ITALIC, fontSize=size)
    sign_name = ParagraphStyle("sname", parent=sign_title, spaceBefore=size * 4.5)

    def signer(item: Signature) -> list[Flowable]:
        cells: list[Flowable] = []
        if item.authority:
            cells.append(para(item.authority.upper(), sign_title))
        cells.append(para(item.title.upper(), sign_title))
        if item.note:
            cells.append(para(item.note, sign_note))
        cells.append(para(item.name or " ", sign_name))
        return cells

    if left_signature is not None:
        left = signer(left_signature)
    elif not recipients:
        left = [Spacer(1, 1)]
    else:
        head = ParagraphStyle("nn", fontName=f"{FAMILY}-BoldItalic", fontSize=size, leading=size * 1.25)
        item = ParagraphStyle("nni", fontName=REGULAR, fontSize=size - 1, leading=(size - 1) * 1.25)
        left = [para("Nơi nhận:", head)]
        for index, line in enumerate(recipients):
            end = "." if index == len(recipients) - 1 else ";"
            left.append(para(f"- {clean(line).rstrip(';.')}{end}", item))
    table = Table([[left, signer(signature)]], colWidths=[spec.width * 0.45, spec.width * 0.55])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # a Table sets its cell font even for Paragraphs
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return KeepTogether([Spacer(1, spec.body * 0.8), table])


GRID = colors.Color(0.25, 0.25, 0.25)
HEAD_FILL = colors.Color(0.90, 0.90, 0.90)


def data_table(head: Sequence[str], rows: Sequence[Sequence[object]], widths: Sequence[float], styles: Styles,
               *, align: Sequence[str] | None = None, bold_last: bool = False) -> Table:
    """A ruled table whose header row repeats on every page; cells wrap."""
    by_align = {"l": styles.cell, "c": styles.cell_center, "r": styles.cell_right}
    align = align or ["l"] * len(head)
    data: list[list[object]] = [[para(h, styles.cell_head) for h in head]]
    for row in rows:
        data.append([para(value, by_align[align[i]]) for i, value in enumerate(row)])
    table = Table(data, colWidths=list(widths), repeatRows=1)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else the table names Helvetica (not embedded)
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if bold_last and rows:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), colors.Color(0.96, 0.96, 0.96)))
    table.setStyle(TableStyle(commands))
    return table


def build(stream: BinaryIO, story: list[Flowable], spec: PageSpec, *, title: str, author: str = "",
          first_page_extra=None) -> int:
    """Lay ``story`` out on pages of ``spec``; page numbers from page 2. Returns the page count."""
    register_fonts()
    pages = {"n": 0}

    def first(canvas, doc) -> None:
        canvas.setFont(REGULAR, spec.body)  # never the non-embedded Helvetica default
        pages["n"] = doc.page
        if first_page_extra is not None:
            first_page_extra(canvas, doc)

    def later(canvas, doc) -> None:
        pages["n"] = doc.page
        canvas.saveState()
        canvas.setFont(REGULAR, spec.body)
        canvas.drawCentredString(spec.left + spec.width / 2, spec.size[1] - spec.top / 2 - spec.body / 3,
                                 str(doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(
        stream, pagesize=spec.size, leftMargin=spec.left, rightMargin=spec.right, topMargin=spec.top,
        bottomMargin=spec.bottom, title=clean(title), author=clean(author), creator="Sổ Một Cửa",
        subject=clean(title), initialFontName=REGULAR, initialFontSize=spec.body,
    )
    try:
        doc.build(story, onFirstPage=first, onLaterPages=later)
    except LayoutError as error:  # a cell taller than a page: a bug in the caller's widths
        raise ValueError(f"PDF layout failed: {error}") from error
    return pages["n"]
