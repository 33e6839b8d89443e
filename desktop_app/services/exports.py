"""Excel exports (SPEC §7, issue 5 item 4): the dossier list, statistics, the register
"Sổ theo dõi hồ sơ", Mẫu biểu 02 per hamlet and the procedure catalogue.

Every workbook is written through :mod:`..storage.xlsx_writer` (Vietnamese headers, frozen header
row, real dates, VND as numbers, a totals row, no text ever becomes a formula) and
:mod:`..storage.safe_write` (the file appears whole or not at all; a read-only, full or removed
drive gives a Vietnamese message).

The dossier list has exactly the columns of the import template (SPEC §7), so an exported file
can be imported back. Files that contain personal data say so in their default name
(``…_du-lieu-ca-nhan.xlsx``) and can mask số định danh (``0012******45``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import exists, select

from ..domain.calendar import TIME_UNIT_LABELS, TimeUnit
from ..domain.headers import TEMPLATE_HEADERS  # the import template's headers (SPEC §7)
from ..domain.identity import mask_id_number
from ..domain.procedure import CopyKind, FeeKind, OnlineLevel
from ..domain.roles import Permission
from ..domain.status import CHANNEL_LABELS, STATUS_LABELS, Channel, Status
from ..domain.text import fold, nfc, sort_key
from ..storage.dossier_queries import DossierFilter, apply_filter
from ..storage.errors import UserFixableError
from ..storage.models import CommuneProfile, Dossier, DossierComponent, Hamlet, Officer, Procedure
from ..storage.safe_write import Cancelled
from ..storage.xlsx_writer import Column, SheetWriter, save_workbook, workbook_being_built
from .context import AppContext
from .views import SATISFACTION_LABELS

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

# ---------------------------------------------------------------------------- file names

KINDS = ("dossiers", "stats", "so-theo-doi", "mau-02", "catalogue")
_SLUGS = {
    "dossiers": "danh-sach-ho-so",
    "stats": "thong-ke",
    "so-theo-doi": "so-theo-doi-ho-so",
    "mau-02": "mau-bieu-02",
    "catalogue": "danh-muc-thu-tuc",
}
#: Exports that hold names, số định danh, phone numbers or addresses.
PERSONAL_KINDS = frozenset({"dossiers", "so-theo-doi"})
PERSONAL_SUFFIX = "_du-lieu-ca-nhan"


def default_file_name(kind: str, d_from: date | None = None, d_to: date | None = None,
                      personal: bool | None = None) -> str:
    """``danh-sach-ho-so_2026-02-01_2026-02-28_du-lieu-ca-nhan.xlsx``.

    ``personal`` defaults to whether ``kind`` carries personal data; the suffix warns whoever
    finds the file on a USB stick or in a mailbox."""
    if kind not in _SLUGS:
        raise ValueError(f"unknown export kind {kind!r}")
    if personal is None:
        personal = kind in PERSONAL_KINDS
    name = _SLUGS[kind]
    if d_from is not None:
        name += f"_{d_from:%Y-%m-%d}"
    if d_to is not None and d_to != d_from:
        name += f"_{d_to:%Y-%m-%d}"
    if personal:
        name += PERSONAL_SUFFIX
    return name + ".xlsx"


# ---------------------------------------------------------------------------- helpers


def _check_period(d_from: date | None, d_to: date | None) -> None:
    if d_from is not None and d_to is not None and d_from > d_to:
        raise UserFixableError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.", "Hãy chọn lại khoảng thời gian.")


def _check_target(path: Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        raise UserFixableError(f"Tệp “{path.name}” phải có đuôi .xlsx.", "Hãy đặt tên tệp kết thúc bằng .xlsx.")
    if path.is_dir():
        raise UserFixableError(f"“{path}” là một thư mục.", "Hãy ghi rõ tên tệp, ví dụ danh-sach.xlsx.")
    return path


def _period_text(d_from: date | None, d_to: date | None) -> str:
    if d_from is None and d_to is None:
        return "Toàn bộ thời gian"
    if d_from is None:
        return f"Đến ngày {d_to:%d/%m/%Y}"
    if d_to is None:
        return f"Từ ngày {d_from:%d/%m/%Y}"
    return f"Từ ngày {d_from:%d/%m/%Y} đến ngày {d_to:%d/%m/%Y}"


def _unit_name(ctx: AppContext) -> str:
    with ctx.read() as session:
        return session.scalar(select(CommuneProfile.unit_name)) or ""


def _tick(progress: Progress | None, cancel: Cancel | None, done: int, total: int) -> None:
    if cancel is not None and cancel():
        raise Cancelled()
    if progress is not None:
        progress(done, total)


def yes_no(value: bool) -> str:
    return "Có" if value else "Không"


# ---------------------------------------------------------------------------- dossiers

_DOSSIER_KINDS = {
    "Mã hồ sơ": ("code", 28), "Mã TTHC": ("code", 24), "Tên thủ tục": ("long_text", 45),
    "Chủ hồ sơ": ("text", 24), "Số định danh": ("code", 15), "Số điện thoại": ("code", 13),
    "Địa chỉ": ("long_text", 30), "Thôn/Xóm": ("text", 16), "Hình thức nộp": ("text", 14),
    "Ngày tiếp nhận": ("datetime", None), "Ngày hẹn trả": ("datetime", None),
    "Ngày kết thúc xử lý": ("datetime", None), "Ngày trả kết quả": ("datetime", None),
    "Trạng thái": ("text", 22), "Số lần yêu cầu bổ sung": ("int", 11), "Phí, lệ phí (VNĐ)": ("vnd", 14),
    "Hình thức thanh toán": ("text", 15), "Đánh giá hài lòng": ("text", 15), "Người tiếp nhận": ("text", 22),
    "Ghi chú": ("long_text", 30),
}
DOSSIER_COLUMNS = tuple(
    Column(h, *_DOSSIER_KINDS.get(h, ("text", 12)), total=h in ("Phí, lệ phí (VNĐ)", "Số lần yêu cầu bổ sung"))
    for h in TEMPLATE_HEADERS
)
#: Payment methods as the template names them (SPEC §7: Trực tuyến / Tiền mặt / Chuyển khoản / Miễn).
TEMPLATE_PAYMENT_LABELS = {"truc_tuyen": "Trực tuyến", "tien_mat": "Tiền mặt", "chuyen_khoan": "Chuyển khoản",
                           "mien": "Miễn"}

_BATCH = 1000


def _component_flag(column) -> Any:
    return exists().where(DossierComponent.dossier_id == Dossier.id, column.is_(True)).correlate(Dossier)


def _dossier_query(flt: DossierFilter):
    query = (
        select(
            Dossier.code, Procedure.code, Procedure.name, Dossier.applicant_name, Dossier.id_number, Dossier.phone,
            Dossier.address, Dossier.hamlet, Dossier.channel, Dossier.received_at, Dossier.due_at,
            Dossier.ended_at, Dossier.returned_at, Dossier.status, Dossier.supplement_count,
            Dossier.identity_checked, _component_flag(DossierComponent.digitised),
            _component_flag(DossierComponent.reused), _component_flag(DossierComponent.from_kho),
            Dossier.has_result_file, Dossier.result_signed, Dossier.has_end_document, Dossier.fee,
            Dossier.payment_method, Dossier.synced, Dossier.satisfaction, Officer.full_name, Dossier.notes,
        )
        .select_from(Dossier)
        .join(Procedure, Procedure.id == Dossier.procedure_id)
        .outerjoin(Officer, Officer.id == Dossier.officer_id)
    )
    return apply_filter(query, flt).order_by(Dossier.received_at, Dossier.code)


def _label(mapping: dict, key: Any) -> str:
    try:
        return mapping[key]
    except (KeyError, ValueError):
        return "" if key in (None, "") else str(key)


def dossier_row(row: Any, mask_ids: bool) -> list[Any]:
    (code, proc_code, proc_name, name, id_number, phone, address, hamlet, channel, received, due, ended,
     returned, status, supplements, checked, digitised, reused, kho, result_file, signed, end_doc, fee, payment,
     synced, satisfaction, officer, notes) = row
    return [
        code, proc_code, proc_name, name, mask_id_number(id_number) if mask_ids and id_number else id_number,
        phone, address, hamlet, _label(CHANNEL_LABELS, _enum(Channel, channel)), received, due, ended, returned,
        _label(STATUS_LABELS, _enum(Status, status)), supplements or 0, yes_no(checked), yes_no(bool(digitised)),
        yes_no(bool(reused)), yes_no(bool(kho)), yes_no(result_file), yes_no(signed), yes_no(end_doc), fee or 0,
        _label(TEMPLATE_PAYMENT_LABELS, payment), yes_no(synced), _label(SATISFACTION_LABELS, satisfaction),
        officer or "", notes,
    ]


def _enum(kind, value):
    try:
        return kind(value)
    except ValueError:
        return value


def _filter_for(d_from: date | None, d_to: date | None, flt: DossierFilter | None) -> DossierFilter:
    flt = flt or DossierFilter()
    if d_from is not None:
        flt = replace(flt, date_from=d_from)
    if d_to is not None:
        flt = replace(flt, date_to=d_to)
    _check_period(flt.date_from, flt.date_to)
    return flt


def _count(ctx: AppContext, flt: DossierFilter) -> int:
    from ..storage.dossier_queries import count_dossiers

    with ctx.read() as session:
        return count_dossiers(session, flt)


def _stream(ctx: AppContext, query) -> Iterator[Any]:
    with ctx.read() as session:
        yield from session.execute(query.execution_options(yield_per=_BATCH))


def export_dossiers(ctx: AppContext, path: Path, d_from: date | None, d_to: date | None, *,
                    mask_ids: bool = False, flt: DossierFilter | None = None,
                    progress: Progress | None = None, cancel: Cancel | None = None) -> Path:
    """The (filtered) dossier list with the import template's columns, received ``d_from``–``d_to``."""
    path = _check_target(path)
    flt = _filter_for(d_from, d_to, flt)
    total = _count(ctx, flt)
    with workbook_being_built() as workbook:
        # a plain table with the template's header in row 1 (no title rows): it imports back as is;
        # the totals row names no mã hồ sơ, so an import skips it
        sheet = SheetWriter(workbook, "Danh sách hồ sơ", DOSSIER_COLUMNS, totals_label=None)
        _tick(progress, cancel, 0, total)
        for row in _stream(ctx, _dossier_query(flt)):
            sheet.append(dossier_row(row, mask_ids))
            if sheet.rows_written % _BATCH == 0:
                _tick(progress, cancel, sheet.rows_written, total)
        totals = sheet.totals()
        totals[DOSSIER_COLUMNS.index(_col("Tên thủ tục"))] = f"Tổng cộng: {sheet.rows_written} hồ sơ"
        sheet.append_plain(totals, bold=True)
        _info_sheet(workbook, ctx, "Danh sách hồ sơ", flt.date_from, flt.date_to, mask_ids, sheet.rows_written)
        _tick(progress, cancel, total, total)
    return save_workbook(workbook, path)


