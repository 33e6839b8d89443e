"""The counter slips of one dossier (SPEC §6; forms of TT 01/2018/TT-VPCP, kept by TT 03/2025):

* ``receipt`` — Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả (QR code of the mã hồ sơ);
* ``supplement`` — Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (the latest request);
* ``refusal`` — Mẫu 03 Phiếu từ chối tiếp nhận, giải quyết hồ sơ;
* ``stop`` — Mẫu 05 Thông báo dừng giải quyết hồ sơ;
* ``withdrawal`` — Phiếu ghi nhận công dân rút hồ sơ.

A dossier missing what its slip needs is refused with :class:`SlipDataMissing`, listing the
missing fields, and no file is written. :func:`attach_end_document` stores the refusal, stop or
withdrawal slip as the dossier's end document (the attachment store, as a scanned file would be),
which clears its END_DOCUMENT_MISSING warning.
"""

from __future__ import annotations

import tempfile
import uuid
from datetime import datetime
from pathlib import Path

from ..domain.procedure import CopyKind
from ..domain.status import Status
from ..domain.text import fold
from ..storage.errors import UserFixableError
from ..storage.pdf import layout
from ..storage.pdf.slips import FieldLine, Grid, Para, SlipData, slip_bytes, write_slip_pdf
from . import dossiers
from .context import AppContext
from .setup import get_profile
from .views import PAYMENT_LABELS, DossierView, ProfileView

KINDS = ("receipt", "supplement", "refusal", "stop", "withdrawal")
END_DOCUMENT_KINDS = {"refusal": Status.TU_CHOI, "stop": Status.DUNG_XU_LY, "withdrawal": Status.RUT_HO_SO}
TITLES = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
    "refusal": "Phiếu từ chối tiếp nhận, giải quyết hồ sơ",
    "stop": "Thông báo",
    "withdrawal": "Phiếu ghi nhận rút hồ sơ",
}
FILE_NAMES = {
    "receipt": "giay-tiep-nhan",
    "supplement": "phieu-yeu-cau-bo-sung",
    "refusal": "phieu-tu-choi",
    "stop": "thong-bao-dung-giai-quyet",
    "withdrawal": "phieu-rut-ho-so",
}
PAGE_SIZES = ("A4", "A5")


class SlipDataMissing(UserFixableError):
    """The dossier lacks what the slip needs; ``missing`` lists the fields (Vietnamese)."""

    def __init__(self, code: str, title: str, missing: list[str]) -> None:
        super().__init__(
            f"Chưa in được {title.lower()} cho hồ sơ {code or '(chưa có mã)'}: còn thiếu " + ", ".join(missing) + ".",
            "Hãy bổ sung các thông tin này trong hồ sơ rồi in lại.",
        )
        self.missing = missing


def _time_text(moment: datetime) -> str:
    return f"{moment:%H} giờ {moment:%M} phút, ngày {moment:%d/%m/%Y}"


def _money(value: int) -> str:
    return f"{value:,}".replace(",", ".") + " đ"


def _limit_text(view: DossierView) -> str:
    proc = view.procedure
    if proc.time_limit <= 0:
        return "trong ngày"
    amount = int(proc.time_limit) if float(proc.time_limit).is_integer() else proc.time_limit
    return f"{amount} {proc.time_unit.label}".replace(".", ",")


def _copy_label(value: str) -> str:
    try:
        return CopyKind(value).label
    except ValueError:
        return value or "—"


def _check_kind(kind: str, page_size: str) -> str:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    size = page_size.upper()
    if size not in PAGE_SIZES:
        raise ValueError(f"page_size must be A4 or A5, not {page_size!r}")
    return size


