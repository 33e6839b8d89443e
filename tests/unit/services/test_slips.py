"""The counter slips: QR code of the mã hồ sơ, the missing-fields message, and the end document
attached to a refused / stopped / withdrawn dossier."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import update

from desktop_app.domain.status import Action
from desktop_app.services import dossiers, slips, stats
from desktop_app.storage.errors import UserFixableError
from desktop_app.storage.models import Dossier

from .helpers import act, receive

KHAI_SINH = "1.001193"  # free, same day
BAN_SAO = "2.000635"  # fixed 8.000 đ
HON_NHAN = "1.004873"  # 3 working days


def text_of(path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                         encoding="utf-8").stdout
    return " ".join(out.split())


def decode_qr(pdf_path, tmp_path) -> list[str]:
    prefix = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(pdf_path), str(prefix)], check=True)
    image = next(tmp_path.glob("page*.png"))
    result = subprocess.run(["zbarimg", "--raw", "-q", str(image)], capture_output=True, encoding="utf-8",
                            check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.parametrize("size", ["A4", "A5"])
def test_the_receipt_has_a_qr_code_of_the_dossier_code(services_ctx, clock, tmp_path, size):
    view = receive(services_ctx, clock, datetime(2026, 2, 12, 9, 5), BAN_SAO, fee=8000, payment_method="tien_mat",
                   address="Xóm Đồng Bầu, xã Phú Lạc")
    out = slips.write_slip(services_ctx, "receipt", view.id, tmp_path / "giay-tiep-nhan.pdf", page_size=size)
    assert decode_qr(out, tmp_path) == [view.code]
    assert len(PdfReader(str(out)).pages) == 1
    text = text_of(out)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"Mã hồ sơ: {view.code}" in text and "Đặng Thị Ánh" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert "09 giờ 05 phút, ngày 12/02/2026" in text  # received
    assert f"{view.due_at:%H} giờ {view.due_at:%M} phút, ngày {view.due_at:%d/%m/%Y}" in text
    assert "8.000 đ; hình thức thanh toán: Tiền mặt" in text
    for component in view.components:
        assert component.name[:25] in text
    # the QR code sits in the top-left corner of the page
    page = PdfReader(str(out)).pages[0]
    assert page.mediabox.width < 600


def test_every_slip_kind_renders(services_ctx, clock, tmp_path):
    ctx = services_ctx
    cases = {
        "supplement": (HON_NHAN, Action.YEU_CAU_BO_SUNG, {"items": "Tờ khai có chữ ký\nBản sao CCCD",
                                                            "reason": "Thiếu chữ ký"}),
        "refusal": (KHAI_SINH, Action.TU_CHOI, {"reason": "Không thuộc thẩm quyền giải quyết của xã"}),
        "stop": (HON_NHAN, Action.DUNG_XU_LY, {"reason": "Phát hiện hồ sơ giả mạo"}),
        "withdrawal": (HON_NHAN, Action.RUT_HO_SO, {"reason": "Công dân xin rút để nộp trực tuyến"}),
    }
    titles = {"supplement": "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
              "refusal": "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ",
              "stop": "THÔNG BÁO Về việc dừng giải quyết hồ sơ", "withdrawal": "PHIẾU GHI NHẬN RÚT HỒ SƠ"}
    for kind, (code, action, extra) in cases.items():
        view = receive(ctx, clock, datetime(2026, 2, 12, 9), code)
        if action is Action.DUNG_XU_LY:
            view = act(ctx, clock, view, datetime(2026, 2, 12, 9, 30), Action.CHUYEN_XU_LY)
        act(ctx, clock, view, datetime(2026, 2, 12, 10), action, **extra)
        out = slips.write_slip(ctx, kind, view.id, tmp_path / f"{kind}.pdf")
        text = text_of(out)
        assert titles[kind] in text, kind
        assert extra.get("reason", "") in text
        assert f"Mã hồ sơ: {view.code}" in text
        assert "./." in text and ".../." not in text and "../." not in text
        if kind == "supplement":
            assert "1. Tờ khai có chữ ký" in text and "2. Bản sao CCCD" in text
        if kind == "stop":
            assert "TM. ỦY BAN NHÂN DÂN" in text and "Nguyễn Văn Hùng" in text and "Nơi nhận:" in text


def test_a_dossier_missing_what_the_slip_needs_gets_the_list_and_no_file(services_ctx, clock, tmp_path):
    ctx = services_ctx
    view = receive(ctx, clock, datetime(2026, 2, 12, 9), KHAI_SINH)
    with ctx.session() as session:  # as an import from a provincial list may leave them
        session.execute(update(Dossier).where(Dossier.id == view.id).values(applicant_name="", due_at=None))
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "giay.pdf"
    with pytest.raises(slips.SlipDataMissing) as caught:
        slips.write_slip(ctx, "receipt", view.id, out)
    assert caught.value.missing == ["họ tên chủ hồ sơ", "ngày hẹn trả kết quả"]
    assert "họ tên chủ hồ sơ, ngày hẹn trả kết quả" in caught.value.message
    assert view.code in caught.value.message
    assert list(folder.iterdir()) == []
    # a supplement slip needs a supplement request
    other = receive(ctx, clock, datetime(2026, 2, 12, 9, 30), KHAI_SINH)
    with pytest.raises(slips.SlipDataMissing, match="nội dung yêu cầu bổ sung"):
        slips.write_slip(ctx, "supplement", other.id, out)
    # a refusal slip for a dossier that was not refused
    with pytest.raises(UserFixableError, match="không phải “Không được tiếp nhận”"):
        slips.write_slip(ctx, "refusal", other.id, out)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("kind,action", [("refusal", Action.TU_CHOI), ("withdrawal", Action.RUT_HO_SO)])
def test_attaching_the_end_document_removes_the_warning(services_ctx, clock, tmp_path, kind, action):
    ctx = services_ctx
    view = receive(ctx, clock, datetime(2026, 2, 12, 9), HON_NHAN)
    view = act(ctx, clock, view, datetime(2026, 2, 12, 9, 40), action, reason="Hồ sơ không đúng thủ tục")
    assert "END_DOCUMENT_MISSING" in view.warnings
    before = stats.compute(ctx, datetime(2026, 2, 12).date(), datetime(2026, 2, 12).date()).as_json()
    assert before["warnings"]["END_DOCUMENT_MISSING"] == 1

    stored = slips.attach_end_document(ctx, view.id, kind)

    after = dossiers.get_dossier(ctx, view.id)
    assert "END_DOCUMENT_MISSING" not in after.warnings
    assert after.has_end_document
    [attachment] = after.attachments_of_kind("end_document")
    assert attachment.media_type == "application/pdf" and attachment.original_name.endswith(".pdf")
    assert stored.is_file() and stored.read_bytes().startswith(b"%PDF-")
    assert "Hồ sơ không đúng thủ tục" in text_of(stored)
    now = stats.compute(ctx, datetime(2026, 2, 12).date(), datetime(2026, 2, 12).date()).as_json()
    assert now["warnings"]["END_DOCUMENT_MISSING"] == 0


def test_only_end_documents_can_be_attached(services_ctx, clock):
    view = receive(services_ctx, clock, datetime(2026, 2, 12, 9), KHAI_SINH)
    with pytest.raises(ValueError):
        slips.attach_end_document(services_ctx, view.id, "receipt")
    with pytest.raises(UserFixableError):  # not refused: nothing attached
        slips.attach_end_document(services_ctx, view.id, "refusal")
    assert dossiers.get_dossier(services_ctx, view.id).attachments_of_kind("end_document") == []
