"""Reading the values of spreadsheet cells as officers and provincial systems write them.

Each parser takes what a reader hands over (``None``, text, a number, a ``datetime``), returns
the value in the app's terms or ``None`` for an empty cell, and raises :class:`CellError` with a
Vietnamese reason for a value it cannot read. Pure Python.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from .dates import parse_datetime
from .status import CHANNEL_LABELS, STATUS_LABELS, Channel, Status
from .text import fold, nfc


class CellError(ValueError):
    """A cell value that cannot be read; ``str(exc)`` is the reason in Vietnamese."""


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class Formula(str):
    """A cell that holds a formula (``=SUM(A1:A3)``), as the readers hand it over: its value is
    not stored in files written by many programs, so it cannot be imported."""


def is_formula(value: Any) -> bool:
    return isinstance(value, Formula)


def text(value: Any) -> str:
    """A cell as text: numbers without a trailing ``.0``, spaces collapsed, NFC."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}" if value.time() != time(0) else f"{value:%d/%m/%Y}"
    return nfc(" ".join(str(value).split()))


# ---------------------------------------------------------------------------- dates

#: Excel's day 0 (serial numbers count from 30/12/1899 because of the 1900 leap-year bug).
_EXCEL_EPOCH = datetime(1899, 12, 30)
_FIRST_YEAR, _LAST_YEAR = 1990, 2100


def parse_when(value: Any) -> datetime | None:
    """A real date/time cell, an Excel serial number, or text ``dd/mm/yyyy[ HH:MM[:SS]]``
    (also ``yyyy-mm-dd``); ``None`` for an empty cell."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        # Excel stores times as fractions of a day: 08:15 may come back as 08:14:59.999.
        moment = value.replace(microsecond=0, tzinfo=None)
        if value.microsecond >= 500_000:
            moment += timedelta(seconds=1)
    elif isinstance(value, date):
        moment = datetime.combine(value, time(0))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 20000 <= value <= 80000:
            raise CellError(f"“{text(value)}” không phải là ngày.")
        moment = (_EXCEL_EPOCH + timedelta(days=float(value))).replace(microsecond=0)
    else:
        raw = " ".join(str(value).split())
        try:
            moment = parse_datetime(raw)
        except ValueError as error:
            if "không có thật" in str(error):
                raise CellError(f"ngày “{raw}” không có thật.") from None
            raise CellError(f"“{raw}” không phải ngày dạng dd/mm/yyyy.") from None
    if not _FIRST_YEAR <= moment.year <= _LAST_YEAR:
        raise CellError(f"năm {moment.year} của ngày “{text(value)}” không hợp lý.")
    return moment


# ---------------------------------------------------------------------------- yes / no

_YES = frozenset({"co", "x", "1", "yes", "y", "true", "dung", "da", "✓", "✔", "☑", "v", "roi"})
_NO = frozenset({"khong", "0", "no", "n", "false", "sai", "chua", "-", "✗", "✘", "☐", "k"})


def parse_bool(value: Any) -> bool | None:
    """Có / Không, x, 1 / 0, ✓ (and an Excel TRUE/FALSE); ``None`` for an empty cell."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        if value in (0, 1):
            return bool(value)
        raise CellError(f"“{text(value)}” không phải Có/Không.")
    found = _bool_word(str(value))
    if found is None:
        raise CellError(f"“{text(value)}” không phải Có/Không (ghi Có, Không, x, 1 hoặc 0).")
    return found


@lru_cache(maxsize=256)
def _bool_word(value: str) -> bool | None:
    key = fold(value).strip(" .")
    if key in _YES or value.strip() in _YES:
        return True
    if key in _NO:
        return False
    return None


# ---------------------------------------------------------------------------- numbers

_MONEY_NOISE = re.compile(r"(?i)\s*(vnđ|vnd|đồng|dong|đ|d)\s*$")


