"""Warning rules (SPEC §4): the counter mistakes that cost Decision 766 points.

Each rule is a pure function of a dossier's facts, "now" and the working-day calendar. Codes
are stable: they are stored with the dossier, shown in the queue and printed in the JSON.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from .calendar import END_OF_DAY, WorkCalendar
from .identity import check_id_number
from .procedure import OnlineLevel
from .status import END_DOCUMENT_STATUSES, FINISHED_STATUSES, Channel, Status


@dataclass(frozen=True)
class SupplementFacts:
    requested_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True)
class DossierFacts:
    """What the rules need to know about one dossier and its procedure."""

    status: Status
    channel: Channel
    received_at: datetime
    due_at: datetime | None
    ended_at: datetime | None
    result_is_document: bool
    citizen_facing: bool
    online_level: OnlineLevel
    identity_checked: bool
    id_number: str
    id_kind: str
    any_component_digitised: bool
    any_reused: bool
    any_from_kho: bool
    has_result_file: bool
    result_signed: bool
    has_end_document: bool
    fee: int
    payment_method: str
    synced: bool
    satisfaction: str
    supplements: tuple[SupplementFacts, ...] = ()

    @property
    def supplement_count(self) -> int:
        return len(self.supplements)


def effective_due(facts: DossierFacts) -> datetime | None:
    """The due date moved by the time spent waiting for completed supplements (DOCX 2.1)."""
    if facts.due_at is None:
        return None
    waited = sum(
        ((s.completed_at - s.requested_at) for s in facts.supplements if s.completed_at is not None),
        timedelta(0),
    )
    return facts.due_at + waited


def evaluation_time(facts: DossierFacts, now: datetime) -> datetime:
    """When timeliness is judged: the end of processing, the open supplement request, or now."""
    if Status(facts.status).is_ended and facts.ended_at is not None:
        return facts.ended_at
    waiting = [s.requested_at for s in facts.supplements if s.completed_at is None]
    if facts.status == Status.YEU_CAU_BO_SUNG and waiting:
        return max(waiting)
    return now


def is_late(facts: DossierFacts, now: datetime) -> bool:
    due = effective_due(facts)
    if facts.supplement_count > 1:
        return True  # the index counts a second supplement request as overdue
    return due is not None and evaluation_time(facts, now) > due


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    explanation: str
    severity: str  # cao | trung_binh | thap
    protects: tuple[str, ...]
    fix: str  # what the GUI opens to fix it (a field or an action key)
    applies: Callable[[DossierFacts, datetime, WorkCalendar], bool]


def _result_file_missing(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    return f.status in FINISHED_STATUSES and f.result_is_document and not f.has_result_file


def _components_not_digitised(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    return (
        f.channel in (Channel.TRUC_TIEP, Channel.BUU_CHINH)
        and f.status >= Status.DUOC_TIEP_NHAN
        and f.status != Status.TU_CHOI
        and not (f.any_component_digitised or f.any_reused or f.any_from_kho)
    )


def _identity_not_checked(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    return f.citizen_facing and not f.identity_checked


def _end_document_missing(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    return f.status in END_DOCUMENT_STATUSES and not f.has_end_document


def _kho_not_used(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    return f.status != Status.TU_CHOI and not (f.any_from_kho or f.any_reused)


def _fee_not_paid_online(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    return f.fee > 0 and f.payment_method != "truc_tuyen" and f.status not in (Status.TU_CHOI, Status.RUT_HO_SO)


def _overdue(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    due = effective_due(f)
    return due is not None and evaluation_time(f, now) > due


def _due_soon(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    due = effective_due(f)
    if due is None or Status(f.status).is_ended or f.status == Status.YEU_CAU_BO_SUNG or now > due:
        return False
    return due.date() <= cal.next_working_day(now.date())


def _second_supplement(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    return f.supplement_count > 1


def _result_not_signed(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    return f.has_result_file and not f.result_signed


def _not_synced(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    if f.status < Status.DUOC_TIEP_NHAN or f.synced:
        return False
    deadline = datetime.combine(cal.add_working_days(f.received_at.date(), 1), END_OF_DAY)
    return now > deadline


def _paper_for_full_online(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    return f.online_level is OnlineLevel.TOAN_TRINH and f.channel == Channel.TRUC_TIEP


def _invalid_id_number(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    return bool(f.id_number) and f.id_kind != "none" and not check_id_number(f.id_number).ok


def _no_satisfaction(f: DossierFacts, now: datetime, cal: WorkCalendar) -> bool:
    return f.status == Status.DA_TRA_KET_QUA and f.satisfaction in ("", "chua_danh_gia")


RULES: tuple[Rule, ...] = (
    Rule("RESULT_FILE_MISSING", "Chưa có tệp kết quả điện tử",
         "Hồ sơ đã có kết quả (giấy tờ) nhưng chưa đính kèm tệp kết quả điện tử: không được tính là "
         "kết quả số hóa, và hồ sơ trực tuyến không được tính là trực tuyến.",
         "cao", ("ORIGINAL_RESULT_AVAILABLE", "SO_HOA_GIAY_TO_GIAI_QUYET", "ONLINE_DOSSIERS"),
         "result_file", _result_file_missing),
    Rule("COMPONENTS_NOT_DIGITISED", "Thành phần hồ sơ giấy chưa được số hóa",
         "Hồ sơ nộp trực tiếp hoặc qua bưu chính chưa có thành phần nào được quét, tái sử dụng hay lấy từ kho.",
         "cao", ("SO_HOA_GIAY_TO_GIAI_QUYET",), "components", _components_not_digitised),
    Rule("IDENTITY_NOT_CHECKED", "Chưa xác thực định danh công dân",
         "Chưa đối chiếu chủ hồ sơ với CSDL quốc gia về dân cư hoặc VNeID khi tiếp nhận.",
         "cao", ("CITIZEN_DATA_CONNECTED_DOSSIER", "CITIZEN_DATA_CONNECTED_FORMALITY"),
         "identity_checked", _identity_not_checked),
    Rule("END_DOCUMENT_MISSING", "Thiếu văn bản từ chối / dừng / rút hồ sơ",
         "Hồ sơ bị từ chối, dừng xử lý hoặc công dân rút nhưng chưa đính kèm phiếu, thông báo tương ứng.",
         "cao", ("ORIGINAL_RESULT_AVAILABLE", "SO_HOA_GIAY_TO_GIAI_QUYET"), "end_document",
         _end_document_missing),
    Rule("KHO_NOT_USED", "Chưa dùng kho dữ liệu của công dân",
         "Không có thành phần nào được lấy từ kho dữ liệu của công dân trên Cổng DVCQG hay tái sử dụng dữ liệu đã số hóa.",
         "trung_binh", ("SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "REUSED_DIGITIZED_DATA"), "components",
         _kho_not_used),
    Rule("FEE_NOT_PAID_ONLINE", "Phí, lệ phí chưa thanh toán trực tuyến",
         "Hồ sơ có phí nhưng không thanh toán trực tuyến qua Cổng DVCQG.",
         "trung_binh", ("PAYMENT_ONLINE_DOSSIER", "PAYMENT_ONLINE_FORMALITY"), "payment_method",
         _fee_not_paid_online),
    Rule("OVERDUE", "Quá hạn giải quyết",
         "Hồ sơ đã quá ngày hẹn trả (hoặc đã kết thúc sau ngày hẹn trả): trừ điểm tiến độ và điểm hài lòng.",
         "cao", ("PROGRESS_ON_TIME", "DOSSIER_RECEIVING_SATISFACTION"), "actions", _overdue),
    Rule("DUE_SOON", "Sắp đến hạn trả",
         "Hồ sơ chưa xong và đến hạn trả trong vòng 1 ngày làm việc.",
         "trung_binh", ("PROGRESS_ON_TIME", "DOSSIER_RECEIVING_SATISFACTION"), "actions", _due_soon),
    Rule("SECOND_SUPPLEMENT", "Yêu cầu bổ sung lần thứ hai",
         "Hồ sơ bị yêu cầu bổ sung quá một lần: chỉ số 766 tính là quá hạn.",
         "cao", ("PROGRESS_ON_TIME",), "history", _second_supplement),
    Rule("RESULT_NOT_SIGNED", "Kết quả chưa ký số",
         "Đã có tệp kết quả nhưng chưa đánh dấu đã ký số.",
         "thap", ("ORIGINAL_RESULT_AVAILABLE",), "result_signed", _result_not_signed),
    Rule("NOT_SYNCED", "Chưa nhập / đồng bộ lên hệ thống của tỉnh",
         "Quá 1 ngày làm việc mà hồ sơ chưa được đánh dấu đã nhập lên hệ thống một cửa của tỉnh.",
         "cao", ("DOSSIER_SYNC",), "synced", _not_synced),
    Rule("PAPER_FOR_FULL_ONLINE", "Nhận hồ sơ giấy cho thủ tục toàn trình",
         "Thủ tục cung cấp dịch vụ công trực tuyến toàn trình nhưng hồ sơ được nhận trực tiếp: nên hướng dẫn công dân nộp trực tuyến.",
         "thap", ("ONLINE_DOSSIERS",), "channel", _paper_for_full_online),
    Rule("INVALID_ID_NUMBER", "Số định danh không hợp lệ",
         "Số định danh không đủ 12 chữ số với mã tỉnh hợp lệ (hoặc 9 số CMND cũ).",
         "trung_binh", ("CITIZEN_DATA_CONNECTED_DOSSIER",), "id_number", _invalid_id_number),
    Rule("NO_SATISFACTION", "Chưa ghi nhận đánh giá hài lòng",
         "Đã trả kết quả nhưng chưa ghi nhận mức độ hài lòng của công dân.",
         "thap", ("DOSSIER_RECEIVING_SATISFACTION",), "satisfaction", _no_satisfaction),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}
SEVERITY_LABELS = {"cao": "Cao", "trung_binh": "Trung bình", "thap": "Thấp"}


def evaluate(facts: DossierFacts, now: datetime, cal: WorkCalendar) -> list[str]:
    """Codes of the rules that fire for this dossier, in the table's order."""
    return [rule.code for rule in RULES if rule.applies(facts, now, cal)]