def _col(header: str) -> Column:
    return next(c for c in DOSSIER_COLUMNS if c.header == header)


def _info_sheet(workbook, ctx: AppContext, what: str, d_from, d_to, mask_ids: bool, rows: int) -> None:
    """A second sheet saying what the file holds and that it holds personal data."""
    columns = (Column("Thông tin", "text", 28), Column("Nội dung", "long_text", 70))
    sheet = SheetWriter(workbook, "Thông tin", columns, totals_label=None)
    now = ctx.clock()
    for label, value in (
        ("Nội dung", what),
        ("Đơn vị", _unit_name(ctx)),
        ("Thời gian", _period_text(d_from, d_to)),
        ("Số hồ sơ", rows),
        ("Xuất lúc", now),
        ("Số định danh", "Đã che một phần (chỉ hiện 4 số đầu và 2 số cuối)" if mask_ids else "Đầy đủ"),
        ("Lưu ý", ("Tệp chứa dữ liệu cá nhân (họ tên, số định danh, số điện thoại, địa chỉ). "
                   "Chỉ dùng cho công việc; không gửi qua mạng xã hội; xóa khỏi USB khi đã dùng xong.")),
    ):
        sheet.append([label, value])


# ---------------------------------------------------------------------------- statistics

COUNT_LABELS = {
    "received": "Hồ sơ tiếp nhận trong kỳ",
    "direct": "— Trực tiếp",
    "online": "— Trực tuyến",
    "postal": "— Qua bưu chính công ích",
    "finished": "Đã xử lý xong",
    "finished_on_time": "— Đúng hạn (kể cả trước hạn)",
    "finished_late": "— Quá hạn",
    "open_within_time": "Đang xử lý trong hạn",
    "open_overdue": "Đang xử lý quá hạn",
    "rejected": "Từ chối tiếp nhận",
    "stopped": "Dừng xử lý",
    "withdrawn": "Công dân rút hồ sơ",
}


