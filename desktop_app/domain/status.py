"""Dossier statuses, channels and the one place where status changes are decided.

Status codes are those the national sync uses (SPEC §3). Every change of status goes through
:func:`next_status`, which either returns the new status or raises :class:`TransitionRefused`
with the reason in Vietnamese.
"""

from __future__ import annotations

from enum import Enum, IntEnum


class Status(IntEnum):
    MOI_DANG_KY = 1
    DUOC_TIEP_NHAN = 2
    TU_CHOI = 3
    DANG_XU_LY = 4
    YEU_CAU_BO_SUNG = 5
    NGHIA_VU_TAI_CHINH = 6
    RUT_HO_SO = 7
    DUNG_XU_LY = 8
    DA_XU_LY_XONG = 9
    DA_TRA_KET_QUA = 10

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_ended(self) -> bool:
        """Processing has ended (the index's NgayKetThucXuLy is set)."""
        return self in ENDED_STATUSES


STATUS_LABELS: dict[Status, str] = {
    Status.MOI_DANG_KY: "Mới đăng ký",
    Status.DUOC_TIEP_NHAN: "Được tiếp nhận",
    Status.TU_CHOI: "Không được tiếp nhận",
    Status.DANG_XU_LY: "Đang xử lý",
    Status.YEU_CAU_BO_SUNG: "Yêu cầu bổ sung giấy tờ",
    Status.NGHIA_VU_TAI_CHINH: "Yêu cầu thực hiện nghĩa vụ tài chính",
    Status.RUT_HO_SO: "Công dân yêu cầu rút hồ sơ",
    Status.DUNG_XU_LY: "Dừng xử lý",
    Status.DA_XU_LY_XONG: "Đã xử lý xong",
    Status.DA_TRA_KET_QUA: "Đã trả kết quả",
}

ENDED_STATUSES = frozenset(
    {Status.TU_CHOI, Status.RUT_HO_SO, Status.DUNG_XU_LY, Status.DA_XU_LY_XONG, Status.DA_TRA_KET_QUA}
)
#: Statuses whose dossier must carry a refusal / withdrawal / stop document.
END_DOCUMENT_STATUSES = frozenset({Status.TU_CHOI, Status.RUT_HO_SO, Status.DUNG_XU_LY})
#: Statuses with a result (processing finished successfully).
FINISHED_STATUSES = frozenset({Status.DA_XU_LY_XONG, Status.DA_TRA_KET_QUA})


class Channel(IntEnum):
    TRUC_TIEP = 1
    TRUC_TUYEN = 2
    BUU_CHINH = 3

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self]


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.TRUC_TIEP: "Trực tiếp",
    Channel.TRUC_TUYEN: "Trực tuyến",
    Channel.BUU_CHINH: "Bưu chính công ích",
}


class Action(str, Enum):
    """What an officer does to a dossier; each maps to at most one new status."""

    TIEP_NHAN = "tiep_nhan"
    CHUYEN_XU_LY = "chuyen_xu_ly"
    YEU_CAU_BO_SUNG = "yeu_cau_bo_sung"
    HOAN_THANH_BO_SUNG = "hoan_thanh_bo_sung"
    YEU_CAU_NGHIA_VU_TAI_CHINH = "yeu_cau_nghia_vu_tai_chinh"
    HOAN_THANH_NGHIA_VU_TAI_CHINH = "hoan_thanh_nghia_vu_tai_chinh"
    TU_CHOI = "tu_choi"
    DUNG_XU_LY = "dung_xu_ly"
    RUT_HO_SO = "rut_ho_so"
    CO_KET_QUA = "co_ket_qua"
    TRA_KET_QUA = "tra_ket_qua"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS: dict[Action, str] = {
    Action.TIEP_NHAN: "Tiếp nhận",
    Action.CHUYEN_XU_LY: "Chuyển xử lý",
    Action.YEU_CAU_BO_SUNG: "Yêu cầu bổ sung",
    Action.HOAN_THANH_BO_SUNG: "Hoàn thành bổ sung",
    Action.YEU_CAU_NGHIA_VU_TAI_CHINH: "Yêu cầu nghĩa vụ tài chính",
    Action.HOAN_THANH_NGHIA_VU_TAI_CHINH: "Hoàn thành nghĩa vụ tài chính",
    Action.TU_CHOI: "Từ chối tiếp nhận",
    Action.DUNG_XU_LY: "Dừng xử lý",
    Action.RUT_HO_SO: "Rút hồ sơ",
    Action.CO_KET_QUA: "Có kết quả",
    Action.TRA_KET_QUA: "Trả kết quả",
}

