"""Realistic sample files of each spreadsheet the importer accepts, built at test time.

Layouts follow ``reference/peers.md`` §2.2 (the Tân Dân exports): title rows above the header,
merged title cells, text dates ``dd/mm/yyyy HH:mm:ss``, statuses as Vietnamese labels, the
two-row header of the Sổ theo dõi hồ sơ, and the provincial "``.xls``" files that are HTML
tables. Dates sit in early February 2026, before the tests' fixed "now" (12/02/2026 10:00).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font


@dataclass(frozen=True)
class Sample:
    code: str
    procedure_code: str
    procedure_name: str
    applicant: str
    id_number: str
    phone: str
    address: str
    hamlet: str
    channel: str
    received: datetime
    due: datetime
    ended: datetime | None
    returned: datetime | None
    status: str
    fee: int
    payment: str
    submitter: str = ""


UNIT = "000.00.53.H48"

SAMPLES: tuple[Sample, ...] = (
    Sample(f"{UNIT}-260202-0001", "1.001193", "Đăng ký khai sinh", "Nguyễn Thị Hoa", "019185001234", "0912345678",
           "Xóm Đồng Bầu, xã Phú Lạc", "Xóm Đồng Bầu", "Trực tiếp", datetime(2026, 2, 2, 8, 15),
           datetime(2026, 2, 2, 17, 0), datetime(2026, 2, 2, 10, 30), datetime(2026, 2, 2, 14, 0),
           "Đã trả kết quả", 0, "Miễn"),
    Sample(f"{UNIT}-260203-0001", "1.000894", "Đăng ký kết hôn", "Trần Văn Đức", "019090012345", "0987654321",
           "Xóm Cầu Đá, xã Phú Lạc", "Xóm Cầu Đá", "Trực tuyến", datetime(2026, 2, 3, 9, 0),
           datetime(2026, 2, 3, 17, 0), datetime(2026, 2, 3, 15, 10), None, "Đã xử lý xong", 0, "Miễn"),
    Sample(f"{UNIT}-260204-0001", "2.000815",
           "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam; cơ quan, "
           "tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ "
           "chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận", "Lê Thị Ánh", "025301000777", "0355123456", "Xóm Đồng Bầu, xã Phú Lạc", "Xóm Đồng Bầu",
           "Trực tiếp", datetime(2026, 2, 4, 7, 45), datetime(2026, 2, 4, 17, 0), datetime(2026, 2, 4, 8, 0),
           datetime(2026, 2, 4, 8, 5), "Đã trả kết quả", 6000, "Tiền mặt"),
    Sample(f"{UNIT}-260205-0001", "1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", "Phạm Quang Huy",
           "019188004321", "0901222333", "Xóm Cầu Đá, xã Phú Lạc", "Xóm Cầu Đá", "Trực tuyến",
           datetime(2026, 2, 5, 10, 20), datetime(2026, 2, 10, 17, 0), None, None, "Đang xử lý", 0, "Miễn"),
    Sample(f"{UNIT}-260206-0001", "2.000884",
           "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường hợp "
           "người yêu cầu chứng thực không ký, không điểm chỉ được)", "Đặng Thị Ánh", "001203004545", "0912000111",
           "Xóm Đồng Bầu, xã Phú Lạc", "Xóm Đồng Bầu", "Trực tiếp", datetime(2026, 2, 6, 14, 5),
           datetime(2026, 2, 6, 17, 0), datetime(2026, 2, 6, 14, 30), datetime(2026, 2, 6, 14, 35),
           "Đã trả kết quả", 10000, "Trực tuyến"),
    Sample(f"{UNIT}-260209-0001", "1.000656", "Đăng ký khai tử", "Hoàng Văn Bảy", "019060000888", "0978111222",
           "Xóm Cầu Đá, xã Phú Lạc", "Xóm Cầu Đá", "Bưu chính công ích", datetime(2026, 2, 9, 8, 40),
           datetime(2026, 2, 9, 17, 0), None, None, "Được tiếp nhận", 0, "Miễn", submitter="Hoàng Thị Mơ"),
)

#: A row whose procedure is not in the catalogue (variant B of the Danh sách carries it).
UNKNOWN = Sample(f"{UNIT}-260210-0001", "9.999999", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Vũ Văn Tám",
                 "019080000123", "0911999888", "Xóm Cầu Đá, xã Phú Lạc", "Xóm Cầu Đá", "Trực tiếp",
                 datetime(2026, 2, 10, 9, 0), datetime(2026, 2, 24, 17, 0), None, None, "Đang xử lý", 0, "Miễn")

TITLE = ("ỦY BAN NHÂN DÂN XÃ PHÚ LẠC", "DANH SÁCH HỒ SƠ", "Từ ngày 01/02/2026 đến ngày 11/02/2026")


def dmy(moment: datetime | None, seconds: bool = True) -> str:
    if moment is None:
        return ""
    return f"{moment:%d/%m/%Y %H:%M:%S}" if seconds else f"{moment:%d/%m/%Y}"


def vnd(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


# ---------------------------------------------------------------------------- the app's template


def template_rows(samples=SAMPLES) -> list[list]:
    rows = []
    for s in samples:
        finished = s.status in ("Đã trả kết quả", "Đã xử lý xong")
        rows.append([
            s.code, s.procedure_code, s.procedure_name, s.applicant, s.id_number, s.phone, s.address, s.hamlet,
            s.channel, s.received, s.due, s.ended, s.returned, s.status, 0, "Có",
            "x" if s.channel == "Trực tiếp" else "Không", "Không", "✓" if s.channel == "Trực tuyến" else "",
            "Có" if finished else "Không", "1" if finished else "0", "Không", s.fee, s.payment,
            "Có" if finished else "Không", "Hài lòng" if s.returned else "", "Nguyễn Thị Lan", "",
        ])
    return rows


def write_template_file(path: Path, rows: list[list]) -> Path:
    """The app's own template (written by the service) with ``rows`` filled in."""
    from desktop_app.services.imports import write_template

    write_template(path)
    workbook = load_workbook(path)
    sheet = workbook["Mẫu nhập hồ sơ"]
    # Right under the header (``append`` would go below the template's formatted empty rows).
    for offset, row in enumerate(rows):
        for column, value in enumerate(row, start=1):
            sheet.cell(row=2 + offset, column=column, value=value)
    workbook.save(path)
    return path


