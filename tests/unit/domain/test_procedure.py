"""Procedures: fee rules, money format, procedure codes (SPEC §3, reference/domain.md §4.4, §5)."""

from __future__ import annotations

import pytest

from desktop_app.domain.procedure import (
    FeeKind,
    FeeRule,
    OnlineLevel,
    base_procedure_code,
    format_vnd,
    procedure_code_problem,
)

# Chứng thực bản sao từ bản chính (TT 226/2016/TT-BTC): 2.000 đ/trang, from page 3
# 1.000 đ/trang, at most 200.000 đ per copy.
CHUNG_THUC = FeeRule(FeeKind.PER_PAGE, amount=2000, first_pages=2, later_amount=1000, cap=200000)


@pytest.mark.parametrize(
    ("pages", "fee"),
    [
        (1, 2000),
        (2, 4000),
        (3, 5000),
        (5, 7000),  # 2 × 2000 + 3 × 1000
        (198, 200000),  # 4000 + 196 × 1000 = 200000, exactly the cap
        (199, 200000),  # 201000 capped
        (1000, 200000),
    ],
)
def test_per_page_fee(pages: int, fee: int) -> None:
    assert CHUNG_THUC.fee(pages) == fee


def test_per_page_fee_is_per_copy() -> None:
    assert CHUNG_THUC.fee(pages=5, copies=2) == 14000
    assert CHUNG_THUC.fee(pages=1000, copies=3) == 600000  # cap applies to each copy


def test_per_page_without_cap() -> None:
    rule = FeeRule(FeeKind.PER_PAGE, amount=2000, first_pages=2, later_amount=1000)
    assert rule.fee(1000) == 4000 + 998 * 1000


def test_fixed_fee_times_copies() -> None:
    rule = FeeRule(FeeKind.FIXED, amount=10000)
    assert rule.fee() == 10000
    assert rule.fee(copies=3) == 30000
    assert rule.fee(pages=40) == 10000  # pages do not matter


def test_free() -> None:
    assert FeeRule().fee() == 0
    assert FeeRule(FeeKind.FREE, amount=10000).fee(pages=5, copies=4) == 0


def test_describe_fee() -> None:
    assert FeeRule().describe() == "Miễn phí"
    assert FeeRule(FeeKind.FIXED, amount=50000).describe() == "50.000 đ"
    assert CHUNG_THUC.describe() == (
        "2.000 đ/trang cho 2 trang đầu, từ trang 3: 1.000 đ/trang, tối đa 200.000 đ/bản"
    )


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1234000, "1.234.000 đ"),
        (200000, "200.000 đ"),
        (8000, "8.000 đ"),
        (999, "999 đ"),
        (0, "0 đ"),
        (None, ""),
    ],
)
def test_format_vnd(amount: int | None, text: str) -> None:
    assert format_vnd(amount) == text


@pytest.mark.parametrize(
    ("code", "base"),
    [
        ("1.001193.000.00.00.H48", "1.001193"),
        ("2.000815.000.00.00.H55.02", "2.000815"),  # DVC code with suffix
        ("1.001193", "1.001193"),
        ("  1.004873.000.00.00.H29 ", "1.004873"),
        ("KHAC", "KHAC"),
    ],
)
def test_base_procedure_code(code: str, base: str) -> None:
    assert base_procedure_code(code) == base


@pytest.mark.parametrize(
    "code",
    ["1.001193", "1.001193.000.00.00.H48", "2.000815.000.00.00.H55.02", " 2.000635 "],
)
def test_valid_procedure_codes(code: str) -> None:
    assert procedure_code_problem(code) is None


@pytest.mark.parametrize(
    "code",
    ["1001193", "1.00119", "1.0011934", "1.001193.H48", "1.001193.000.00.00", "thủ tục"],
)
def test_invalid_procedure_codes(code: str) -> None:
    problem = procedure_code_problem(code)
    assert problem is not None
    assert "1.001193" in problem


def test_empty_procedure_code() -> None:
    assert procedure_code_problem("  ") == "Chưa nhập mã thủ tục."


def test_online_levels() -> None:
    assert OnlineLevel.TOAN_TRINH.online_capable
    assert OnlineLevel.MOT_PHAN.online_capable
    assert not OnlineLevel.KHONG.online_capable
    assert OnlineLevel.TOAN_TRINH.label == "Toàn trình"
