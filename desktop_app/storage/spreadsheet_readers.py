"""Reading the rows of a spreadsheet the officer chose: a real ``.xlsx``, or one of the
provincial systems' "``.xls``" files that are really HTML tables (``reference/peers.md`` §2.2).

The kind of file is decided by its content, never by its name. Rows are streamed: for an
``.xlsx``, openpyxl's reader (read-only) reads the workbook's parts — sheet list, shared strings,
date styles — and each sheet's XML is then streamed here with a lean ``iterparse`` loop, cell
values only (a formula comes back as a :class:`~desktop_app.domain.cell_values.Formula` so the
importer can refuse it). That loop is what keeps an import of 50,000 rows within 1.5 × the time
of openpyxl's own read-only pass (SPEC §10): openpyxl sizes each sheet by reading it through
once when the file has no ``<dimension>``, and builds a dictionary and descriptor objects per
cell. An HTML file is read with the standard library's parser, ``colspan``/``rowspan`` laid out
like merged cells (the value in the first cell, the others empty).

Files the app cannot read raise :class:`SpreadsheetError` (a :class:`UserFixableError`) saying
why and what to do, in Vietnamese.
"""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..domain.cell_values import Formula
from .errors import UserFixableError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # real (binary, BIFF) .xls and other Office 97 files

SAVE_AS_XLSX = "Hãy mở tệp bằng Excel (hoặc LibreOffice) rồi chọn Lưu thành → “Sổ làm việc Excel (.xlsx)”, sau đó nhập lại."


class SpreadsheetError(UserFixableError):
    """A file that cannot be read as a spreadsheet."""


@dataclass
class Sheet:
    """One sheet (or one HTML table): its name, how many rows it has (``None`` if unknown) and
    its rows as ``(row number, values)``, the row number counted from 1 as a spreadsheet shows it."""

    name: str
    total_rows: int | None
    _rows: Any = field(repr=False)
    #: How much of the sheet the rows read so far cover, 0.0–1.0 (for a progress bar).
    fraction: Callable[[], float] = field(default=lambda: 0.0, repr=False)

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        return self._rows()


class Spreadsheet:
    """An open file: ``kind`` is ``"xlsx"`` or ``"html"``; use as a context manager."""

    def __init__(self, kind: str, sheets: list[Sheet], closer: Any = None) -> None:
        self.kind = kind
        self.sheets = sheets
        self._closer = closer

    def close(self) -> None:
        if self._closer is not None:
            self._closer()
            self._closer = None

    def __enter__(self) -> Spreadsheet:  # noqa: PYI034 (not subclassed)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_spreadsheet(path: Path) -> Spreadsheet:
    path = Path(path)
    name = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except FileNotFoundError:
        raise SpreadsheetError(f"Không tìm thấy tệp “{name}”.", "Hãy kiểm tra lại đường dẫn (USB còn cắm không?).") from None
    except IsADirectoryError:
        raise SpreadsheetError(f"“{name}” là một thư mục, không phải tệp.", "Hãy chọn một tệp Excel.") from None
    except PermissionError:
        raise SpreadsheetError(f"Không có quyền đọc tệp “{name}”.", "Hãy đóng chương trình đang mở tệp hoặc chép tệp ra máy rồi thử lại.") from None
    except OSError as error:
        raise SpreadsheetError(f"Không đọc được tệp “{name}” ({error.strerror}).", "Hãy kiểm tra ổ đĩa rồi thử lại.") from None
    if not head.strip():
        raise SpreadsheetError(f"Tệp “{name}” trống, không có dữ liệu.", "Hãy chọn đúng tệp danh sách hồ sơ.")
    if head.startswith(ZIP_MAGIC):
        return _open_xlsx(path)
    if head.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            f"Tệp “{name}” là tệp Excel đời cũ (.xls dạng nhị phân), phần mềm chưa đọc được loại này.",
            SAVE_AS_XLSX,
        )
    text = _decode(path.read_bytes())
    if text is None:
        raise SpreadsheetError(f"Tệp “{name}” không phải bảng tính Excel.", SAVE_AS_XLSX)
    if not text.strip():
        raise SpreadsheetError(f"Tệp “{name}” trống, không có dữ liệu.", "Hãy chọn đúng tệp danh sách hồ sơ.")
    lowered = text[:200_000].lower()
    if "<table" in lowered:
        return _open_html(name, text)
    if re.search(r"<\s*(!doctype|html|body|head|div|meta|p)\b", lowered):
        raise SpreadsheetError(
            f"Tệp “{name}” là trang HTML nhưng không có bảng dữ liệu nào.",
            "Hãy xuất lại danh sách từ hệ thống một cửa (nút Xuất Excel) hoặc lưu thành .xlsx.",
        )
    raise SpreadsheetError(
        f"Tệp “{name}” là tệp văn bản, không phải bảng tính Excel (có thể đã bị đổi đuôi tên).",
        SAVE_AS_XLSX,
    )