def _periods(d_from: date, d_to: date) -> tuple[str, list[tuple[str, date, date]]]:
    """The weeks (up to ~2 months) or months of the period, clipped to it."""
    parts: list[tuple[str, date, date]] = []
    if (d_to - d_from).days <= 62:
        start = d_from
        while start <= d_to:
            end = min(start + timedelta(days=6 - start.weekday()), d_to)
            year, week, _ = start.isocalendar()
            parts.append((f"Tuần {week:02d}/{year}", start, end))
            start = end + timedelta(days=1)
        return "Theo tuần", parts
    start = d_from
    while start <= d_to:
        next_month = (start.replace(day=1) + timedelta(days=32)).replace(day=1)
        end = min(next_month - timedelta(days=1), d_to)
        parts.append((f"Tháng {start:%m/%Y}", start, end))
        start = end + timedelta(days=1)
    return "Theo tháng", parts


def export_stats(ctx: AppContext, path: Path, d_from: date, d_to: date, *,
                 progress: Progress | None = None, cancel: Cancel | None = None) -> Path:
    """The period's counts, 766 indicators and groups (as ``motcua stats``) and a week-by-week
    (or month-by-month) table."""
    from . import stats

    path = _check_target(path)
    _check_period(d_from, d_to)
    result = stats.compute(ctx, d_from, d_to)
    data = result.as_json()
    unit = _unit_name(ctx)
    title = ["THỐNG KÊ KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"]
    notes = [f"{unit} — {_period_text(d_from, d_to)} (bộ chỉ số {data['scoring_version']})".lstrip(" —")]
    with workbook_being_built() as workbook:

        counts = SheetWriter(workbook, "Số lượng", (Column("STT", "int", 6), Column("Nội dung", "text", 40),
                                                   Column("Số hồ sơ", "int", 12)),
                             title_lines=title, note_lines=notes, totals_label=None)
        for index, key in enumerate(COUNT_LABELS, start=1):
            counts.append([index, COUNT_LABELS[key], data["counts"][key]])

        indicator_columns = (
            Column("Nhóm", "text", 26), Column("Chỉ số", "long_text", 50), Column("Tử số", "int", 9),
            Column("Mẫu số", "int", 9), Column("Tỷ lệ (%)", "percent", 10), Column("Điểm", "decimal", 9, total=True),
            Column("Tối đa", "decimal", 9, total=True),
        )
        groups = {g.code: g.name for g in result.card.groups}
        indicators = SheetWriter(workbook, "Chỉ số 766", indicator_columns, title_lines=title, note_lines=notes)
        for item in result.card.indicators:
            indicators.append([groups.get(item.group, item.group), item.name, item.numerator, item.denominator,
                               item.ratio, item.points, item.max_points])
        indicators.close()

        group_columns = (Column("Nhóm chỉ số", "text", 36), Column("Điểm", "decimal", 10, total=True),
                         Column("Tối đa đo được", "decimal", 14, total=True), Column("Tối đa", "decimal", 10, total=True))
        group_sheet = SheetWriter(workbook, "Nhóm chỉ số", group_columns, title_lines=title, note_lines=notes)
        for group in result.card.groups:
            group_sheet.append([group.name, group.points, group.measured_max, group.max_points])
        group_sheet.close()

        label, parts = _periods(d_from, d_to)
        part_columns = (
            Column("Kỳ", "text", 16), Column("Từ ngày", "date"), Column("Đến ngày", "date"),
            Column("Tiếp nhận", "int", 11, total=True), Column("Trực tiếp", "int", 11, total=True),
            Column("Trực tuyến", "int", 11, total=True), Column("Bưu chính", "int", 11, total=True),
            Column("Đã xử lý xong", "int", 12, total=True), Column("Đúng hạn", "int", 11, total=True),
            Column("Quá hạn", "int", 11, total=True), Column("Điểm ước tính", "decimal", 12),
            Column("Tối đa đo được", "decimal", 13),
        )
        part_sheet = SheetWriter(workbook, label, part_columns, title_lines=title, note_lines=notes)
        config = result.config
        for index, (name, start, end) in enumerate(parts):
            _tick(progress, cancel, index, len(parts))
            part = stats.compute(ctx, start, end, config)
            c = part.counts.counts
            part_sheet.append([name, start, end, c["received"], c["direct"], c["online"], c["postal"], c["finished"],
                               c["finished_on_time"], c["finished_late"], part.card.total, part.card.measured_max])
        part_sheet.close()
        _tick(progress, cancel, len(parts), len(parts))
    return save_workbook(workbook, path)