_OPEN_PROCESSING = (Status.DUOC_TIEP_NHAN, Status.DANG_XU_LY)

#: action -> (statuses it may start from, status it leads to)
TRANSITIONS: dict[Action, tuple[tuple[Status, ...], Status]] = {
    Action.TIEP_NHAN: ((Status.MOI_DANG_KY,), Status.DUOC_TIEP_NHAN),
    Action.CHUYEN_XU_LY: ((Status.DUOC_TIEP_NHAN,), Status.DANG_XU_LY),
    Action.YEU_CAU_BO_SUNG: (
        (Status.MOI_DANG_KY, *_OPEN_PROCESSING),
        Status.YEU_CAU_BO_SUNG,
    ),
    Action.HOAN_THANH_BO_SUNG: ((Status.YEU_CAU_BO_SUNG,), Status.DANG_XU_LY),
    Action.YEU_CAU_NGHIA_VU_TAI_CHINH: (_OPEN_PROCESSING, Status.NGHIA_VU_TAI_CHINH),
    Action.HOAN_THANH_NGHIA_VU_TAI_CHINH: ((Status.NGHIA_VU_TAI_CHINH,), Status.DANG_XU_LY),
    Action.TU_CHOI: (
        (Status.MOI_DANG_KY, Status.DUOC_TIEP_NHAN, Status.YEU_CAU_BO_SUNG), Status.TU_CHOI
    ),
    Action.DUNG_XU_LY: (
        (*_OPEN_PROCESSING, Status.YEU_CAU_BO_SUNG, Status.NGHIA_VU_TAI_CHINH),
        Status.DUNG_XU_LY,
    ),
    Action.RUT_HO_SO: (
        (Status.MOI_DANG_KY, *_OPEN_PROCESSING, Status.YEU_CAU_BO_SUNG, Status.NGHIA_VU_TAI_CHINH),
        Status.RUT_HO_SO,
    ),
    Action.CO_KET_QUA: ((*_OPEN_PROCESSING, Status.NGHIA_VU_TAI_CHINH), Status.DA_XU_LY_XONG),
    Action.TRA_KET_QUA: ((Status.DA_XU_LY_XONG,), Status.DA_TRA_KET_QUA),
}


class TransitionRefused(ValueError):
    """A status change that the rules do not allow; ``str(exc)`` is the Vietnamese reason."""


def allowed_actions(status: Status) -> list[Action]:
    """Actions that can be taken on a dossier in ``status``, in display order."""
    return [action for action, (sources, _) in TRANSITIONS.items() if status in sources]


def next_status(status: Status, action: Action) -> Status:
    """The status ``action`` leads to from ``status``, or :class:`TransitionRefused`."""
    status, action = Status(status), Action(action)
    sources, target = TRANSITIONS[action]
    if status in sources:
        return target
    if status.is_ended:
        raise TransitionRefused(
            f"Hồ sơ đã ở trạng thái “{status.label}”, không thể “{action.label.lower()}” nữa."
        )
    allowed = ", ".join(f"“{STATUS_LABELS[s]}”" for s in sources)
    raise TransitionRefused(
        f"Không thể “{action.label.lower()}” khi hồ sơ đang ở trạng thái “{status.label}”. "
        f"Thao tác này chỉ làm được khi hồ sơ ở trạng thái {allowed}."
    )
