"""The counter slips (TT 01/2018/TT-VPCP forms, kept by TT 03/2025) as PDFs, from plain data.

The service (:mod:`desktop_app.services.slips`) decides what each slip says; this module lays it
out: the Nghị định 30 header (with the QR code of the mã hồ sơ in the top-left corner of the
receipt), the title and the mã hồ sơ, the body (paragraphs, "label: value" lines, the
components table), the signatures and Nơi nhận. A4 or A5.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from . import layout
from .fonts import BOLD, REGULAR, clean
from .output import write_atomically

QR_SIZE_MM = {"A4": 22.0, "A5": 17.0}


@dataclass(frozen=True)
class Para:
    text: str
    indent: bool = True  # first-line indent, justified (body text)


@dataclass(frozen=True)
class FieldLine:
    label: str
    value: str


@dataclass(frozen=True)
class Grid:
    head: list[str]
    rows: list[list[str]]
    widths: list[float]  # fractions of the text width
    align: str


Block = Para | FieldLine | Grid


@dataclass
class SlipData:
    kind: str
    letterhead: layout.Letterhead
    title: str
    code: str  # mã hồ sơ, printed under the title (and in the QR code when ``qr``)
    blocks: list[Block]
    signer: layout.Signature
    left_signer: layout.Signature | None = None
    recipients: list[str] = field(default_factory=list)
    qr: bool = False
    subtitle: str = ""
    page_size: str = "A4"


def qr_drawing(value: str, size: float) -> Drawing:
    """The QR code of ``value`` (reportlab's own widget), ``size`` points square with its quiet zone."""
    widget = QrCodeWidget(value, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    width, height = x1 - x0, y1 - y0
    drawing = Drawing(size, size, transform=[size / width, 0, 0, size / height, -x0 * size / width,
                                             -y0 * size / height])
    drawing.initialFontName = REGULAR
    drawing.add(widget)
    return drawing


def _header(data: SlipData, styles: layout.Styles) -> Flowable:
    head = layout.header(data.letterhead, styles)
    if not data.qr:
        return head
    spec = styles.spec
    size = QR_SIZE_MM[spec.name] * 72 / 25.4
    # the QR in the top-left corner, the header's two columns beside it (narrower left column)
    inner = layout.header(data.letterhead, styles, width=spec.width - size - 4)
    table = Table([[qr_drawing(data.code, size), inner]], colWidths=[size + 4, spec.width - size - 4])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def story_of(data: SlipData, styles: layout.Styles) -> list[Flowable]:
    spec = styles.spec
    story: list[Flowable] = [_header(data, styles)]
    story += layout.title_block(data.title, data.subtitle, styles)
    code_style = ParagraphStyle("code", parent=styles.center, fontName=BOLD, spaceAfter=spec.body * 0.6)
    story.append(layout.para(f"Mã hồ sơ: {data.code}", code_style))
    field_style = ParagraphStyle("field", parent=styles.body_left, spaceAfter=spec.body * 0.15)
    for block in data.blocks:
        if isinstance(block, Para):
            story.append(layout.para(block.text, styles.body if block.indent else styles.body_left))
        elif isinstance(block, FieldLine):
            text = f"{layout.esc(block.label)}: <b>{layout.esc(block.value)}</b>" if block.value else \
                layout.esc(block.label)
            story.append(layout.para(text, field_style, markup=True))
        else:
            story.append(layout.data_table(block.head, block.rows, [spec.width * w for w in block.widths], styles,
                                           align=block.align))
            story.append(Spacer(1, spec.body * 0.4))
    story.append(layout.signature_block(data.signer, data.recipients, styles, left_signature=data.left_signer))
    return story


def render(data: SlipData, stream: BinaryIO) -> int:
    styles = layout.Styles(layout.page_spec(data.page_size))
    return layout.build(stream, story_of(data, styles), styles.spec, title=f"{data.title} {data.code}",
                        author=data.letterhead.unit_name)


def slip_bytes(data: SlipData) -> bytes:
    buffer = BytesIO()
    render(data, buffer)
    return buffer.getvalue()


def write_slip_pdf(data: SlipData, out: Path) -> Path:
    """Write the slip to ``out`` (whole or not at all); returns ``out``."""
    return write_atomically(out, lambda stream: render(data, stream))


__all__ = ["Block", "FieldLine", "Grid", "Para", "SlipData", "clean", "qr_drawing", "render", "slip_bytes",
           "write_slip_pdf"]