def _missing(view: DossierView, profile: ProfileView | None, kind: str) -> list[str]:
    """The Vietnamese names of the fields the slip needs and the dossier (or profile) lacks."""
    missing = []
    if profile is None or not profile.unit_name.strip():
        missing.append("tên đơn vị (Cài đặt › Đơn vị)")
    if not view.code.strip():
        missing.append("mã hồ sơ")
    if not view.applicant_name.strip():
        missing.append("họ tên chủ hồ sơ")
    if not view.procedure.name.strip():
        missing.append("tên thủ tục")
    if kind == "receipt":
        if view.due_at is None:
            missing.append("ngày hẹn trả kết quả")
        if not view.components:
            missing.append("thành phần hồ sơ")
    elif kind == "supplement":
        if not view.supplements or not view.supplements[-1].items.strip():
            missing.append("nội dung yêu cầu bổ sung (chưa ghi yêu cầu bổ sung nào)")
    else:
        if not view.end_reason.strip():
            missing.append({"refusal": "lý do từ chối", "stop": "lý do dừng giải quyết",
                            "withdrawal": "lý do rút hồ sơ"}[kind])
        if view.ended_at is None:
            missing.append("ngày kết thúc xử lý")
    return missing


def _check_status(view: DossierView, kind: str) -> None:
    wanted = END_DOCUMENT_KINDS.get(kind)
    if wanted is not None and view.status is not wanted:
        raise UserFixableError(
            f"Hồ sơ {view.code} đang ở trạng thái “{view.status.label}”, không phải “{wanted.label}”: "
            f"chưa in được {TITLES[kind].lower()}.",
            "Hãy thực hiện thao tác tương ứng (từ chối / dừng / rút hồ sơ) trước.",
        )


def _applicant_lines(view: DossierView) -> list[FieldLine]:
    lines = [FieldLine("Ông/Bà", view.applicant_name)]
    if view.id_number:
        lines.append(FieldLine("Số định danh cá nhân", view.id_number))
    address = view.address.strip()
    if view.hamlet.strip() and fold(view.hamlet) not in fold(address):
        address = ", ".join(part for part in (address, view.hamlet.strip()) if part)
    if address:
        lines.append(FieldLine("Địa chỉ", address))
    if view.phone:
        lines.append(FieldLine("Số điện thoại", view.phone))
    if view.submitter_name.strip() and view.submitter_name.strip() != view.applicant_name.strip():
        lines.append(FieldLine("Người nộp hồ sơ", view.submitter_name))
    return lines


def _request_line(view: DossierView) -> FieldLine:
    return FieldLine("Nội dung yêu cầu giải quyết", f"{view.procedure.name} (mã thủ tục {view.procedure.code})")


def _office(profile: ProfileView) -> str:
    return f"Bộ phận Một cửa {profile.unit_name}"