# ---------------------------------------------------------------------------- provincial lists

DANH_SACH_A = ("STT", "Đơn vị tiếp nhận", "Tên thủ tục hành chính", "Mã hồ sơ", "Trạng thái", "Địa chỉ", "Người nộp",
               "Chủ hồ sơ", "Ngày nộp hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý")
DANH_SACH_B = ("STT", "Đơn vị tiếp nhận", "Người tiếp nhận", "Tên thủ tục hành chính", "Mã hồ sơ", "Trạng thái",
               "Địa chỉ", "Chủ hồ sơ", "Ngày nộp hồ sơ", "Ngày nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý")


def danh_sach_rows(variant: str, samples=SAMPLES) -> list[list]:
    rows = []
    for number, s in enumerate(samples, start=1):
        common = {"STT": number, "Đơn vị tiếp nhận": "UBND xã Phú Lạc", "Tên thủ tục hành chính": s.procedure_name,
                  "Mã hồ sơ": s.code, "Trạng thái": s.status, "Địa chỉ": s.address,
                  "Người nộp": s.submitter or s.applicant, "Chủ hồ sơ": s.applicant, "Người tiếp nhận": "Nguyễn Thị Lan",
                  "Ngày nộp hồ sơ": dmy(s.received), "Ngày nhận": dmy(s.received), "Ngày hẹn trả": dmy(s.due),
                  "Ngày kết thúc xử lý": dmy(s.ended)}
        headers = DANH_SACH_A if variant == "A" else DANH_SACH_B
        rows.append([common[h] for h in headers])
    return rows


