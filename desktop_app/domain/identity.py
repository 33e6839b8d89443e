"""Số định danh cá nhân (12-digit CCCD) and old 9-digit CMND validation."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

#: Province codes of TT 07/2016/TT-BCA (the 63 pre-2025 provinces; numbers already issued
#: keep their code after the 2025 merger).
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn",
    "008": "Tuyên Quang", "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu",
    "014": "Sơn La", "015": "Yên Bái", "017": "Hòa Bình", "019": "Thái Nguyên",
    "020": "Lạng Sơn", "022": "Quảng Ninh", "024": "Bắc Giang", "025": "Phú Thọ",
    "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương", "031": "Hải Phòng",
    "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh",
    "044": "Quảng Bình", "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng",
    "049": "Quảng Nam", "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên",
    "056": "Khánh Hòa", "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum",
    "064": "Gia Lai", "066": "Đắk Lắk", "067": "Đắk Nông", "068": "Lâm Đồng",
    "070": "Bình Phước", "072": "Tây Ninh", "074": "Bình Dương", "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu", "079": "TP Hồ Chí Minh", "080": "Long An",
    "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

#: Fourth digit -> (first year of the century, sex)
_CENTURY_SEX = {
    0: (1900, "Nam"), 1: (1900, "Nữ"), 2: (2000, "Nam"), 3: (2000, "Nữ"),
    4: (2100, "Nam"), 5: (2100, "Nữ"), 6: (2200, "Nam"), 7: (2200, "Nữ"),
    8: (2300, "Nam"), 9: (2300, "Nữ"),
}


class IdKind(str, Enum):
    CCCD = "cccd"
    CMND = "cmnd"
    NONE = "none"
    """Explicitly marked: the applicant has no number (e.g. a newborn, a foreigner)."""

    @property
    def label(self) -> str:
        return {"cccd": "Số định danh (CCCD)", "cmnd": "CMND cũ (9 số)", "none": "Không có"}[
            self.value
        ]


@dataclass(frozen=True)
class IdCheck:
    ok: bool
    kind: IdKind | None
    message: str = ""
    province: str | None = None
    birth_year: int | None = None
    sex: str | None = None


def clean_id_number(raw: str) -> str:
    """Remove spaces, dots and dashes officers type between digit groups.

    Any whitespace goes, including the non-breaking spaces and line ends of pasted cells.
    """
    return "".join(ch for ch in raw if ch not in ".-" and not ch.isspace())


def check_id_number(
    raw: str | None,
    *,
    birth_year: int | None = None,
    sex: str | None = None,
    current_year: int | None = None,
) -> IdCheck:
    """Validate a số định danh (12 digits) or an old CMND (9 digits).

    An empty value is not valid here: the caller must mark "không có" explicitly.
    """
    number = clean_id_number(raw or "")
    if not number:
        return IdCheck(False, None, "Chưa nhập số định danh. Nếu công dân không có, hãy chọn “Không có”.")
    # ASCII digits only: str.isdigit() also accepts "²" and other scripts' digits.
    if not (number.isascii() and number.isdigit()):
        return IdCheck(False, None, "Số định danh chỉ gồm chữ số.")
    if len(number) == 9:
        return IdCheck(True, IdKind.CMND, "CMND cũ (9 số)")
    if len(number) != 12:
        return IdCheck(
            False, None, f"Số định danh phải có 12 chữ số (CMND cũ: 9 chữ số); đang có {len(number)}."
        )
    province = PROVINCE_CODES.get(number[:3])
    if province is None:
        return IdCheck(False, None, f"Mã tỉnh “{number[:3]}” (3 số đầu) không có trong danh mục.")
    century, id_sex = _CENTURY_SEX[int(number[3])]
    year = century + int(number[4:6])
    if current_year is not None and year > current_year:
        return IdCheck(
            False, None, f"Năm sinh suy ra từ số định danh ({year}) ở tương lai: kiểm tra số thứ 4–6."
        )
    if birth_year is not None and birth_year != year:
        return IdCheck(False, None, f"Số định danh ghi năm sinh {year}, khác năm sinh {birth_year}.")
    if sex is not None and sex != id_sex:
        return IdCheck(False, None, f"Số định danh ghi giới tính {id_sex}, khác giới tính đã khai.")
    return IdCheck(True, IdKind.CCCD, f"{province}, sinh năm {year}, {id_sex.lower()}", province, year, id_sex)


def mask_id_number(number: str) -> str:
    """``001203004545`` -> ``0012******45`` for exports that must not show the whole number."""
    if len(number) <= 6:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 6) + number[-2:]