def build_slip_data(view: DossierView, profile: ProfileView, kind: str, page_size: str = "A4") -> SlipData:
    """What the slip says, from the dossier and the commune profile (no file yet)."""
    size = _check_kind(kind, page_size)
    _check_status(view, kind)
    missing = _missing(view, profile, kind)
    if missing:
        raise SlipDataMissing(view.code, TITLES[kind], missing)
    office = _office(profile)
    officer = view.officer_name
    unit = profile.unit_name
    blocks: list = []
    recipients: list[str] = []
    left = None
    if kind == "receipt":
        day = view.received_at.date()
        blocks.append(Para(f"{office} tiếp nhận hồ sơ của:", indent=False))
        blocks += _applicant_lines(view)
        blocks.append(_request_line(view))
        blocks.append(FieldLine("1. Thành phần hồ sơ nộp gồm", ""))
        kinds = {c.name: c for c in view.procedure.components}
        rows = []
        for index, component in enumerate(view.components, 1):
            spec = kinds.get(component.name)
            state = ("Không yêu cầu" if component.not_required else
                     "Lấy từ kho dữ liệu" if component.from_kho else
                     "Tái sử dụng dữ liệu" if component.reused else
                     "Đã số hóa" if component.digitised else "Bản giấy")
            rows.append([str(index), component.name, _copy_label(spec.copy_kind if spec else ""),
                         str(spec.quantity if spec else 1), state])
        blocks.append(Grid(["STT", "Tên giấy tờ", "Hình thức", "Số lượng", "Ghi chú"], rows,
                           [0.07, 0.48, 0.17, 0.10, 0.18], "clccc"))
        blocks.append(FieldLine("2. Số lượng hồ sơ", f"{view.sets_count} (bộ)"))
        blocks.append(FieldLine("3. Thời gian giải quyết hồ sơ theo quy định", _limit_text(view)))
        blocks.append(FieldLine("4. Thời gian nhận hồ sơ", _time_text(view.received_at)))
        blocks.append(FieldLine("5. Thời gian trả kết quả giải quyết hồ sơ", _time_text(view.due_at)))
        if view.fee > 0:
            method = PAYMENT_LABELS.get(view.payment_method, "")
            fee = _money(view.fee) + (f"; hình thức thanh toán: {method}" if method else "")
        else:
            fee = "không thu"
        blocks.append(FieldLine("6. Phí, lệ phí", fee))
        blocks.append(FieldLine("7. Hình thức nộp hồ sơ", view.channel.label))
        blocks.append(Para(layout.ended(f"Đăng ký nhận kết quả tại: {office}. Khi đến nhận kết quả, Ông/Bà mang "
                                        "theo Giấy tiếp nhận này và giấy tờ tùy thân.")))
        left = layout.Signature("", "Người nộp hồ sơ", view.submitter_name or view.applicant_name,
                                "(Ký và ghi rõ họ tên)")
        signer = layout.Signature("", "Người tiếp nhận hồ sơ", officer, "(Ký và ghi rõ họ tên)")
    elif kind == "supplement":
        request = view.supplements[-1]
        day = request.requested_at.date()
        blocks.append(Para(f"Ngày {view.received_at:%d/%m/%Y}, {office} tiếp nhận hồ sơ của:", indent=False))
        blocks += _applicant_lines(view)
        blocks.append(_request_line(view))
        blocks.append(Para("Sau khi xem xét thành phần hồ sơ, đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ gồm những "
                           "nội dung sau:"))
        for number, line in enumerate((x.strip() for x in request.items.splitlines() if x.strip()), 1):
            blocks.append(Para(f"{number}. {line.lstrip('-• ')}", indent=False))
        if request.reason.strip():
            blocks.append(FieldLine("Lý do", request.reason))
        contact = f"Ông/Bà {officer}" if officer else "cán bộ tiếp nhận"
        blocks.append(Para(layout.ended(f"Trong quá trình hoàn thiện hồ sơ, nếu có vướng mắc, Ông/Bà liên hệ với "
                                        f"{contact} tại {office} để được hướng dẫn.")))
        signer = layout.Signature("", "Người hướng dẫn", officer, "(Ký và ghi rõ họ tên)")
    elif kind == "refusal":
        day = view.ended_at.date()
        blocks.append(Para(f"{office} tiếp nhận hồ sơ của:", indent=False))
        blocks += _applicant_lines(view)
        blocks.append(_request_line(view))
        blocks.append(Para(f"Sau khi nghiên cứu, đối chiếu với quy định hiện hành, {office} từ chối tiếp nhận, "
                           "giải quyết hồ sơ này với lý do cụ thể như sau:"))
        blocks.append(Para(view.end_reason))
        blocks.append(Para(layout.ended("Xin thông báo cho Ông/Bà được biết và thực hiện")))
        signer = layout.Signature("", "Người tiếp nhận hồ sơ", officer, "(Ký và ghi rõ họ tên)")
    elif kind == "stop":
        day = view.ended_at.date()
        blocks.append(Para(f"Ngày {view.received_at:%d/%m/%Y}, {office} đã tiếp nhận hồ sơ đề nghị giải quyết "
                           f"thủ tục “{view.procedure.name}” của:"))
        blocks += _applicant_lines(view)
        blocks.append(Para(f"Ngày {view.ended_at:%d/%m/%Y}, {unit} dừng giải quyết hồ sơ nêu trên với lý do như "
                           "sau:"))
        blocks.append(Para(view.end_reason))
        blocks.append(Para(layout.ended(f"Xin thông báo để Ông/Bà được biết. Mọi thắc mắc xin liên hệ {office}")))
        authority = "TM. Ủy ban nhân dân" if unit.upper().startswith(("UBND", "ỦY BAN", "UỶ BAN")) else ""
        signer = layout.Signature(authority, profile.head_title or "Thủ trưởng đơn vị", profile.head_name)
        recipients = [f"Ông/Bà {view.applicant_name}", "Bộ phận Một cửa", "Lưu: VT"]
    else:  # withdrawal
        day = view.ended_at.date()
        blocks.append(Para(f"Hôm nay, {view.ended_at:%H} giờ {view.ended_at:%M} phút ngày "
                           f"{view.ended_at:%d/%m/%Y}, tại {office}:"))
        blocks += _applicant_lines(view)
        blocks.append(Para(f"là chủ hồ sơ mã {view.code} (tiếp nhận ngày {view.received_at:%d/%m/%Y}), thủ tục "
                           f"“{view.procedure.name}”, đề nghị rút hồ sơ với lý do:"))
        blocks.append(Para(view.end_reason))
        blocks.append(Para(layout.ended(f"{office} đã trả lại hồ sơ cho Ông/Bà và dừng giải quyết hồ sơ theo đề "
                                        "nghị. Phiếu này được lập thành 02 bản, mỗi bên giữ 01 bản")))
        left = layout.Signature("", "Người rút hồ sơ", view.applicant_name, "(Ký và ghi rõ họ tên)")
        signer = layout.Signature("", "Người tiếp nhận hồ sơ", officer, "(Ký và ghi rõ họ tên)")
    letterhead = layout.Letterhead(
        parent_agency=unit if kind != "stop" else profile.parent_agency,
        unit_name="Bộ phận Một cửa" if kind != "stop" else unit,
        number="      /TB-" + ("UBND" if unit.upper().startswith("UBND") else "BPMC") if kind == "stop" else "",
        place_name=profile.place_name,
        day=day,
    )
    return SlipData(kind=kind, letterhead=letterhead, title=TITLES[kind], code=view.code, blocks=blocks,
                    subtitle="Về việc dừng giải quyết hồ sơ" if kind == "stop" else "",
                    signer=signer, left_signer=left, recipients=recipients, qr=kind == "receipt",
                    page_size=size)


