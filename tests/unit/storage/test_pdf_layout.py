"""The official layout of the PDFs (Nghị định 30/2020): embedded Vietnamese font, header,
margins, page numbers from page 2, and files written whole or not at all."""

from __future__ import annotations

import errno
import os
import re
import subprocess
import unicodedata
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from desktop_app.storage.errors import UserFixableError
from desktop_app.storage.pdf import layout
from desktop_app.storage.pdf.fonts import BOLD, BOLD_ITALIC, ITALIC, REGULAR, clean, missing_glyphs
from desktop_app.storage.pdf.output import write_atomically
from desktop_app.storage.pdf.slips import (
    FieldLine,
    Grid,
    Para,
    SlipData,
    slip_bytes,
    write_slip_pdf,
)
from desktop_app.storage.pdf.weekly_report import (
    ActionRow,
    GroupRow,
    OfficerRow,
    RateRow,
    ReportData,
    WeekColumn,
    write_report_pdf,
)

VIETNAMESE = ("aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"
              "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ")
LETTERHEAD = layout.Letterhead("UBND huyện Đại Từ", "UBND xã Phú Lạc", "  /BC-UBND", "Phú Lạc", date(2026, 2, 13))


def text_of(path: Path, *pages: int) -> str:
    args = ["pdftotext", "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run([*args, str(path), "-"], capture_output=True, check=True, encoding="utf-8").stdout


def fonts_of(path: Path) -> dict[str, object]:
    """Every font the pages use (also inside form XObjects), by base name."""
    found: dict[str, object] = {}

    def walk(resources) -> None:
        if resources is None:
            return
        resources = resources.get_object()
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            found[str(font["/BaseFont"])] = font
        for xobject in (resources.get("/XObject") or {}).values():
            walk(xobject.get_object().get("/Resources"))

    for page in PdfReader(str(path)).pages:
        walk(page.get("/Resources"))
    return found


def assert_all_fonts_embedded(path: Path) -> None:
    fonts = fonts_of(path)
    assert fonts, "no font at all"
    for name, font in fonts.items():
        if font.get("/Subtype") == "/Type0":
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, f"{name} has no font descriptor (a standard, non-embedded font)"
        assert "/FontFile2" in descriptor.get_object(), f"{name} is not embedded as TrueType"
        assert "LiberationSerif" in name


def report_data(rows: int = 3, actions: int = 3, weeks: int = 4) -> ReportData:
    rate = RateRow("Hồ sơ giải quyết đúng hạn", 79, 91, Decimal("86.81"), Decimal(100), False,
                   Decimal("17.36"), Decimal(20))
    return ReportData(
        kind="weekly",
        letterhead=LETTERHEAD,
        title="Báo cáo kết quả thực hiện tuần",
        subtitle="Tuần 7 năm 2026 (09/02/2026 – 15/02/2026)",
        intro="UBND xã Phú Lạc báo cáo kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính như sau:",
        period_text="09/02/2026 – 15/02/2026",
        counts={"carried_over": 4, "direct": 5, "online": 6, "postal": 1, "received": 12, "finished": 8,
                "finished_on_time": 7, "finished_late": 1, "open_within_time": 2, "open_overdue": 1,
                "rejected": 1, "stopped": 0, "withdrawn": 0},
        finished_early=3,
        empty=False,
        rates=[rate] * rows,
        campaign_rates=[],
        groups=[GroupRow("Tiến độ giải quyết", Decimal("17.36"), Decimal(20), Decimal(20))],
        total_points=Decimal("17.36"),
        measured_max=Decimal(20),
        scoring_version="766-2025.1",
        weeks=[WeekColumn(f"Tuần {n}", "09/02–15/02", {"Đúng hạn": Decimal(80 + n)}) for n in range(1, weeks + 1)],
        chart_rates=["Đúng hạn"],
        warnings=[("OVERDUE", "Quá hạn giải quyết", 2)],
        officers=[OfficerRow("Nguyễn Thị Lan", 12, 8, 7, 1, 3, 2)],
        actions=[ActionRow(f"000.00.53.H48-260212-{n:04d}", "Đặng Thị Ánh", "Quá hạn giải quyết", "Nguyễn Thị Lan",
                           Decimal("0.41")) for n in range(1, actions + 1)],
        signature=layout.Signature("TM. Ủy ban nhân dân", "Chủ tịch", "Nguyễn Văn Hùng"),
        recipients=["UBND huyện Đại Từ", "Lưu: VT"],
    )


def slip_data(page_size: str = "A4") -> SlipData:
    return SlipData(
        kind="receipt",
        letterhead=layout.Letterhead("UBND xã Phú Lạc", "Bộ phận Một cửa", "", "Phú Lạc", date(2026, 2, 12)),
        title="Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        code="000.00.53.H48-260212-0001",
        blocks=[Para("Bộ phận Một cửa UBND xã Phú Lạc tiếp nhận hồ sơ của:", indent=False),
                FieldLine("Ông/Bà", "Đặng Thị Ánh"),
                Grid(["STT", "Tên giấy tờ", "Số lượng"], [["1", "Tờ khai đăng ký khai sinh", "1"]], [0.1, 0.7, 0.2],
                     "clc")],
        signer=layout.Signature("", "Người tiếp nhận hồ sơ", "Nguyễn Thị Lan", "(Ký và ghi rõ họ tên)"),
        left_signer=layout.Signature("", "Người nộp hồ sơ", "Đặng Thị Ánh"),
        qr=True,
        page_size=page_size,
    )


def test_the_font_has_every_vietnamese_letter_in_all_four_faces():
    for face in (REGULAR, BOLD, ITALIC, BOLD_ITALIC):
        assert missing_glyphs(VIETNAMESE, face) == set()
    assert missing_glyphs("☃", REGULAR) == {"☃"}  # the check itself works


def test_decomposed_text_is_drawn_composed():
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    assert clean(decomposed) == "Nguyễn Thị Ánh" and len(clean(decomposed)) < len(decomposed)
    assert clean("a\tb\x00c") == "a b c"


@pytest.mark.parametrize("kind", ["report", "slip-A4", "slip-A5"])
def test_every_font_is_embedded_and_the_header_reads_back(tmp_path, kind):
    out = tmp_path / f"{kind}.pdf"
    if kind == "report":
        write_report_pdf(report_data(), out)
    else:
        write_slip_pdf(slip_data(kind[-2:]), out)
    assert_all_fonts_embedded(out)
    text = text_of(out)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "ngày" in text and "năm 2026" in text
    if kind == "report":
        assert "UBND XÃ PHÚ LẠC" in text and "UBND HUYỆN ĐẠI TỪ" in text
        assert "Phú Lạc, ngày 13 tháng 02 năm 2026" in text  # ND30: months 1 and 2 with a leading zero
        assert "Nơi nhận:" in text and "Nguyễn Văn Hùng" in text and "TM. ỦY BAN NHÂN DÂN" in text
        assert "./." in text
    else:
        assert "Mã hồ sơ: 000.00.53.H48-260212-0001" in text and "Đặng Thị Ánh" in text


def words(path: Path) -> list[tuple[int, float, float, float, float, str]]:
    """(page, xMin, yMin, xMax, yMax, word) of every word, from ``pdftotext -bbox``."""
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True,
                          encoding="utf-8").stdout
    result = []
    for page_number, page in enumerate(html.split("<page ")[1:], 1):
        for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                             page):
            result.append((page_number, *(float(m[i]) for i in range(1, 5)), m[5]))
    return result


