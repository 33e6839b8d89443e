"""Real ``.xlsx`` workbooks for the exports (SPEC §7), written with openpyxl in write-only mode.

Every sheet has Vietnamese headers in bold on a frozen header row (one or two rows: a group
title merged over its columns, as the register "Sổ theo dõi hồ sơ" has), fixed sensible column
widths, dates as real dates shown ``dd/mm/yyyy``, amounts in VND as numbers with a thousands
format, and a totals row written as values (never formulas, so an importer reading the file
back sees plain numbers).

Text is written so no spreadsheet ever executes it: a value starting with ``=``, ``+``, ``-`` or
``@`` is stored as a string cell (never openpyxl's formula type) with the "quote prefix" flag
that Excel and LibreOffice show as a leading apostrophe; control characters that the file format
cannot hold are dropped.

Write-only mode streams rows to disk, so a register of 200,000 dossiers does not have to fit in
memory; widths, merges and frozen panes are therefore set before the first row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .safe_write import write_with

#: Characters that make a spreadsheet treat a typed text as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
VND_FORMAT = "#,##0"
INT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00"
DECIMAL_FORMAT = "0.00"

#: Column kinds and their default widths (characters).
KINDS = {
    "text": 20,
    "long_text": 40,
    "code": 24,
    "int": 10,
    "vnd": 14,
    "date": 12,
    "datetime": 17,
    "percent": 10,
    "decimal": 10,
}

_FONT_NAME = "Times New Roman"
_BODY_FONT = Font(name=_FONT_NAME, size=12)
_BOLD_FONT = Font(name=_FONT_NAME, size=12, bold=True)
_TITLE_FONT = Font(name=_FONT_NAME, size=14, bold=True)
_ITALIC_FONT = Font(name=_FONT_NAME, size=12, italic=True)
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
_HEADER_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)
_CENTER = Alignment(horizontal="center", vertical="center")
_TOP = Alignment(vertical="top")
_WRAP = Alignment(vertical="top", wrap_text=True)


_NUMBER_FORMATS = {"vnd": VND_FORMAT, "int": INT_FORMAT, "percent": PERCENT_FORMAT, "decimal": DECIMAL_FORMAT}


@dataclass(frozen=True)
class Column:
    header: str
    kind: str = "text"
    width: float | None = None
    #: Summed in the totals row.
    total: bool = False
    #: Upper header over consecutive columns with the same group (a two-row header); "" = none.
    group: str = ""

    @property
    def column_width(self) -> float:
        return self.width if self.width is not None else max(KINDS[self.kind], min(len(self.header) + 2, 30))


def safe_text(value: str) -> str:
    """``value`` without the control characters an .xlsx cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def is_formula_like(value: str) -> bool:
    return value.startswith(FORMULA_STARTS)