def _gather(ctx: AppContext, kind: str, dossier_id: uuid.UUID, page_size: str) -> SlipData:
    _check_kind(kind, page_size)
    view = dossiers.get_dossier(ctx, dossier_id)
    return build_slip_data(view, get_profile(ctx), kind, page_size)  # type: ignore[arg-type]


def write_slip(ctx: AppContext, kind: str, dossier_id: uuid.UUID, out: Path, *, page_size: str = "A4") -> Path:
    """Write the ``kind`` slip of the dossier to ``out`` (whole or not at all); returns ``out``."""
    data = _gather(ctx, kind, dossier_id, page_size)
    return write_slip_pdf(data, Path(out))


def slip_file_name(kind: str, code: str) -> str:
    """A default file name: ``giay-tiep-nhan-000.00.53.H48-260212-0001.pdf``."""
    safe = "".join(ch if ch.isalnum() or ch in ".-" else "-" for ch in code)
    return f"{FILE_NAMES[kind]}-{safe}.pdf"


def attach_end_document(ctx: AppContext, dossier_id: uuid.UUID, kind: str, *, page_size: str = "A4") -> Path:
    """Render the refusal / stop / withdrawal slip and attach it as the dossier's end document
    (clearing END_DOCUMENT_MISSING); returns the stored file's path in the attachment store."""
    if kind not in END_DOCUMENT_KINDS:
        raise ValueError(f"kind must be one of {tuple(END_DOCUMENT_KINDS)}, not {kind!r}")
    data = _gather(ctx, kind, dossier_id, page_size)
    content = slip_bytes(data)
    with tempfile.TemporaryDirectory(prefix="motcua-slip-") as folder:
        path = Path(folder) / slip_file_name(kind, data.code)
        path.write_bytes(content)
        view = dossiers.attach_result(ctx, dossier_id, [path], signed=False, kind="end_document")
    stored = [a for a in view.attachments_of_kind("end_document") if a.original_name == path.name]
    return ctx.attachment_store().path_for(stored[-1].sha256)


__all__ = ["END_DOCUMENT_KINDS", "KINDS", "SlipDataMissing", "attach_end_document", "build_slip_data",
           "slip_file_name", "write_slip"]