# ---------------------------------------------------------------------------- sổ theo dõi hồ sơ

SO_THEO_DOI_COLUMNS = (
    Column("STT", "int", 6),
    Column("Mã hồ sơ", "code", 26),
    Column("Nội dung hồ sơ", "long_text", 40),
    Column("Số lượng (bộ)", "int", 9, total=True),
    Column("Họ tên chủ hồ sơ", "text", 24),
    Column("Địa chỉ chủ hồ sơ", "long_text", 30),
    Column("Số điện thoại", "code", 13),
    Column("Nhận hồ sơ", "datetime", group="Ngày, tháng, năm"),
    Column("Hẹn trả kết quả", "datetime", group="Ngày, tháng, năm"),
    Column("Ngày nhận kết quả", "datetime", group="Trả kết quả"),
    Column("Bên giao", "text", 20, group="Trả kết quả"),
    Column("Bên nhận", "text", 20, group="Trả kết quả"),
    Column("Người nhận hồ sơ", "text", 22),
    Column("Địa bàn phát sinh hồ sơ", "text", 18),
    Column("Ghi chú", "long_text", 28),
)


def _register_query(flt: DossierFilter):
    query = (
        select(Dossier.code, Procedure.name, Dossier.sets_count, Dossier.applicant_name, Dossier.submitter_name,
               Dossier.address, Dossier.phone, Dossier.received_at, Dossier.due_at, Dossier.returned_at,
               Officer.full_name, Dossier.hamlet, Dossier.status, Dossier.notes)
        .select_from(Dossier)
        .join(Procedure, Procedure.id == Dossier.procedure_id)
        .outerjoin(Officer, Officer.id == Dossier.officer_id)
    )
    return apply_filter(query, flt).order_by(Dossier.received_at, Dossier.code)