def _decode(data: bytes) -> str | None:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # binary
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    match = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:4096])
    if match:
        try:
            return data.decode(match[1].decode("ascii"), errors="replace")
        except LookupError:
            pass
    return data.decode("cp1258", errors="replace")


# ---------------------------------------------------------------------------- .xlsx


def _open_xlsx(path: Path) -> Spreadsheet:
    """The workbook's parts through openpyxl's reader (sheet list, shared strings, which styles
    are dates), without its read-only worksheets: those scan a whole sheet up front to size it
    when the file does not say (files written in openpyxl's write-only mode never do)."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style" and the like: files from other programs
            reader = ExcelReader(path, read_only=True, data_only=False)
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            found = [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()
                     if rel.target in reader.valid_files and "chartsheet" not in (rel.Type or "")]
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError,
            AttributeError, SyntaxError) as error:
        raise SpreadsheetError(
            f"Tệp “{path.name}” không đọc được như bảng tính .xlsx (tệp hỏng hoặc là loại tệp khác).",
            SAVE_AS_XLSX,
        ) from error
    archive = reader.archive
    workbook = reader.wb
    sheets = []
    for name, target in found:
        size = archive.getinfo(target).file_size
        counter = _Counter()
        sheets.append(Sheet(name, _dimension_rows(archive, target),
                            _xlsx_rows(archive, target, reader.shared_strings, workbook, counter),
                            lambda counter=counter, size=size: min(counter.read / size, 1.0) if size else 1.0))
    return Spreadsheet("xlsx", sheets, archive.close)


class _Counter:
    read = 0


class _CountingReader:
    """The sheet's XML as ``iterparse`` reads it, counting the bytes (the progress bar's measure)."""

    def __init__(self, source: Any, counter: _Counter) -> None:
        self._source = source
        self._counter = counter

    def read(self, size: int = -1) -> bytes:
        data = self._source.read(size)
        self._counter.read += len(data)
        return data

    def close(self) -> None:
        self._source.close()


def _dimension_rows(archive: zipfile.ZipFile, target: str) -> int | None:
    """The last row the sheet's ``<dimension ref="A1:AB5001"/>`` names, if it has one."""
    with archive.open(target) as source:
        head = source.read(4096).decode("utf-8", errors="replace")
    match = re.search(r'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?[A-Z]+(\d+)"', head)
    return int(match[1]) if match else None


_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _FORMULA = _MAIN_NS + "row", _MAIN_NS + "c", _MAIN_NS + "v", _MAIN_NS + "f"
_INLINE, _TEXT = _MAIN_NS + "is", _MAIN_NS + "t"


def _xlsx_rows(archive: zipfile.ZipFile, target: str, shared: Any, workbook: Any, counter: _Counter):
    """The rows of a sheet, formulas marked as :class:`Formula`, read with a lean loop over
    ``iterparse`` (openpyxl's own read-only rows build a dictionary and descriptor objects per
    cell, and drop the cell type)."""

    def rows() -> Iterator[tuple[int, list[Any]]]:
        dates = frozenset(getattr(workbook, "_date_formats", ()))
        durations = frozenset(getattr(workbook, "_timedelta_formats", ()))
        source = _CountingReader(archive.open(target), counter)
        try:
            yield from _parse_sheet(source, shared, dates, durations, workbook.epoch)
        except (zipfile.BadZipFile, KeyError, ValueError, IndexError, SyntaxError, EOFError) as error:
            raise SpreadsheetError("Tệp Excel bị hỏng giữa chừng, không đọc hết được.", SAVE_AS_XLSX) from error
        finally:
            source.close()

    return rows


def _parse_sheet(source: Any, shared: Any, dates: frozenset, durations: frozenset, epoch: Any
                 ) -> Iterator[tuple[int, list[Any]]]:
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.datetime import from_excel

    columns: dict[str, int] = {}  # "AB" → 27
    styles: dict[str, int] = {}  # style attribute → 0 plain, 1 date, 2 duration
    row_number = 0
    for _event, element in iterparse(source):
        if element.tag != _ROW:
            continue
        number = element.get("r")
        row_number = int(number) if number else row_number + 1
        values: list[Any] = []
        for cell in element:
            if cell.tag != _CELL:
                continue
            reference = cell.get("r")
            if reference:
                letters = reference.rstrip("0123456789")
                index = columns.get(letters)
                if index is None:
                    index = 0
                    for letter in letters:
                        index = index * 26 + ord(letter) - 64
                    index -= 1
                    columns[letters] = index
            else:
                index = len(values)
            value: Any = None
            if len(cell):  # a cell with no child is empty (formatting only)
                first = cell[0]
                tag = first.tag
                if tag == _FORMULA:
                    value = Formula("=" + (first.text or ""))
                elif tag == _INLINE:
                    if len(first) == 1 and first[0].tag == _TEXT:
                        value = first[0].text or ""
                    else:  # rich text: runs of <r><t>…</t></r>
                        value = "".join(part.text or "" for part in first.iter(_TEXT))
                elif tag == _VALUE:
                    value = _value(cell, first.text, shared, dates, durations, epoch, styles, from_excel)
                else:
                    value = _value(cell, cell.findtext(_VALUE), shared, dates, durations, epoch, styles,
                                   from_excel)
            if index >= len(values):
                values.extend([None] * (index + 1 - len(values)))
            values[index] = value
        element.clear()
        if values:
            yield row_number, values