def write_xlsx(path: Path, headers, rows, *, titles=TITLE, sheet_title="Danh sách hồ sơ",
               two_row: list[tuple[str, list[str]]] | None = None, cover_sheet: bool = False) -> Path:
    """An .xlsx as the provincial server writes it: merged title rows, a bold header."""
    workbook = Workbook()
    sheet = workbook.active
    if cover_sheet:
        sheet.title = "Bìa"
        sheet.append(["BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ"])
        sheet.append(["Kèm theo danh sách ở trang sau"])
        sheet = workbook.create_sheet(sheet_title)
    else:
        sheet.title = sheet_title
    width = len(headers) if two_row is None else sum(len(children) or 1 for _, children in two_row)
    for text in titles:
        sheet.append([text])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        sheet.cell(row=sheet.max_row, column=1).alignment = Alignment(horizontal="center")
    sheet.append([None])
    if two_row is None:
        sheet.append(list(headers))
        top = sheet.max_row
    else:
        upper, lower = [], []
        for parent, children in two_row:
            if children:
                upper.extend([parent] + [None] * (len(children) - 1))
                lower.extend(children)
            else:
                upper.append(parent)
                lower.append(None)
        sheet.append(upper)
        top = sheet.max_row
        sheet.append(lower)
        column = 1
        for parent, children in two_row:
            if children:
                if len(children) > 1:
                    sheet.merge_cells(start_row=top, start_column=column, end_row=top,
                                      end_column=column + len(children) - 1)
                column += len(children)
            else:
                sheet.merge_cells(start_row=top, start_column=column, end_row=top + 1, end_column=column)
                column += 1
        sheet.append([f"({n})" for n in range(1, width + 1)])  # the numbering row of printed registers
    for row in sheet.iter_rows(min_row=top, max_row=sheet.max_row):
        for cell in row:
            cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.append([])
    sheet.append(["Tổng cộng: " + str(len(rows)) + " hồ sơ"])
    workbook.save(path)
    return path


def html_table(headers, rows, *, titles=TITLE, two_row: list[tuple[str, list[str]]] | None = None) -> str:
    """The provincial web client's "Excel" export: an HTML table saved as .xls."""
    width = len(headers) if two_row is None else sum(len(children) or 1 for _, children in two_row)
    out = ['<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">',
           '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>Danh sách</title></head>',
           "<body><table border='1'>"]
    for text in titles:
        out.append(f'<tr><td colspan="{width}" style="text-align:center"><b>{html.escape(text)}</b></td></tr>')
    if two_row is None:
        out.append("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr>")
    else:
        upper = []
        lower = []
        for parent, children in two_row:
            if children:
                upper.append(f'<th colspan="{len(children)}">{html.escape(parent)}</th>')
                lower.extend(f"<th>{html.escape(c)}</th>" for c in children)
            else:
                upper.append(f'<th rowspan="2">{html.escape(parent)}</th>')
        out.append("<tr>" + "".join(upper) + "</tr>")
        out.append("<tr>" + "".join(lower) + "</tr>")
    for row in rows:
        cells = "".join(f"<td>{html.escape(str(v)) if v not in (None, '') else ''}</td>" for v in row)
        out.append(f"<tr>{cells}</tr>")
    out.append("</table></body></html>")
    return "\n".join(out)


def write_danh_sach(path: Path, variant: str = "A", *, samples=SAMPLES, as_html: bool = False) -> Path:
    headers = DANH_SACH_A if variant == "A" else DANH_SACH_B
    rows = danh_sach_rows(variant, samples)
    if as_html:
        path.write_text(html_table(headers, rows), encoding="utf-8")
        return path
    return write_xlsx(path, headers, rows)


FEE_HEADERS = ("STT", "Mã hồ sơ", "Người tiếp nhận", "Loại tiếp nhận", "Tên người nộp", "Số biên lai", "Mẫu số",
               "Ký hiệu", "Ngày tiếp nhận", "Ngày thu", "Phí (VNĐ)", "Lệ phí (VNĐ)", "Tổng (VNĐ)")