def export_so_theo_doi(ctx: AppContext, path: Path, d_from: date, d_to: date, *,
                       flt: DossierFilter | None = None,
                       progress: Progress | None = None, cancel: Cancel | None = None) -> Path:
    """The register of dossiers received in the period, with the two-row header of the provincial
    "Sổ theo dõi hồ sơ" (peers.md §2.2 D)."""
    path = _check_target(path)
    flt = _filter_for(d_from, d_to, flt)
    total = _count(ctx, flt)
    unit = _unit_name(ctx)
    with workbook_being_built() as workbook:
        sheet = SheetWriter(workbook, "Sổ theo dõi hồ sơ", SO_THEO_DOI_COLUMNS,
                            title_lines=["SỔ THEO DÕI HỒ SƠ"],
                            note_lines=[f"{unit} — {_period_text(flt.date_from, flt.date_to)}".lstrip(" —")],
                            totals_label="Tổng cộng", totals_column=1)
        _tick(progress, cancel, 0, total)
        for index, row in enumerate(_stream(ctx, _register_query(flt)), start=1):
            (code, proc_name, sets, name, submitter, address, phone, received, due, returned, officer, hamlet,
             status, notes) = row
            status_enum = _enum(Status, status)
            note = notes
            if status_enum in (Status.TU_CHOI, Status.DUNG_XU_LY, Status.RUT_HO_SO):
                note = "; ".join(filter(None, [STATUS_LABELS[status_enum], notes]))
            sheet.append([
                index, code, proc_name, sets or 1, name, address, phone, received, due, returned,
                (officer or "") if returned else "", (submitter or name) if returned else "", officer or "", hamlet,
                note,
            ])
            if index % _BATCH == 0:
                _tick(progress, cancel, index, total)
        sheet.close()
        _tick(progress, cancel, total, total)
    return save_workbook(workbook, path)


# ---------------------------------------------------------------------------- Mẫu biểu 02


@dataclass(frozen=True)
class HamletCensus:
    """The census figures of one hamlet (entered in the app; Mẫu biểu 02)."""

    name: str
    households: int | None = None
    population: int | None = None
    people_with_vneid: int | None = None
    people_without_vneid: int | None = None