def _value(cell: Any, raw: str | None, shared: Any, dates: frozenset, durations: frozenset, epoch: Any,
           styles: dict[str, int], from_excel: Any) -> Any:
    """The value of a ``<c>`` element from the text of its ``<v>``, by the cell's type."""
    if raw is None or raw == "":
        return None
    kind = cell.get("t", "n")
    if kind == "s":
        return shared[int(raw)]
    if kind == "n":
        value: Any = float(raw) if ("." in raw or "E" in raw or "e" in raw) else int(raw)
        style = cell.get("s")
        if style:
            flag = styles.get(style)
            if flag is None:
                flag = 2 if int(style) in durations else 1 if int(style) in dates else 0
                styles[style] = flag
            if flag:
                try:
                    value = from_excel(value, epoch, timedelta=flag == 2)
                except (OverflowError, ValueError):
                    value = "#VALUE!"
        return value
    if kind == "b":
        return raw == "1"
    return raw  # "str" (a formula's text result), "e" (an error), "d" (ISO date text)


# ---------------------------------------------------------------------------- HTML tables


class _TableParser(HTMLParser):
    """Collects every ``<table>`` as rows of cell texts, spans laid out like merged cells."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[Any]]] = []
        self._stack: list[dict[str, Any]] = []  # open tables (nested tables are separate)

    # one table in progress: rows, current row, current cell text, pending row spans
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append({"rows": [], "row": None, "cell": None, "spans": {}})
            return
        if not self._stack:
            return
        table = self._stack[-1]
        if tag == "tr":
            self._end_row(table)
            table["row"] = []
        elif tag in ("td", "th"):
            self._end_cell(table)
            if table["row"] is None:
                table["row"] = []
            attributes = dict(attrs)
            table["cell"] = {"text": [], "colspan": _span(attributes.get("colspan")),
                             "rowspan": _span(attributes.get("rowspan"))}
        elif tag == "br" and table["cell"] is not None:
            table["cell"]["text"].append(" ")

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            return
        table = self._stack[-1]
        if tag in ("td", "th"):
            self._end_cell(table)
        elif tag == "tr":
            self._end_row(table)
        elif tag == "table":
            self._end_row(table)
            self._stack.pop()
            self.tables.append(table["rows"])

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1]["cell"] is not None:
            self._stack[-1]["cell"]["text"].append(data)

    def _end_cell(self, table: dict[str, Any]) -> None:
        cell = table["cell"]
        if cell is None:
            return
        table["cell"] = None
        row = table["row"]
        spans = table["spans"]
        column = len(row)
        while spans.get(column, 0) > 0:  # a cell spanning down from a row above sits here
            row.append(None)
            spans[column] -= 1
            column += 1
        text = " ".join("".join(cell["text"]).split())
        for offset in range(cell["colspan"]):
            row.append(text if offset == 0 and text else None)
            if cell["rowspan"] > 1:
                spans[column + offset] = cell["rowspan"] - 1

    def _end_row(self, table: dict[str, Any]) -> None:
        self._end_cell(table)
        row = table["row"]
        if row is None:
            return
        spans = table["spans"]
        column = len(row)
        while any(count > 0 for key, count in spans.items() if key >= column):
            if spans.get(column, 0) > 0:
                spans[column] -= 1
            row.append(None)
            column += 1
        table["rows"].append(row)
        table["row"] = None

    def close(self) -> None:
        super().close()
        while self._stack:
            table = self._stack.pop()
            self._end_row(table)
            self.tables.append(table["rows"])


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(str(value).strip()), 200))
    except (TypeError, ValueError):
        return 1


def _open_html(name: str, text: str) -> Spreadsheet:
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    tables = [rows for rows in parser.tables if any(any(v not in (None, "") for v in row) for row in rows)]
    if not tables:
        raise SpreadsheetError(
            f"Tệp “{name}” là trang HTML nhưng không có bảng dữ liệu nào.",
            "Hãy xuất lại danh sách từ hệ thống một cửa (nút Xuất Excel) hoặc lưu thành .xlsx.",
        )
    sheets = []
    for index, rows in enumerate(tables, start=1):
        done = _Counter()

        def iterate(rows: list[list[Any]] = rows, done: _Counter = done) -> Iterator[tuple[int, list[Any]]]:
            for number, row in enumerate(rows, start=1):
                done.read = number
                yield number, row

        sheets.append(Sheet(f"Bảng {index}", len(rows), iterate,
                            lambda rows=rows, done=done: done.read / len(rows) if rows else 1.0))
    return Spreadsheet("html", sheets)


__all__ = ["SAVE_AS_XLSX", "Sheet", "Spreadsheet", "SpreadsheetError", "open_spreadsheet"]