class SheetWriter:
    """One sheet: optional title lines, a one- or two-row header, data rows, a totals row."""

    def __init__(
        self,
        workbook: Workbook,
        title: str,
        columns: Sequence[Column],
        *,
        title_lines: Sequence[str] = (),
        note_lines: Sequence[str] = (),
        totals_label: str | None = "Tổng cộng",
        totals_column: int = 0,
    ) -> None:
        self.sheet = workbook.create_sheet(title=title[:31])
        self.columns = list(columns)
        self.totals_label = totals_label
        self.totals_column = totals_column
        self._sums: list[Any] = [0 for _ in self.columns]
        self.rows_written = 0
        self._closed = False
        self._line = 0  # rows written so far (write-only sheets do not count them)
        self._styles: dict[tuple, Any] = {}
        width = len(self.columns)
        two_rows = any(c.group for c in self.columns)
        for index, column in enumerate(self.columns, start=1):
            self.sheet.column_dimensions[get_column_letter(index)].width = column.column_width
        # printing: A4, landscape for wide tables, fitted to the page width, header repeated
        chars = sum(c.column_width for c in self.columns)
        self.sheet.page_setup.paperSize = "9"  # A4
        self.sheet.page_setup.orientation = "landscape" if chars > 90 else "portrait"
        self.sheet.sheet_properties.pageSetUpPr.fitToPage = True
        self.sheet.page_setup.fitToWidth = 1
        self.sheet.page_setup.fitToHeight = 0
        self.sheet.page_margins.left = self.sheet.page_margins.right = 0.4
        self.sheet.page_margins.top = self.sheet.page_margins.bottom = 0.6
        # write-only: the sheet view (frozen panes) goes out with the first row, so set it now
        above = len(title_lines) + len(note_lines) + (1 if title_lines or note_lines else 0)
        self.header_rows = (above + 1, above + 2) if two_rows else (above + 1,)
        self.first_data_row = self.header_rows[-1] + 1
        self.sheet.freeze_panes = f"A{self.first_data_row}"
        self.sheet.print_title_rows = f"{self.header_rows[0]}:{self.header_rows[-1]}"
        line = 0
        for text in title_lines:
            line += 1
            self.sheet.merged_cells.add(f"A{line}:{get_column_letter(width)}{line}")
            self.sheet.row_dimensions[line].height = 20
            self._append([self._styled(text, _TITLE_FONT, _CENTER)])
        for text in note_lines:
            line += 1
            self.sheet.merged_cells.add(f"A{line}:{get_column_letter(width)}{line}")
            self._append([self._styled(text, _ITALIC_FONT, _CENTER)])
        if title_lines or note_lines:
            line += 1
            self._append([])
        first = line + 1
        if two_rows:
            upper: list[Any] = []
            lower: list[Any] = []
            index = 0
            while index < width:
                column = self.columns[index]
                letter = get_column_letter(index + 1)
                if not column.group:
                    self.sheet.merged_cells.add(f"{letter}{first}:{letter}{first + 1}")
                    upper.append(self._header(column.header))
                    lower.append(self._header(""))
                    index += 1
                    continue
                end = index
                while end + 1 < width and self.columns[end + 1].group == column.group:
                    end += 1
                if end > index:
                    self.sheet.merged_cells.add(f"{letter}{first}:{get_column_letter(end + 1)}{first}")
                upper.append(self._header(column.group))
                upper.extend(self._header("") for _ in range(end - index))
                lower.extend(self._header(c.header) for c in self.columns[index:end + 1])
                index = end + 1
            self.sheet.row_dimensions[first].height = 30
            self.sheet.row_dimensions[first + 1].height = 45
            self._append(upper)
            self._append(lower)
        else:
            self.sheet.row_dimensions[first].height = 45
            self._append([self._header(c.header) for c in self.columns])
        assert self.first_data_row == first + len(self.header_rows)
        if not title_lines and not note_lines:
            # a plain table: let Excel sort and filter it
            self.sheet.auto_filter.ref = f"A{first}:{get_column_letter(width)}{self.header_rows[-1]}"

    # ------------------------------------------------------------------ cells

    def _append(self, row: list[Any]) -> None:
        self.sheet.append(row)
        self._line += 1

    def _styled(self, value: Any, font: Font, alignment: Alignment | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=safe_text(value) if isinstance(value, str) else value)
        if isinstance(value, str):
            cell.data_type = "s"
        cell.font = font
        if alignment is not None:
            cell.alignment = alignment
        return cell

    def _header(self, text: str) -> WriteOnlyCell:
        cell = self._styled(text, _BOLD_FONT, _HEADER_ALIGN)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        return cell

    def _style(self, bold: bool, number_format: str, wrap: bool, quote: bool, fill: PatternFill | None):
        """The style of a data cell, built once per combination: setting fonts and borders cell by
        cell (openpyxl hashes each style object) cost more than writing the whole sheet."""
        key = (bold, number_format, wrap, quote, fill is not None)
        style = self._styles.get(key)
        if style is None:
            probe = WriteOnlyCell(self.sheet)
            probe.font = _BOLD_FONT if bold else _BODY_FONT
            probe.border = _BORDER
            probe.alignment = _WRAP if wrap else _TOP
            probe.number_format = number_format
            if quote:
                probe.quotePrefix = True
            if fill is not None:
                probe.fill = fill
            style = self._styles[key] = probe._style
        return style

    def cell(self, value: Any, column: Column, *, bold: bool = False,
             fill: PatternFill | None = None) -> WriteOnlyCell:
        number_format = "General"
        quote = False
        if value is None or value == "":
            cell = WriteOnlyCell(self.sheet, value=None)
        elif isinstance(value, str):
            text = safe_text(value)
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.data_type = "s"  # never "f", whatever the text starts with
            quote = is_formula_like(text)
        elif isinstance(value, bool):
            cell = WriteOnlyCell(self.sheet, value="Có" if value else "Không")
            cell.data_type = "s"
        elif isinstance(value, datetime):
            cell = WriteOnlyCell(self.sheet, value=value)
            number_format = DATE_FORMAT if column.kind == "date" else DATETIME_FORMAT
        elif isinstance(value, date):
            cell = WriteOnlyCell(self.sheet, value=value)
            number_format = DATE_FORMAT
        elif isinstance(value, (int, float, Decimal)):
            cell = WriteOnlyCell(self.sheet, value=float(value) if isinstance(value, Decimal) else value)
            number_format = _NUMBER_FORMATS.get(column.kind, "General")
        else:
            cell = WriteOnlyCell(self.sheet, value=safe_text(str(value)))
            cell.data_type = "s"
        cell._style = copy(self._style(bold, number_format, column.kind == "long_text", quote, fill))
        return cell

    def append(self, values: Sequence[Any]) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        row = []
        for index, (column, value) in enumerate(zip(self.columns, values, strict=True)):
            if column.total and isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                self._sums[index] += value
            row.append(self.cell(value, column))
        lines = max((_lines(v, c) for c, v in zip(self.columns, values, strict=True) if c.kind == "long_text"),
                    default=1)
        if lines > 1:  # spreadsheets do not grow a row for wrapped text they did not lay out themselves
            self.sheet.row_dimensions[self._line + 1].height = 15.75 * lines
        self._append(row)
        self.rows_written += 1

    def append_plain(self, values: Sequence[Any], *, bold: bool = False) -> None:
        """A row outside the table's sums (a sub-total, a note)."""
        self._append([self.cell(v, c, bold=bold) for c, v in zip(self.columns, values, strict=False)])

    def totals(self) -> list[Any]:
        values: list[Any] = ["" for _ in self.columns]
        for index, column in enumerate(self.columns):
            if column.total:
                values[index] = self._sums[index]
        if self.totals_label is not None:
            values[self.totals_column] = self.totals_label
        return values

    def close(self) -> None:
        """Write the totals row (once)."""
        if self._closed:
            return
        self._closed = True
        if self.totals_label is None:
            return
        row = []
        for column, value in zip(self.columns, self.totals(), strict=True):
            row.append(self.cell(value, column, bold=True, fill=_TOTAL_FILL))
        self._append(row)

    def footer(self, lines: Iterable[str]) -> None:
        """Explanatory lines under the table, each merged across its width and wrapped."""
        self._append([])
        width = get_column_letter(len(self.columns))
        chars = sum(c.column_width for c in self.columns)
        for text in lines:
            line = self._line + 1
            self.sheet.merged_cells.add(f"A{line}:{width}{line}")
            self.sheet.row_dimensions[line].height = 16 * (1 + int(len(text) * 1.1 // max(chars, 1)))
            self._append([self._styled(text, _ITALIC_FONT, _WRAP)])


def _lines(value: Any, column: Column) -> int:
    """How many lines ``value`` wraps to in ``column`` (an estimate: ~1 character per width unit)."""
    if not isinstance(value, str) or not value:
        return 1
    per_line = max(int(column.column_width * 1.05) - 1, 1)
    return min(sum(1 + (len(part) - 1) // per_line if part else 1 for part in value.split("\n")), 15)


def new_workbook() -> Workbook:
    workbook = Workbook(write_only=True)
    return workbook


@contextmanager
def workbook_being_built() -> Iterator[Workbook]:
    """``with workbook_being_built() as workbook: …`` — a new write-only workbook that is
    discarded (:func:`discard_workbook`) when the block raises (an error, a cancel)."""
    workbook = new_workbook()
    try:
        yield workbook
    except BaseException:
        discard_workbook(workbook)
        raise


def save_workbook(workbook: Workbook, path: Path, *, verify: bool = False) -> Path:
    """Save through :mod:`.safe_write`: the file appears whole or not at all."""
    try:
        return write_with(Path(path), workbook.save, verify=verify)
    except BaseException:
        discard_workbook(workbook)
        raise


def discard_workbook(workbook: Workbook) -> None:
    """Drop a write-only workbook that will not be saved (cancel, error): close its sheets'
    streams and remove their temporary files, instead of leaving that to the garbage collector."""
    for sheet in workbook.worksheets:
        if getattr(sheet, "closed", True):
            continue
        with suppress(Exception):
            sheet.close()
        writer = getattr(sheet, "_writer", None)
        if writer is not None:
            with suppress(Exception):
                writer.cleanup()


def write_table(
    path: Path,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    title_lines: Sequence[str] = (),
    note_lines: Sequence[str] = (),
    totals_label: str | None = "Tổng cộng",
    progress: Callable[[int], None] | None = None,
) -> Path:
    """One-sheet workbook in one call (``progress(rows_written)`` every 1,000 rows)."""
    with workbook_being_built() as workbook:
        sheet = SheetWriter(workbook, title, columns, title_lines=title_lines, note_lines=note_lines,
                            totals_label=totals_label)
        for row in rows:
            sheet.append(row)
            if progress is not None and sheet.rows_written % 1000 == 0:
                progress(sheet.rows_written)
        sheet.close()
    return save_workbook(workbook, path)


__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "FORMULA_STARTS",
    "VND_FORMAT",
    "Column",
    "SheetWriter",
    "discard_workbook",
    "is_formula_like",
    "new_workbook",
    "safe_text",
    "save_workbook",
    "workbook_being_built",
    "write_table",
]