def parse_vnd(value: Any) -> int | None:
    """An amount in đồng: a number, or text such as ``1.000.000``, ``1,000,000``,
    ``50 000 đ``; ``None`` for an empty cell."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError(f"“{text(value)}” không phải số tiền.")
    if isinstance(value, (int, float)):
        amount = float(value)
    else:
        raw = _MONEY_NOISE.sub("", " ".join(str(value).split())).replace(" ", "")
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", raw) and len({ch for ch in raw if ch in ".,"}) == 1:
            amount = float(re.sub(r"[.,]", "", raw))  # thousands separators only
        elif re.fullmatch(r"\d{1,3}(\.\d{3})*,\d{1,2}", raw):
            amount = float(raw.replace(".", "").replace(",", "."))  # 1.000,50
        elif re.fullmatch(r"\d{1,3}(,\d{3})*\.\d{1,2}", raw):
            amount = float(raw.replace(",", ""))  # 1,000.50
        elif re.fullmatch(r"\d+", raw):
            amount = float(raw)
        else:
            raise CellError(f"“{text(value)}” không phải số tiền (ví dụ 1.000.000).")
    if amount < 0:
        raise CellError(f"số tiền “{text(value)}” âm.")
    if amount != int(amount):
        raise CellError(f"số tiền “{text(value)}” có phần lẻ dưới một đồng.")
    return int(amount)


def parse_count(value: Any) -> int | None:
    """A small whole number (số lần, số bộ); ``None`` for an empty cell."""
    if is_empty(value):
        return None
    try:
        number = float(str(value).strip()) if not isinstance(value, (int, float)) else float(value)
    except ValueError:
        raise CellError(f"“{text(value)}” không phải số nguyên.") from None
    if isinstance(value, bool) or number < 0 or number != int(number) or number > 1000:
        raise CellError(f"“{text(value)}” không phải số nguyên hợp lệ.")
    return int(number)


# ---------------------------------------------------------------------------- labels


def _key(value: Any) -> str:
    return _word_key(str(value))


@lru_cache(maxsize=1024)
def _word_key(value: str) -> str:
    """Labels repeat down a column: folded once each."""
    return re.sub(r"[^0-9a-z]+", " ", fold(value)).strip()


_STATUS_WORDS: dict[str, Status] = {_key(label): status for status, label in STATUS_LABELS.items()}
_STATUS_WORDS.update({
    "moi": Status.MOI_DANG_KY, "moi tiep nhan": Status.DUOC_TIEP_NHAN, "da tiep nhan": Status.DUOC_TIEP_NHAN,
    "tiep nhan": Status.DUOC_TIEP_NHAN, "cho xu ly": Status.DUOC_TIEP_NHAN,
    "tu choi": Status.TU_CHOI, "tu choi tiep nhan": Status.TU_CHOI, "khong tiep nhan": Status.TU_CHOI,
    "dang giai quyet": Status.DANG_XU_LY, "dang xu ly": Status.DANG_XU_LY,
    "yeu cau bo sung": Status.YEU_CAU_BO_SUNG, "cho bo sung": Status.YEU_CAU_BO_SUNG,
    "bo sung ho so": Status.YEU_CAU_BO_SUNG, "yeu cau bo sung ho so": Status.YEU_CAU_BO_SUNG,
    "nghia vu tai chinh": Status.NGHIA_VU_TAI_CHINH, "cho thuc hien nghia vu tai chinh": Status.NGHIA_VU_TAI_CHINH,
    "rut ho so": Status.RUT_HO_SO, "da rut ho so": Status.RUT_HO_SO, "cong dan rut ho so": Status.RUT_HO_SO,
    "dung": Status.DUNG_XU_LY, "tam dung": Status.DUNG_XU_LY,
    "da xu ly": Status.DA_XU_LY_XONG, "da giai quyet": Status.DA_XU_LY_XONG, "hoan thanh": Status.DA_XU_LY_XONG,
    "da co ket qua": Status.DA_XU_LY_XONG, "co ket qua": Status.DA_XU_LY_XONG, "cho tra ket qua": Status.DA_XU_LY_XONG,
    "da tra": Status.DA_TRA_KET_QUA, "tra ket qua": Status.DA_TRA_KET_QUA,
})


def parse_status(value: Any) -> Status | None:
    """A status code 1–10 or its Vietnamese label (``Đã trả kết quả``); ``None`` if empty."""
    if is_empty(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value == int(value) and 1 <= value <= 10:
            return Status(int(value))
        raise CellError(f"mã trạng thái “{text(value)}” không có (1–10).")
    key = _key(value)
    if key.isdigit() and 1 <= int(key) <= 10:
        return Status(int(key))
    found = _STATUS_WORDS.get(key)
    if found is None:
        raise CellError(f"trạng thái “{text(value)}” không hiểu được (ghi mã 1–10 hoặc tên, ví dụ "
                        f"“Đã trả kết quả”).")
    return found


_CHANNEL_WORDS: dict[str, Channel] = {_key(label): channel for channel, label in CHANNEL_LABELS.items()}
_CHANNEL_WORDS.update({
    "truc tiep tai bo phan mot cua": Channel.TRUC_TIEP, "tai quay": Channel.TRUC_TIEP, "nop truc tiep": Channel.TRUC_TIEP,
    "nop truc tuyen": Channel.TRUC_TUYEN, "online": Channel.TRUC_TUYEN, "dvc truc tuyen": Channel.TRUC_TUYEN,
    "qua mang": Channel.TRUC_TUYEN, "buu chinh": Channel.BUU_CHINH, "qua buu chinh cong ich": Channel.BUU_CHINH,
    "qua buu chinh": Channel.BUU_CHINH, "bcci": Channel.BUU_CHINH, "nop qua buu chinh cong ich": Channel.BUU_CHINH,
})


def parse_channel(value: Any) -> Channel | None:
    """Trực tiếp / (Nộp) trực tuyến / (Qua) bưu chính công ích, or the codes 1–3."""
    if is_empty(value):
        return None
    key = _key(value)
    if key in ("1", "2", "3"):
        return Channel(int(key))
    found = _CHANNEL_WORDS.get(key)
    if found is None:
        raise CellError(f"hình thức nộp “{text(value)}” không hiểu được (Trực tiếp, Trực tuyến, "
                        f"Bưu chính công ích).")
    return found


#: Labels of the payment methods, as the template writes them.
PAYMENT_LABELS = {"truc_tuyen": "Trực tuyến", "tien_mat": "Tiền mặt", "chuyen_khoan": "Chuyển khoản",
                  "mien": "Miễn"}
_PAYMENT_WORDS = {
    "truc tuyen": "truc_tuyen", "thanh toan truc tuyen": "truc_tuyen", "truc tuyen qua cong dvcqg": "truc_tuyen",
    "online": "truc_tuyen", "qua cong dvcqg": "truc_tuyen", "truc tuyen qua cong dich vu cong": "truc_tuyen",
    "tien mat": "tien_mat", "truc tiep": "tien_mat", "nop tien mat": "tien_mat",
    "chuyen khoan": "chuyen_khoan", "ngan hang": "chuyen_khoan",
    "mien": "mien", "mien khong thu": "mien", "khong thu": "mien", "mien phi": "mien", "khong": "mien",
    "mien le phi": "mien",
}


def parse_payment(value: Any) -> str | None:
    """Trực tuyến / Tiền mặt / Chuyển khoản / Miễn (also the provincial codes ``tien-mat`` …)."""
    if is_empty(value):
        return None
    key = _key(value)
    found = _PAYMENT_WORDS.get(key) or _PAYMENT_WORDS.get(key.replace("-", " "))
    if found is None:
        raise CellError(f"hình thức thanh toán “{text(value)}” không hiểu được (Trực tuyến, Tiền mặt, "
                        f"Chuyển khoản, Miễn).")
    return found


SATISFACTION_LABELS = {"rat_hai_long": "Rất hài lòng", "hai_long": "Hài lòng",
                       "khong_hai_long": "Không hài lòng", "chua_danh_gia": "Chưa đánh giá"}
_SATISFACTION_WORDS = {_key(label): code for code, label in SATISFACTION_LABELS.items()}
_SATISFACTION_WORDS.update({"binh thuong": "hai_long", "chua": "chua_danh_gia", "khong danh gia": "chua_danh_gia"})


def parse_satisfaction(value: Any) -> str | None:
    if is_empty(value):
        return None
    found = _SATISFACTION_WORDS.get(_key(value))
    if found is None:
        raise CellError(f"đánh giá “{text(value)}” không hiểu được (Rất hài lòng, Hài lòng, Không hài lòng, "
                        f"Chưa đánh giá).")
    return found


def id_number_text(value: Any) -> str:
    """A số định danh cell: a number cell lost its leading zeros (``1203004545`` was
    ``001203004545``), which are put back for 12-digit numbers."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = str(int(value))
        return digits.zfill(12) if 9 < len(digits) < 12 else digits
    return text(value)


__all__ = [
    "PAYMENT_LABELS",
    "SATISFACTION_LABELS",
    "CellError",
    "Formula",
    "id_number_text",
    "is_empty",
    "is_formula",
    "parse_bool",
    "parse_channel",
    "parse_count",
    "parse_payment",
    "parse_satisfaction",
    "parse_status",
    "parse_vnd",
    "parse_when",
    "text",
]
