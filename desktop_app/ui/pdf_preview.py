"""Showing, saving and printing the PDFs the app draws (reports and counter slips).

* :class:`PdfPreview` — the pages of a PDF file, one under the other, fitted to the width
  (``QtPdfWidgets.QPdfView``; if that module is missing from the bundle, page images rendered
  with ``QPdfDocument.render`` in a scrolling list).
* :func:`print_pdf` — each page rendered (at most 300 dpi) onto a ``QPrinter``; the tests print
  to a ``QPrinter`` in PDF output format.
* :func:`ask_save_path`, :func:`ask_printer` — the file and print dialogs, as functions so that
  tests can answer them.
* :class:`ProgressRelay` — carries ``progress(done, total)`` calls from a worker thread to the UI.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QRect, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QFileDialog, QLabel, QScrollArea, QVBoxLayout, QWidget

from ..storage.errors import UserFixableError

try:  # QtPdfWidgets is a separate module; an older bundle may lack it
    from PySide6.QtPdfWidgets import QPdfView
except ImportError:  # pragma: no cover - the fallback is exercised by forcing it in a test
    QPdfView = None  # type: ignore[assignment,misc]

log = logging.getLogger(__name__)

#: Printing renders each page as an image at the printer's resolution, but never finer than this.
MAX_PRINT_DPI = 300
#: The page images of the fallback preview.
PREVIEW_DPI = 96


class ProgressRelay(QObject):
    """``relay(done, total)`` may be called on any thread; ``advanced`` arrives on the UI thread."""

    advanced = Signal(int, int)

    def __call__(self, done: int, total: int) -> None:
        self.advanced.emit(int(done), int(total))


class TempFolder:
    """A private temporary folder for preview files, removed by :meth:`cleanup`."""

    def __init__(self, prefix: str) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=prefix))
        self._count = 0

    def new_file(self, stem: str) -> Path:
        self._count += 1
        return self.path / f"{stem}-{self._count}.pdf"

    def cleanup(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


class PdfPreview(QWidget):
    """The pages of one PDF file (read-only)."""

    def __init__(self, parent: QWidget | None = None, *, use_pdf_view: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.document = QPdfDocument(self)
        self.path: Path | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = None
        self.page_labels: list[QLabel] = []
        if use_pdf_view and QPdfView is not None:
            self.view = QPdfView(self)
            self.view.setObjectName("pdfView")
            self.view.setDocument(self.document)
            self.view.setPageMode(QPdfView.PageMode.MultiPage)
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            self.view.setPageSpacing(12)
            layout.addWidget(self.view)
        else:
            self.scroll = QScrollArea(self)
            self.scroll.setObjectName("pdfPages")
            self.scroll.setWidgetResizable(True)
            self.scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.pages_host = QWidget()
            self.pages_layout = QVBoxLayout(self.pages_host)
            self.pages_layout.setSpacing(12)
            self.scroll.setWidget(self.pages_host)
            layout.addWidget(self.scroll)

    def page_count(self) -> int:
        return self.document.pageCount() if self.path is not None else 0

    def load(self, path: Path) -> int:
        """Show ``path``; returns the number of pages (0 when it is not a readable PDF)."""
        self.clear()
        error = self.document.load(str(path))
        if error != QPdfDocument.Error.None_:
            log.warning("Preview: cannot read the PDF (%s)", error)
            return 0
        self.path = Path(path)
        if self.view is None:
            for index in range(self.document.pageCount()):
                points = self.document.pagePointSize(index)
                size = QSize(round(points.width() / 72 * PREVIEW_DPI), round(points.height() / 72 * PREVIEW_DPI))
                label = QLabel(self.pages_host)
                label.setObjectName(f"page{index + 1}")
                label.setPixmap(QPixmap.fromImage(self.document.render(index, size)))
                label.setStyleSheet("background: white; border: 1px solid #bbb;")
                self.pages_layout.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
                self.page_labels.append(label)
        return self.document.pageCount()

    def clear(self) -> None:
        self.document.close()
        self.path = None
        for label in self.page_labels:
            label.deleteLater()
        self.page_labels = []


def print_pdf(document: QPdfDocument, printer: QPrinter) -> int:
    """Print the pages of ``document`` (the printer's page range if one was chosen); returns
    the number of pages sent. The paper size follows the document's first page (A4 or A5)."""
    count = document.pageCount()
    if count <= 0:
        raise UserFixableError("Chưa có trang nào để in.", "Hãy bấm “Xem trước” rồi in lại.")
    first = document.pagePointSize(0)
    printer.setFullPage(True)  # the PDF already has the Nghị định 30 margins
    printer.setPageSize(QPageSize(QSizeF(first.width(), first.height()), QPageSize.Unit.Point))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait if first.height() >= first.width()
                               else QPageLayout.Orientation.Landscape)
    start, end = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        start, end = max(1, printer.fromPage()), min(count, printer.toPage() or count)
    painter = QPainter()
    if not painter.begin(printer):
        raise UserFixableError("Không gửi được tài liệu tới máy in.",
                               "Hãy kiểm tra máy in đã bật và đã cài đặt, rồi in lại.")
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    sent = 0
    try:
        for page in range(start - 1, end):
            if sent:
                printer.newPage()
            points = document.pagePointSize(page)
            image = document.render(page, QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi)))
            target = painter.viewport()
            scaled = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), scaled), image)
            sent += 1
    finally:
        painter.end()
    return sent


def ask_save_path(parent: QWidget, title: str, suggested: Path) -> Path | None:
    """The "Lưu PDF" file dialog; None when the officer cancels."""
    path, _ = QFileDialog.getSaveFileName(parent, title, str(suggested), parent.tr("Tệp PDF (*.pdf)"))
    if not path:
        return None
    chosen = Path(path)
    return chosen if chosen.suffix.lower() == ".pdf" else chosen.with_name(chosen.name + ".pdf")


def ask_printer(parent: QWidget, printer: QPrinter, pages: int) -> bool:
    """The system print dialog (printer, copies, page range); True when the officer chose "In"."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(parent.tr("In"))
    dialog.setMinMax(1, max(1, pages))
    return dialog.exec() == QPrintDialog.DialogCode.Accepted


def default_folder() -> Path:
    """Where the save dialog starts: the Documents folder when there is one, else home."""
    home = Path.home()
    documents = home / "Documents"
    return documents if documents.is_dir() else home


__all__ = ["MAX_PRINT_DPI", "PdfPreview", "ProgressRelay", "TempFolder", "ask_printer", "ask_save_path",
           "default_folder", "print_pdf"]
