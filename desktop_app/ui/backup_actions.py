"""The "Dữ liệu" menu of the main window — Sao lưu ngay, Khôi phục từ bản sao lưu…, Kiểm tra dữ
liệu — the automatic backup every few minutes when the data changed (at most every 30 minutes)
and the backup at exit. The work runs off the UI thread (ui.workers); closing the window waits
for the backup at exit in a local event loop, so the window keeps painting meanwhile.

Only SQLite files are backed up here; on a shared PostgreSQL database the actions explain that
the server makes the backups.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMenu,
    QMenuBar,
    QMessageBox,
    QProgressDialog,
)

from ..domain.roles import Permission
from ..services import accounts, backups
from ..storage.errors import UserFixableError
from .common import show_error, show_message
from .workers import run_in_background, the_bridge

log = logging.getLogger(__name__)

#: How often the window asks whether an automatic backup is due (the rule itself: the data
#: changed and the last backup is 30 minutes old, services.backups.auto_backup_due).
AUTO_CHECK_INTERVAL_MS = 5 * 60_000
#: A backup at exit shorter than this shows no progress window.
EXIT_PROGRESS_AFTER_MS = 400


def ask_restore(parent, file_name: str) -> bool:
    """The confirmation before a restore (a function, so tests can answer it)."""
    answer = QMessageBox.question(
        parent,
        parent.tr("Khôi phục dữ liệu"),
        parent.tr("Thay toàn bộ dữ liệu hiện tại bằng bản sao lưu “{name}”?\n\n"
                  "Những gì nhập sau thời điểm sao lưu sẽ không còn trong sổ. Dữ liệu hiện tại "
                  "được sao lưu trước (tên có chữ “truockhoiphuc”), nên vẫn lấy lại được.").format(name=file_name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


class BackupActions(QObject):
    """Owns the three actions, the automatic-backup timer and their background jobs."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self._job: tuple[str, object] | None = None  # (kind, token) of the running job
        self._reported_auto_error: str | None = None
        self.progress: QProgressDialog | None = None
        self.exiting = False  # the backup at exit is running

        self.backup_action = QAction(self.tr("&Sao lưu ngay"), window)
        self.backup_action.setObjectName("backupAction")
        self.backup_action.setToolTip(self.tr("Sao lưu dữ liệu vào thư mục backups (có kiểm tra toàn vẹn)"))
        self.backup_action.triggered.connect(self.backup_now)
        self.restore_action = QAction(self.tr("&Khôi phục từ bản sao lưu…"), window)
        self.restore_action.setObjectName("restoreAction")
        self.restore_action.triggered.connect(self.restore)
        self.check_action = QAction(self.tr("&Kiểm tra dữ liệu"), window)
        self.check_action.setObjectName("checkAction")
        self.check_action.triggered.connect(self.check)

        the_bridge().finished.connect(self._finished)
        self.timer = QTimer(self)
        self.timer.setObjectName("autoBackupTimer")
        self.timer.setInterval(AUTO_CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.auto_backup)
        self.timer.start()

    def make_menu(self, bar: QMenuBar) -> QMenu:
        menu = bar.addMenu(self.tr("&Dữ liệu"))
        menu.setObjectName("dataMenu")
        menu.addAction(self.backup_action)
        menu.addAction(self.restore_action)
        menu.addSeparator()
        menu.addAction(self.check_action)
        self.apply_permissions()
        return menu

    def apply_permissions(self) -> None:
        """Restoring replaces everyone's data: quản trị only (once accounts are on)."""
        allowed = accounts.can(self.ctx, Permission.MANAGE_ACCOUNTS)
        self.restore_action.setEnabled(allowed)
        if not allowed:
            self.restore_action.setToolTip(self.tr("Chỉ quản trị được khôi phục dữ liệu."))

    # --- background jobs ---------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._job is not None

    def _start(self, kind: str, job) -> bool:
        if self._job is not None:
            self.window.statusBar().showMessage(self.tr("Đang sao lưu hoặc kiểm tra dữ liệu, xin chờ…"), 5000)
            return False
        token = object()
        self._job = (kind, token)
        run_in_background(token, job)
        return True

    def _finished(self, token: object, result: object, error: object) -> None:
        if self._job is None or token is not self._job[1]:
            return
        kind = self._job[0]
        self._job = None
        handler = getattr(self, f"_{kind.replace('-', '_')}_done")
        handler(result, error)

    # --- Sao lưu ngay ------------------------------------------------------------------------

    def backup_now(self) -> None:
        ctx = self.ctx
        if self._start("backup", lambda: backups.backup_now(ctx, "manual")):
            self.window.statusBar().showMessage(self.tr("Đang sao lưu dữ liệu…"))

    def _backup_done(self, result: object, error: object) -> None:
        self.window.statusBar().clearMessage()
        if error is not None:
            show_error(self.window, error, self.tr("Không sao lưu được"))  # type: ignore[arg-type]
            return
        if result is None:
            show_message(self.window, self.tr("Sao lưu"),
                         self.tr("Cơ sở dữ liệu dùng chung (PostgreSQL) được sao lưu trên máy chủ."),
                         self.tr("Hãy nhờ người quản trị máy chủ kiểm tra lịch sao lưu pg_dump."))
            return
        path = Path(str(result))
        self.window.statusBar().showMessage(
            self.tr("Đã sao lưu vào {path} (đã kiểm tra toàn vẹn).").format(path=path), 15000)

    # --- automatic backup --------------------------------------------------------------------

    def auto_backup(self) -> None:
        """Timer slot: a backup when the data changed and the last one is 30 minutes old."""
        if self._job is not None:
            return
        ctx = self.ctx

        def job() -> object:
            if not backups.auto_backup_due(ctx, ctx.clock()):
                return None
            return backups.backup_now(ctx, "auto")

        self._start("auto", job)

    def _auto_done(self, result: object, error: object) -> None:
        if error is not None:
            # said once (a damaged database would otherwise be reported every five minutes)
            text = str(error)
            log.warning("Automatic backup failed: %s", type(error).__name__)
            if text != self._reported_auto_error:
                self._reported_auto_error = text
                show_error(self.window, error, self.tr("Sao lưu tự động không thực hiện được"))  # type: ignore[arg-type]
            return
        self._reported_auto_error = None
        if result is not None:
            self.window.statusBar().showMessage(self.tr("Đã tự động sao lưu dữ liệu."), 8000)

    def backup_at_exit(self) -> Path | None:
        """On closing: a backup if anything changed since the last one; closing waits for it.

        The backup runs on a worker while the event loop goes on and, after 0.4 s, a small
        window says what is happening: a backup of 200,000 dossiers takes seconds, and a window
        that stops painting for that long looks "Not responding". A failure is logged and
        closing goes on.
        """
        self.timer.stop()
        try:
            if not backups.changed_since_last_backup(self.ctx):
                return None
        except Exception as error:  # closing goes on; the reason is in the log
            self._log_exit_failure(error)
            return None
        outcome: list[object] = [None, None]
        loop = QEventLoop(self)
        token = object()

        def finished(done: object, result: object, error: object) -> None:
            if done is token:
                outcome[:] = [result, error]
                loop.quit()

        waiting = QProgressDialog(self.tr("Đang sao lưu dữ liệu trước khi đóng chương trình…"), "", 0, 0,
                                  self.window)
        waiting.setObjectName("exitBackupProgress")
        waiting.setWindowTitle(self.tr("Sao lưu khi thoát"))
        waiting.setCancelButton(None)  # a backup at exit is never skipped once started
        waiting.setWindowModality(Qt.WindowModality.ApplicationModal)
        waiting.setMinimumDuration(EXIT_PROGRESS_AFTER_MS)
        waiting.setValue(0)
        bridge = the_bridge()
        bridge.finished.connect(finished)
        self.exiting = True
        self.window.setEnabled(False)  # it keeps painting; no menu or button starts anything now
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            run_in_background(token, lambda: backups.backup_now(self.ctx, "exit"))
            loop.exec()
        finally:
            QGuiApplication.restoreOverrideCursor()
            bridge.finished.disconnect(finished)
            waiting.close()
            waiting.deleteLater()
            self.window.setEnabled(True)
            self.exiting = False
        result, error = outcome
        if error is not None:
            self._log_exit_failure(error)  # type: ignore[arg-type]
            return None
        return result  # type: ignore[return-value]

    @staticmethod
    def _log_exit_failure(error: BaseException) -> None:
        log.warning("Backup at exit failed: %s", type(error).__name__,
                    exc_info=(type(error), error, error.__traceback__)
                    if not isinstance(error, UserFixableError) else None)

    # --- Khôi phục ---------------------------------------------------------------------------

    def restore(self) -> None:
        folder = backups.backups_folder(self.ctx)
        if folder is None:
            show_message(self.window, self.tr("Khôi phục dữ liệu"),
                         self.tr("Cơ sở dữ liệu dùng chung (PostgreSQL) được khôi phục trên máy chủ."),
                         self.tr("Hãy nhờ người quản trị máy chủ (pg_restore)."))
            return
        path, _ = QFileDialog.getOpenFileName(
            self.window, self.tr("Chọn bản sao lưu để khôi phục"), str(folder if folder.exists() else ""),
            self.tr("Bản sao lưu Sổ Một Cửa (*.sqlite3)"))
        if not path or not ask_restore(self.window, Path(path).name):
            return
        ctx = self.ctx
        if not self._start("restore", lambda: backups.restore(ctx, Path(path))):
            return
        self.progress = QProgressDialog(self.tr("Đang khôi phục dữ liệu, xin chờ…"), "", 0, 0, self.window)
        self.progress.setObjectName("restoreProgress")
        self.progress.setCancelButton(None)
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.show()

    def _restore_done(self, result: object, error: object) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        if error is not None:
            show_error(self.window, error, self.tr("Không khôi phục được"))  # type: ignore[arg-type]
            return
        self.window.settings_changed()  # officers, procedures, the list: read everything again
        count = getattr(result, "dossiers", 0)
        safety = getattr(result, "safety_backup", None)
        detail = self.tr("Dữ liệu trước khi khôi phục được giữ ở {path}.").format(path=safety) if safety else ""
        show_message(
            self.window, self.tr("Đã khôi phục dữ liệu"),
            self.tr("Đã khôi phục {count} hồ sơ từ bản sao lưu. Nên đóng rồi mở lại chương trình để mọi "
                    "cửa sổ dùng dữ liệu vừa khôi phục.").format(count=f"{count:,}".replace(",", ".")),
            detail,
        )

    # --- Kiểm tra dữ liệu --------------------------------------------------------------------

    def check(self) -> None:
        ctx = self.ctx
        if self._start("check", lambda: backups.check(ctx)):
            self.window.statusBar().showMessage(self.tr("Đang kiểm tra dữ liệu…"))

    def _check_done(self, result: object, error: object) -> None:
        self.window.statusBar().clearMessage()
        if error is not None:
            show_error(self.window, error, self.tr("Không kiểm tra được"))  # type: ignore[arg-type]
            return
        if getattr(result, "ok", False):
            show_message(self.window, self.tr("Kiểm tra dữ liệu"),
                         self.tr("Dữ liệu toàn vẹn, không có liên kết hỏng."),
                         self.tr("Tệp: {path}").format(path=getattr(result, "database", "")))
            return
        problems = [*getattr(result, "integrity", []), *getattr(result, "foreign_keys", [])]
        show_message(
            self.window, self.tr("Kiểm tra dữ liệu"),
            self.tr("Tệp dữ liệu có lỗi ({count} chỗ).").format(count=len(problems)),
            self.tr("Hãy khôi phục từ bản sao lưu gần nhất (Dữ liệu → Khôi phục từ bản sao lưu…).\n\n")
            + "\n".join(problems[:5]),
            QMessageBox.Icon.Warning,
        )


__all__ = ["AUTO_CHECK_INTERVAL_MS", "BackupActions", "ask_restore"]