def test_a4_margins_and_page_numbers_from_page_two(tmp_path):
    out = tmp_path / "long.pdf"
    write_report_pdf(report_data(rows=16, actions=120), out)
    pages = len(PdfReader(str(out)).pages)
    assert pages >= 3
    width, height = 595.28, 841.89
    top, bottom, left, right = 20 * mm, 20 * mm, 30 * mm, 15 * mm
    numbers: dict[int, list[str]] = {}
    for page, x0, y0, x1, y1, word in words(out):
        if y1 <= top:  # in the top margin: only the page number
            numbers.setdefault(page, []).append(word)
            continue
        assert x0 >= left - 1, (page, word, x0)
        assert x1 <= width - right + 1, (page, word, x1)
        assert y1 <= height - bottom + 1, (page, word, y1)
    assert 1 not in numbers  # no number on the first page
    assert all(numbers.get(page) == [str(page)] for page in range(2, pages + 1)), numbers
    # 25 mm top margin at most: the first line of page 1 starts within it
    first = min(y0 for page, x0, y0, x1, y1, w in words(out) if page == 1)
    assert top - 1 <= first <= 25 * mm + 1


def test_a5_slip_fits_on_one_page_with_its_qr_code(tmp_path):
    out = tmp_path / "a5.pdf"
    write_slip_pdf(slip_data("A5"), out)
    reader = PdfReader(str(out))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert round(float(box.width)) == 420 and round(float(box.height)) == 595
    assert slip_bytes(slip_data()).startswith(b"%PDF-")


def test_a_failed_write_leaves_no_file(tmp_path, monkeypatch):
    target = tmp_path / "bao-cao.pdf"

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(UserFixableError) as caught:
        write_report_pdf(report_data(), target)
    assert "quyền ghi" in caught.value.message and str(tmp_path) in caught.value.message
    assert list(tmp_path.iterdir()) == []


def test_an_error_while_drawing_leaves_no_file_and_keeps_the_old_one(tmp_path):
    target = tmp_path / "phieu.pdf"
    target.write_bytes(b"old")

    def broken(stream):
        stream.write(b"%PDF-half")
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        write_atomically(target, broken)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["phieu.pdf"]


def test_a_missing_folder_is_a_removed_drive(tmp_path):
    with pytest.raises(UserFixableError) as caught:
        write_slip_pdf(slip_data(), tmp_path / "usb" / "phieu.pdf")
    assert "USB" in caught.value.message or "Không tìm thấy thư mục" in caught.value.message
    assert not (tmp_path / "usb").exists()


def test_report_to_a_stream_is_a_pdf():
    buffer = BytesIO()
    count = layout.build(buffer, [layout.header(LETTERHEAD, layout.Styles(layout.page_spec("A4")))],
                         layout.page_spec("A4"), title="Thử")
    assert count == 1 and buffer.getvalue().startswith(b"%PDF-")