def fee_rows(samples=SAMPLES) -> list[list]:
    rows = []
    paying = [s for s in samples if s.fee]
    for number, s in enumerate(paying, start=1):
        rows.append([number, s.code, "Nguyễn Thị Lan", "Trực tiếp" if s.channel == "Trực tiếp" else "Nộp trực tuyến",
                     s.submitter or s.applicant, f"00{number:05d}", "01BLP0-001", "AA/26P", dmy(s.received),
                     dmy(s.ended or s.received), vnd(0), vnd(s.fee), vnd(s.fee)])
    return rows


def write_fee_list(path: Path, *, samples=SAMPLES) -> Path:
    return write_xlsx(path, FEE_HEADERS, fee_rows(samples),
                      titles=("ỦY BAN NHÂN DÂN XÃ PHÚ LẠC", "DANH SÁCH THU PHÍ, LỆ PHÍ",
                              "Từ ngày 01/02/2026 đến ngày 11/02/2026"), sheet_title="Thu phí")


SO_THEO_DOI = [
    ("STT", []), ("Mã hồ sơ", []), ("Nội dung hồ sơ", []), ("Số lượng (bộ)", []), ("Họ tên chủ hồ sơ", []),
    ("Địa chỉ chủ hồ sơ", []), ("Số điện thoại", []), ("Ngày, tháng, năm", ["Nhận hồ sơ", "Hẹn trả kết quả"]),
    ("Trả kết quả", ["Ngày nhận kết quả", "Bên giao", "Bên nhận"]), ("Người nhận hồ sơ", []),
    ("Địa bàn phát sinh hồ sơ", []), ("Ghi chú", []),
]


def so_theo_doi_rows(samples=SAMPLES) -> list[list]:
    rows = []
    for number, s in enumerate(samples, start=1):
        rows.append([number, s.code, s.procedure_name, 1, s.applicant, s.address, s.phone, s.received, s.due,
                     s.returned, "Nguyễn Thị Lan" if s.returned else None, s.applicant if s.returned else None,
                     "Nguyễn Thị Lan", s.hamlet, None])
    return rows


def write_so_theo_doi(path: Path, *, samples=SAMPLES, as_html: bool = False) -> Path:
    titles = ("ỦY BAN NHÂN DÂN XÃ PHÚ LẠC", "SỔ THEO DÕI HỒ SƠ", "Năm 2026")
    rows = so_theo_doi_rows(samples)
    if as_html:
        text_rows = [[dmy(v, seconds=False) if isinstance(v, datetime) else v for v in row] for row in rows]
        path.write_text(html_table((), text_rows, titles=titles, two_row=SO_THEO_DOI), encoding="utf-8")
        return path
    return write_xlsx(path, (), rows, titles=titles, sheet_title="Sổ theo dõi", two_row=SO_THEO_DOI)


def write_all(folder: Path) -> dict[str, Path]:
    """Every format, for looking at by hand (``python -m tests.unit.services.excel_samples DIR``)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "template": write_template_file(folder / "mau_nhap.xlsx", template_rows()),
        "danh_sach_a": write_danh_sach(folder / "danh_sach_a.xlsx", "A"),
        "danh_sach_b": write_danh_sach(folder / "danh_sach_b.xlsx", "B", samples=(*SAMPLES, UNKNOWN)),
        "danh_sach_html": write_danh_sach(folder / "DanhSachHoSo.xls", "A", as_html=True),
        "fee": write_fee_list(folder / "thu_phi.xlsx"),
        "so_theo_doi": write_so_theo_doi(folder / "so_theo_doi.xlsx"),
        "so_theo_doi_html": write_so_theo_doi(folder / "SoTheoDoi.xls", as_html=True),
    }


if __name__ == "__main__":
    import sys

    for name, file in write_all(Path(sys.argv[1] if len(sys.argv) > 1 else "excel_samples")).items():
        print(name, file)
