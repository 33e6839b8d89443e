"""``motcua history``, ``motcua delete`` and ``motcua officer-password``: a dossier's change
history, a soft delete with a reason (lãnh đạo, quản trị), an officer's password.

The acting officer is the global ``--officer`` (or the default one, see ``common.open_context``);
it is written into the audit log with every change."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from ..storage.errors import UserFixableError
from .common import EXIT_OK, Command, open_context, print_json

#: A script may pass the new password in this variable instead of typing it.
PASSWORD_ENV = "MOTCUA_NEW_PASSWORD"


def _dossier_id(ctx, code: str):
    from ..services import dossiers

    view = dossiers.find_by_code(ctx, code)
    if view is None:
        raise UserFixableError(f"Không có hồ sơ mã “{code.strip()}”.", "Hãy kiểm tra lại mã hồ sơ.")
    return view


def _configure_history(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="MÃ_HỒ_SƠ", help="mã hồ sơ, ví dụ 000.00.53.H48-260212-0001")


def run_history(args: argparse.Namespace) -> int:
    from ..services import audit

    ctx = open_context(args)
    try:
        dossier_id = audit.dossier_id_by_code(ctx, args.code)
        if dossier_id is None:
            raise UserFixableError(f"Không có hồ sơ mã “{args.code.strip()}”.", "Hãy kiểm tra lại mã hồ sơ.")
        history = audit.dossier_history(ctx, dossier_id)
    finally:
        ctx.dispose()
    if args.json:
        print_json([{"at": h.at.isoformat(), "officer": h.officer, "what": h.what, "field": h.field,
                     "action": h.action, "old": h.old, "new": h.new} for h in history])
        return EXIT_OK
    for h in history:
        change = f"{h.old} → {h.new}" if h.old and h.new else (h.new or h.old)
        print(f"{h.at:%H:%M %d/%m/%Y}  {h.officer:<22}  {h.what}: {change}")
    return EXIT_OK


def _configure_delete(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="MÃ_HỒ_SƠ", help="mã hồ sơ cần xóa")
    parser.add_argument("--reason", required=True, metavar="LÝ_DO", help="lý do xóa (bắt buộc), ví dụ “nhập trùng”")


def run_delete(args: argparse.Namespace) -> int:
    from ..services import deletion

    ctx = open_context(args)
    try:
        view = _dossier_id(ctx, args.code)
        code = deletion.delete_dossier(ctx, view.id, args.reason)
    finally:
        ctx.dispose()
    if args.json:
        print_json({"deleted": code})
    else:
        print(f"Đã xóa hồ sơ {code}. Lịch sử thay đổi vẫn được giữ.")
    return EXIT_OK


def _configure_password(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("username", metavar="TÊN_ĐĂNG_NHẬP", help="cán bộ cần đặt mật khẩu")


def run_password(args: argparse.Namespace) -> int:
    from ..services import accounts

    password = os.environ.get(PASSWORD_ENV)
    again = password
    if password is None:
        if not sys.stdin.isatty():
            raise UserFixableError("Không nhập được mật khẩu khi không có bàn phím.",
                                   f"Hãy chạy lệnh trong cửa sổ dòng lệnh, hoặc đặt biến {PASSWORD_ENV}.")
        password = getpass.getpass("Mật khẩu mới: ")
        again = getpass.getpass("Nhập lại mật khẩu mới: ")
    ctx = open_context(args)
    try:
        officer = accounts.officer_by_username(ctx, args.username)
        accounts.reset_password(ctx, officer.id, password, again)
    finally:
        ctx.dispose()
    print(f"Đã đặt mật khẩu mới cho {officer.username}.")
    return EXIT_OK


COMMANDS: dict[str, Command] = {
    "history": Command("lịch sử thay đổi của một hồ sơ (ai, khi nào, sửa gì)", _configure_history, run_history),
    "delete": Command("xóa một hồ sơ (lãnh đạo, quản trị), có ghi lý do; lịch sử vẫn được giữ",
                      _configure_delete, run_delete),
    "officer-password": Command("đặt mật khẩu đăng nhập cho một cán bộ (quản trị)", _configure_password,
                                run_password),
}