def hamlet_census(ctx: AppContext) -> list[HamletCensus]:
    """The active hamlets, in their list order, with their census figures."""
    with ctx.read() as session:
        rows = session.scalars(select(Hamlet).where(Hamlet.active.is_(True))).all()
        rows = sorted(rows, key=lambda h: (h.sort_order, sort_key(h.name)))
        return [HamletCensus(h.name, h.households, h.population, h.people_with_vneid, h.people_without_vneid)
                for h in rows]


CENSUS_FIELDS = ("households", "population", "people_with_vneid", "people_without_vneid")


def _check_census(name: str, figures: dict[str, int | None]) -> None:
    for value in figures.values():
        if value is not None and value < 0:
            raise UserFixableError(f"{nfc(name)}: số hộ, số khẩu và số người không được âm.", "Hãy nhập lại.")
    population, with_id, without_id = (figures.get("population"), figures.get("people_with_vneid"),
                                       figures.get("people_without_vneid"))
    if population is not None and with_id is not None and without_id is not None and with_id + without_id > population:
        raise UserFixableError(
            f"{nfc(name)}: số người có và chưa có VNeID ({with_id + without_id}) lớn hơn số khẩu ({population}).",
            "Hãy kiểm tra lại số liệu của thôn/xóm.")


def set_hamlet_censuses(ctx: AppContext, entries: Sequence[tuple[str, dict[str, int | None]]]) -> list[HamletCensus]:
    """Record the census figures of several hamlets of the list (``(name, {field: value})``,
    fields of :data:`CENSUS_FIELDS`) in one transaction: all of them, or none when one is wrong."""
    from .accounts import require

    for name, figures in entries:
        unknown = set(figures) - set(CENSUS_FIELDS)
        if unknown:
            raise ValueError(f"unknown census fields: {sorted(unknown)}")
        _check_census(name, figures)
    require(ctx, Permission.EDIT_CATALOGUE)
    saved = []
    with ctx.session() as session:
        hamlets = {fold(h.name): h for h in session.scalars(select(Hamlet))}
        for name, figures in entries:
            row = hamlets.get(fold(name))
            if row is None:
                raise UserFixableError(f"Không có thôn/xóm “{nfc(name)}” trong danh sách.",
                                       "Hãy thêm thôn/xóm trong Cài đặt → Thông tin đơn vị trước.")
            for key in CENSUS_FIELDS:
                setattr(row, key, figures.get(key))
            saved.append(row)
        session.flush()
        return [HamletCensus(row.name, row.households, row.population, row.people_with_vneid,
                             row.people_without_vneid) for row in saved]


def set_hamlet_census(ctx: AppContext, name: str, *, households: int | None = None,
                      population: int | None = None, people_with_vneid: int | None = None,
                      people_without_vneid: int | None = None) -> HamletCensus:
    """Record the census figures of one hamlet of the list (one transaction)."""
    figures = {"households": households, "population": population, "people_with_vneid": people_with_vneid,
               "people_without_vneid": people_without_vneid}
    return set_hamlet_censuses(ctx, [(name, figures)])[0]


MAU_02_COLUMNS = (
    Column("STT", "int", 6),
    Column("Xóm", "text", 24),
    Column("Số hộ", "int", 10, total=True),
    Column("Số khẩu", "int", 10, total=True),
    Column("Người có VNeID", "int", 12, total=True),
    Column("Người chưa có", "int", 12, total=True),
    Column("Hồ sơ DVC trực tuyến", "int", 13, total=True),
    Column("Hồ sơ có kết quả điện tử", "int", 14, total=True),
    Column("Hộ đã đánh giá hài lòng", "int", 14, total=True),
    Column("Ghi chú", "long_text", 30),
)
NO_HAMLET = "(Chưa ghi thôn/xóm)"
SATISFIED = ("rat_hai_long", "hai_long")


@dataclass(frozen=True)
class Mau02Row:
    hamlet: str
    households: int | None
    population: int | None
    people_with_vneid: int | None
    people_without_vneid: int | None
    online_dossiers: int
    e_result_dossiers: int
    satisfied_households: int
    note: str = ""


