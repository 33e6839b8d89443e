"""Officer roles and what each may do (SPEC §9).

Three roles: cán bộ tiếp nhận (``tiep_nhan``) receives and processes dossiers; lãnh đạo
(``lanh_dao``) and quản trị (``quan_tri``) may also change what the whole office relies on — the
procedure catalogue, the 766 scoring file, the campaigns, the accounts — and delete a dossier
(a soft delete, with a reason, kept in the audit log).
"""

from __future__ import annotations

from enum import Enum


class Role(str, Enum):
    TIEP_NHAN = "tiep_nhan"
    LANH_DAO = "lanh_dao"
    QUAN_TRI = "quan_tri"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self.value]


ROLE_LABELS = {"tiep_nhan": "Cán bộ tiếp nhận", "lanh_dao": "Lãnh đạo", "quan_tri": "Quản trị"}


class Permission(str, Enum):
    RECEIVE = "receive"  # tiếp nhận hồ sơ
    PROCESS = "process"  # sửa hồ sơ, chuyển trạng thái, đính kèm
    EDIT_CATALOGUE = "edit_catalogue"  # danh mục thủ tục, ngày nghỉ, thông tin đơn vị
    EDIT_SCORING = "edit_scoring"  # nạp bộ chỉ số 766
    EDIT_CAMPAIGNS = "edit_campaigns"
    MANAGE_ACCOUNTS = "manage_accounts"  # thêm cán bộ, vai trò, đặt lại mật khẩu
    DELETE_DOSSIER = "delete_dossier"

    @property
    def label(self) -> str:
        """What the officer was trying to do, for "Bạn không có quyền …"."""
        return PERMISSION_LABELS[self.value]


PERMISSION_LABELS = {
    "receive": "tiếp nhận hồ sơ",
    "process": "sửa và xử lý hồ sơ",
    "edit_catalogue": "sửa danh mục thủ tục và cài đặt chung",
    "edit_scoring": "nạp bộ chỉ số 766",
    "edit_campaigns": "sửa chiến dịch",
    "manage_accounts": "quản lý tài khoản cán bộ",
    "delete_dossier": "xóa hồ sơ",
}

_EVERYONE = frozenset({Permission.RECEIVE, Permission.PROCESS})
_LEADERS = frozenset(Permission)

#: The permission table: role → what it may do.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.TIEP_NHAN: _EVERYONE,
    Role.LANH_DAO: _LEADERS,
    Role.QUAN_TRI: _LEADERS,
}


def allows(role: str | Role | None, permission: str | Permission) -> bool:
    """Whether ``role`` may do ``permission``; an unknown role may do nothing."""
    try:
        return Permission(permission) in PERMISSIONS[Role(role)]
    except (ValueError, KeyError):
        return False


__all__ = ["PERMISSIONS", "PERMISSION_LABELS", "ROLE_LABELS", "Permission", "Role", "allows"]
