"""Starting the GUI: the application object, the database, the first-run wizard, the main window.

A database the app cannot use (read-only, locked, not a database, from a newer version) is a
message with what to do, never a traceback; any unexpected error later is logged with its
traceback and shown as "Đã xảy ra lỗi không mong muốn…" with the log file's path.
"""

from __future__ import annotations

import logging
import os
import sys
import time
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from ..services import logs, setup
from ..services.context import AppContext, open_database
from ..storage.errors import UserFixableError
from . import qt_vietnamese, single_instance
from .common import error_text, show_message
from .first_run_wizard import FirstRunWizard
from .main_window import MainWindow
from .qt_fixes import UiThreadGarbageCollector, hand_the_gil_over_quickly

log = logging.getLogger(__name__)

APP_NAME = "Sổ Một Cửa"
ORGANIZATION = "SoMotCua"

#: Faces known to cover Vietnamese, in order of preference, when the default one does not.
VIETNAMESE_FACES = ("Segoe UI", "DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial", "Tahoma")


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName(ORGANIZATION)
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    set_vietnamese_font(app)
    qt_vietnamese.install(app)
    hand_the_gil_over_quickly()
    return app


def _covers_vietnamese(family: str) -> bool:
    return QFontDatabase.WritingSystem.Vietnamese in QFontDatabase.writingSystems(family)


def set_vietnamese_font(app: QApplication) -> str:
    """Make sure the interface font has Vietnamese glyphs; returns the family used.

    On Linux DejaVu Sans is preferred (the usual default there may lack some diacritics); on
    Windows the default Segoe UI is kept; elsewhere the first installed face that covers
    Vietnamese is used.
    """
    families = set(QFontDatabase.families())
    font = app.font()
    current = font.family()
    if sys.platform.startswith("linux") and "DejaVu Sans" in families:
        chosen = "DejaVu Sans"
    elif current in families and _covers_vietnamese(current):
        chosen = current
    else:
        chosen = next((f for f in VIETNAMESE_FACES if f in families and _covers_vietnamese(f)), current)
    if chosen != current:
        size = font.pointSizeF()
        font = QFont(chosen)
        if size > 0:
            font.setPointSizeF(size)
        app.setFont(font)
    return chosen


def create_main_window(ctx: AppContext) -> MainWindow:
    return MainWindow(ctx)


def show_startup_error(message: str, action: str) -> None:
    """The database cannot be opened: say why and what to do (blocking: there is no window yet)."""
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, message, QMessageBox.StandardButton.Ok)
    box.setObjectName("startupError")
    if action:
        box.setInformativeText(action)
    box.exec()


def run_first_run_wizard(ctx: AppContext) -> bool:
    wizard = FirstRunWizard(ctx)
    return wizard.exec() == QDialog.DialogCode.Accepted


def log_in(ctx: AppContext) -> bool:
    """Ask for a login when accounts are on (some officer has a password); single-user installs
    without passwords start straight away (docs/ACCOUNTS.md). False: the user chose "Thoát"."""
    from ..services import accounts
    from .login_dialog import LoginDialog

    if ctx.officer_id is not None or not accounts.accounts_enabled(ctx):
        return True
    return LoginDialog(ctx).exec() == QDialog.DialogCode.Accepted


def handle_exception(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook for the GUI: log with the traceback, show a plain message, keep running."""
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    if exc.__traceback__ is None and tb is not None:
        exc = exc.with_traceback(tb)
    try:
        message, detail = error_text(exc)  # logs the traceback when it is not a user-fixable error
        if isinstance(exc, UserFixableError):
            log.warning("Lỗi người dùng sửa được: %s", exc.message)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            parent = _message_parent(app)
            title = "Lỗi" if not isinstance(exc, UserFixableError) else "Không thực hiện được"
            show_message(parent, title, message, detail, QMessageBox.Icon.Critical)
    except Exception:  # never let the hook itself fail silently
        log.exception("Không hiển thị được thông báo lỗi")
        sys.__excepthook__(exc_type, exc, tb)


def _message_parent(app: QApplication) -> QWidget | None:
    """The window the user is looking at (a dialog first), else the visible main window."""
    for widget in (app.activeModalWidget(), app.activeWindow()):
        if widget is not None and widget.isVisible():
            return widget
    return next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()), None)


def install_excepthook() -> Callable:
    previous = sys.excepthook
    sys.excepthook = handle_exception
    return previous


#: Set by the benchmark (``bench/``): once the main window is shown, print the monotonic clock and
#: the peak memory on standard output and quit.
BENCH_EXIT_AFTER_SHOW = "MOTCUA_BENCH_EXIT_AFTER_SHOW"


def _exit_after_show(app: QApplication) -> None:
    def report() -> None:
        peak_kib = 0
        try:
            import resource  # Unix only

            peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        except ImportError:
            pass
        print(f"MOTCUA_BENCH_SHOWN {time.monotonic():.6f} {peak_kib}", flush=True)
        app.quit()

    QTimer.singleShot(0, report)  # runs once the show and first paint events are processed


def run(db: str | None = None) -> int:
    """Open the app on ``db`` (path or URL; default: MOTCUA_DB or the data folder). Exit code.

    A second instance on the same database file is refused with a message (single_instance)."""
    app = create_application()
    logs.setup_logging()
    try:
        instance_lock = single_instance.acquire(db)
    except UserFixableError as error:
        log.warning("Không mở được cơ sở dữ liệu: %s", type(error).__name__)
        show_startup_error(error.message, error.action)
        return 1
    try:
        return _run(app, db)
    finally:
        if instance_lock is not None:
            instance_lock.unlock()


def _run(app: QApplication, db: str | None) -> int:
    try:
        ctx = open_database(db)
    except UserFixableError as error:
        log.warning("Không mở được cơ sở dữ liệu: %s", type(error).__name__)
        show_startup_error(error.message, error.action)
        return 1
    except Exception as error:
        message, detail = error_text(error)
        show_startup_error(message, detail)
        return 1
    previous_hook = install_excepthook()
    try:
        try:
            configured = setup.is_configured(ctx)
        except UserFixableError as error:
            show_startup_error(error.message, error.action)
            return 1
        if not configured and not run_first_run_wizard(ctx):
            return 0
        if not log_in(ctx):
            return 0
        window = create_main_window(ctx)
        collector = UiThreadGarbageCollector(app)  # noqa: F841 - lives as long as the app runs
        window.show()
        if os.environ.get(BENCH_EXIT_AFTER_SHOW):
            _exit_after_show(app)
        return app.exec()
    finally:
        sys.excepthook = previous_hook
        ctx.dispose()


__all__ = ["run", "create_main_window", "create_application", "handle_exception", "set_vietnamese_font"]