def mau_02_rows(ctx: AppContext, d_from: date, d_to: date) -> list[Mau02Row]:
    """One row per hamlet of the list (and one for dossiers of other or no hamlet, if any).

    Dossier figures are those received in the period, grouped by the dossier's hamlet (diacritics
    and case ignored): online dossiers, dossiers with an electronic result file, and households
    that rated the service satisfied — counted as distinct applicants (số định danh, else name and
    address), since the app records the applicant, not the household.
    """
    _check_period(d_from, d_to)
    census = hamlet_census(ctx)
    flt = DossierFilter(date_from=d_from, date_to=d_to)
    online: dict[str, int] = defaultdict(int)
    e_result: dict[str, int] = defaultdict(int)
    satisfied: dict[str, set] = defaultdict(set)
    shown: dict[str, str] = {}
    query = apply_filter(
        select(Dossier.hamlet, Dossier.channel, Dossier.has_result_file, Dossier.satisfaction, Dossier.id_number,
               Dossier.applicant_fold, Dossier.address), flt)
    for hamlet, channel, result_file, satisfaction, id_number, applicant, address in _stream(ctx, query):
        key = fold(hamlet)
        shown.setdefault(key, hamlet)
        if channel == int(Channel.TRUC_TUYEN):
            online[key] += 1
        if result_file:
            e_result[key] += 1
        if satisfaction in SATISFIED:
            satisfied[key].add(id_number or f"{applicant}|{fold(address)}")
    rows = []
    known = set()
    for item in census:
        key = fold(item.name)
        known.add(key)
        rows.append(Mau02Row(item.name, item.households, item.population, item.people_with_vneid,
                             item.people_without_vneid, online[key], e_result[key], len(satisfied[key])))
    others = sorted(k for k in set(online) | set(e_result) | set(satisfied) if k not in known)
    if others:
        names = [shown[k] for k in others if k]
        note = ("Hồ sơ ghi thôn/xóm ngoài danh sách: " + ", ".join(names)) if names else ""
        rows.append(Mau02Row(NO_HAMLET if not names else "Khác", None, None, None, None,
                             sum(online[k] for k in others), sum(e_result[k] for k in others),
                             sum(len(satisfied[k]) for k in others), note))
    return rows


def export_mau_02(ctx: AppContext, path: Path, d_from: date, d_to: date) -> Path:
    """Mẫu biểu 02 of the 45-day plan: per hamlet, the census figures entered in the app and the
    period's dossier figures from the database."""
    path = _check_target(path)
    rows = mau_02_rows(ctx, d_from, d_to)
    unit = _unit_name(ctx)
    with workbook_being_built() as workbook:
        sheet = SheetWriter(workbook, "Mẫu biểu 02", MAU_02_COLUMNS,
                            title_lines=["Mẫu biểu 02", "TỔNG HỢP KẾT QUẢ THỰC HIỆN THEO THÔN/XÓM"],
                            note_lines=[f"{unit} — {_period_text(d_from, d_to)}".lstrip(" —")],
                            totals_label="Tổng cộng", totals_column=1)
        for index, row in enumerate(rows, start=1):
            sheet.append([index, row.hamlet, row.households, row.population, row.people_with_vneid,
                          row.people_without_vneid, row.online_dossiers, row.e_result_dossiers,
                          row.satisfied_households, row.note])
        sheet.close()
        sheet.footer([("Số hộ, số khẩu và số người có/chưa có VNeID: số liệu do đơn vị nhập theo từng thôn/xóm. "
                       "Số hồ sơ: hồ sơ tiếp nhận trong kỳ, theo thôn/xóm ghi trên hồ sơ. "
                       "Hộ đã đánh giá hài lòng: số người nộp (khác nhau) đã đánh giá hài lòng hoặc rất hài lòng.")])
    return save_workbook(workbook, path)


# ---------------------------------------------------------------------------- procedure catalogue

CATALOGUE_COLUMNS = (
    Column("Mã TTHC", "code", 26),
    Column("Tên thủ tục", "long_text", 50),
    Column("Lĩnh vực", "text", 22),
    Column("Thời hạn giải quyết", "decimal", 11),
    Column("Đơn vị thời hạn", "text", 14),
    Column("Mức độ trực tuyến", "text", 14),
    Column("Loại phí", "text", 14),
    Column("Mức phí (VNĐ)", "vnd"),
    Column("Số trang tính mức đầu", "int", 11),
    Column("Phí mỗi trang sau (VNĐ)", "vnd"),
    Column("Mức thu tối đa (VNĐ)", "vnd"),
    Column("Ghi chú phí", "long_text", 30),
    Column("Kết quả là văn bản", "text", 11),
    Column("Phục vụ người dân", "text", 11),
    Column("Đang áp dụng", "text", 11),
)
COMPONENT_COLUMNS = (
    Column("Mã TTHC", "code", 26),
    Column("STT", "int", 6),
    Column("Tên giấy tờ", "long_text", 60),
    Column("Bản chính/bản sao", "text", 20),
    Column("Số lượng", "int", 9),
    Column("Có thể tái sử dụng", "text", 12),
)
CATALOGUE_SHEET = "Danh mục thủ tục"
COMPONENT_SHEET = "Thành phần hồ sơ"


