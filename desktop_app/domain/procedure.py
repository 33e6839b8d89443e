"""Procedures (thủ tục hành chính): online level, fee rules, components, and their validation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

from .calendar import TimeUnit


class OnlineLevel(str, Enum):
    TOAN_TRINH = "toan_trinh"
    MOT_PHAN = "mot_phan"
    KHONG = "khong"

    @property
    def label(self) -> str:
        return {"toan_trinh": "Toàn trình", "mot_phan": "Một phần", "khong": "Không"}[self.value]

    @property
    def online_capable(self) -> bool:
        return self is not OnlineLevel.KHONG


class FeeKind(str, Enum):
    FREE = "free"
    FIXED = "fixed"
    PER_PAGE = "per_page"

    @property
    def label(self) -> str:
        return {"free": "Miễn phí", "fixed": "Mức cố định", "per_page": "Theo số trang"}[self.value]


class CopyKind(str, Enum):
    BAN_CHINH = "ban_chinh"
    BAN_SAO = "ban_sao"
    BAN_CHINH_HOAC_SAO = "ban_chinh_hoac_sao"

    @property
    def label(self) -> str:
        return {
            "ban_chinh": "Bản chính",
            "ban_sao": "Bản sao",
            "ban_chinh_hoac_sao": "Bản chính hoặc bản sao",
        }[self.value]


@dataclass(frozen=True)
class FeeRule:
    """How the fee of a dossier is computed.

    ``per_page``: ``first_pages`` pages at ``amount`` each, then ``later_amount`` per page, capped
    at ``cap`` per copy (chứng thực bản sao: 2.000 đ/trang, from page 3 1.000 đ/trang, at most
    200.000 đ/bản, TT 226/2016/TT-BTC).
    """

    kind: FeeKind = FeeKind.FREE
    amount: int = 0
    first_pages: int = 0
    later_amount: int = 0
    cap: int = 0

    def fee(self, pages: int = 1, copies: int = 1) -> int:
        if self.kind is FeeKind.FREE:
            return 0
        if self.kind is FeeKind.FIXED:
            return self.amount * max(copies, 1)
        pages, copies = max(pages, 1), max(copies, 1)
        first = min(pages, self.first_pages)
        per_copy = first * self.amount + (pages - first) * self.later_amount
        if self.cap:
            per_copy = min(per_copy, self.cap)
        return per_copy * copies

    def describe(self) -> str:
        if self.kind is FeeKind.FREE:
            return "Miễn phí"
        if self.kind is FeeKind.FIXED:
            return format_vnd(self.amount)
        text = (
            f"{format_vnd(self.amount)}/trang cho {self.first_pages} trang đầu, "
            f"từ trang {self.first_pages + 1}: {format_vnd(self.later_amount)}/trang"
        )
        return text + (f", tối đa {format_vnd(self.cap)}/bản" if self.cap else "")


@dataclass(frozen=True)
class ComponentSpec:
    name: str
    copy_kind: CopyKind = CopyKind.BAN_CHINH
    quantity: int = 1
    reusable: bool = False
    """May be reused from digitised data / taken from the citizen's kho."""


@dataclass(frozen=True)
class ProcedureSpec:
    code: str
    name: str
    field: str
    time_limit: float
    time_unit: TimeUnit
    online_level: OnlineLevel
    fee: FeeRule
    result_is_document: bool = True
    citizen_facing: bool = True
    active: bool = True
    components: tuple[ComponentSpec, ...] = field(default_factory=tuple)


_BASE_CODE = re.compile(r"^\d\.\d{6}$")
_PROVINCIAL_CODE = re.compile(r"^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.H\d{2})(\.\d{2})?$")


def base_procedure_code(code: str) -> str:
    """``1.001193.000.00.00.H48`` → ``1.001193``; other codes are returned stripped."""
    code = code.strip()
    return code[:8] if _PROVINCIAL_CODE.match(code) else code


def procedure_code_problem(code: str) -> str | None:
    """Why ``code`` is not a procedure code (``d.dddddd`` or its provincial form), or ``None``."""
    code = code.strip()
    if not code:
        return "Chưa nhập mã thủ tục."
    if _BASE_CODE.match(code) or _PROVINCIAL_CODE.match(code):
        return None
    return "Mã thủ tục có dạng 1.001193 hoặc 1.001193.000.00.00.H48."


def format_vnd(amount: int | None) -> str:
    """``1234000`` → ``1.234.000 đ``."""
    if amount is None:
        return ""
    return f"{amount:,}".replace(",", ".") + " đ"