def export_catalogue(ctx: AppContext, path: Path) -> Path:
    """The whole catalogue (inactive procedures too), importable back with
    :func:`.catalogue_io.import_catalogue`."""
    from sqlalchemy.orm import selectinload

    path = _check_target(path)
    with workbook_being_built() as workbook:
        with ctx.read() as session:
            procedures = session.scalars(select(Procedure).options(selectinload(Procedure.components))).all()
            procedures = sorted(procedures, key=lambda p: (p.field and sort_key(p.field), p.code))
            sheet = SheetWriter(workbook, CATALOGUE_SHEET, CATALOGUE_COLUMNS, totals_label=None)
            parts = SheetWriter(workbook, COMPONENT_SHEET, COMPONENT_COLUMNS, totals_label=None)
            for proc in procedures:
                limit = proc.time_limit
                sheet.append([
                    proc.code, proc.name, proc.field, int(limit) if limit == int(limit) else limit,
                    _label(TIME_UNIT_LABELS, _enum(TimeUnit, proc.time_unit)),
                    _enum(OnlineLevel, proc.online_level).label if proc.online_level in _values(OnlineLevel)
                    else proc.online_level,
                    _enum(FeeKind, proc.fee_kind).label if proc.fee_kind in _values(FeeKind) else proc.fee_kind,
                    proc.fee_amount, proc.fee_first_pages, proc.fee_later_amount, proc.fee_cap, proc.fee_note,
                    yes_no(proc.result_is_document), yes_no(proc.citizen_facing), yes_no(proc.active),
                ])
                for index, comp in enumerate(proc.components, start=1):
                    parts.append([
                        proc.code, index, comp.name,
                        _enum(CopyKind, comp.copy_kind).label if comp.copy_kind in _values(CopyKind) else comp.copy_kind,
                        comp.quantity, yes_no(comp.reusable),
                    ])
        count = len(procedures)
        sheet.append_plain([f"Tổng cộng: {count} thủ tục"] + [""] * (len(CATALOGUE_COLUMNS) - 1), bold=True)
    return save_workbook(workbook, path)


def _values(kind) -> set[str]:
    return {member.value for member in kind}


# ---------------------------------------------------------------------------- one entry point


def export(ctx: AppContext, kind: str, path: Path, d_from: date | None = None, d_to: date | None = None, *,
           mask_ids: bool = False, flt: DossierFilter | None = None,
           progress: Progress | None = None, cancel: Cancel | None = None) -> Path:
    """The export named ``kind`` (:data:`KINDS`), for the GUI and the command line."""
    if kind == "dossiers":
        return export_dossiers(ctx, path, d_from, d_to, mask_ids=mask_ids, flt=flt, progress=progress,
                               cancel=cancel)
    if kind == "catalogue":
        return export_catalogue(ctx, path)
    if d_from is None or d_to is None:
        raise UserFixableError("Cần chọn khoảng thời gian (từ ngày, đến ngày).")
    if kind == "stats":
        return export_stats(ctx, path, d_from, d_to, progress=progress, cancel=cancel)
    if kind == "so-theo-doi":
        return export_so_theo_doi(ctx, path, d_from, d_to, flt=flt, progress=progress, cancel=cancel)
    if kind == "mau-02":
        return export_mau_02(ctx, path, d_from, d_to)
    raise ValueError(f"unknown export kind {kind!r}")


__all__ = [
    "DOSSIER_COLUMNS",
    "KINDS",
    "PERSONAL_KINDS",
    "TEMPLATE_HEADERS",
    "HamletCensus",
    "Mau02Row",
    "default_file_name",
    "export",
    "export_catalogue",
    "export_dossiers",
    "export_mau_02",
    "export_so_theo_doi",
    "export_stats",
    "hamlet_census",
    "mau_02_rows",
    "set_hamlet_census",
]
