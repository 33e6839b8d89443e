"""The weekly report and its variants: every figure is the stats service's, an empty week still
gives a report, the action list follows the open warnings."""

from __future__ import annotations

import subprocess
from datetime import date, datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader

from desktop_app.domain.status import Action, Channel
from desktop_app.services import campaigns, reports, stats, warnings
from desktop_app.services.campaigns import CampaignInput
from desktop_app.storage.errors import UserFixableError
from desktop_app.storage.pdf.weekly_report import percent

from .helpers import act, pdf, receive, synced

KHAI_SINH = "1.001193"  # toàn trình, free, same day
BAN_SAO = "2.000635"  # fixed 8.000 đ
HON_NHAN = "1.004873"  # 3 working days
KET_HON = "1.000894"
WEEK = (date(2026, 3, 2), date(2026, 3, 8))
EVALUATED = datetime(2026, 3, 10, 9, 0)


def text_of(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          encoding="utf-8").stdout


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def week(services_ctx, clock, tmp_path):
    """A few dossiers in the week of 2–8/3/2026 and the week before (as in test_stats)."""
    ctx = services_ctx
    scan = {0: pdf(tmp_path, "scan.pdf")}
    result = pdf(tmp_path, "kq.pdf", b"kq")
    d = {}
    d["old"] = receive(ctx, clock, datetime(2026, 2, 23, 9), KHAI_SINH, files=scan)
    act(ctx, clock, d["old"], datetime(2026, 2, 23, 10), Action.CO_KET_QUA, result_files=[result], result_signed=True)
    d["D0"] = receive(ctx, clock, datetime(2026, 2, 26, 9), KHAI_SINH, files=scan,
                      identity_checked=True, identity_method="vneid")
    act(ctx, clock, d["D0"], datetime(2026, 2, 26, 10), Action.CHUYEN_XU_LY)
    d["D1"] = receive(ctx, clock, datetime(2026, 3, 2, 8, 30), KHAI_SINH, channel=Channel.TRUC_TUYEN, kho={2},
                      identity_checked=True, identity_method="vneid")
    act(ctx, clock, d["D1"], datetime(2026, 3, 2, 14), Action.CO_KET_QUA, result_files=[result], result_signed=True)
    act(ctx, clock, d["D1"], datetime(2026, 3, 2, 15), Action.TRA_KET_QUA, satisfaction="hai_long")
    synced(ctx, clock, d["D1"], datetime(2026, 3, 2, 15, 5))
    d["D2"] = receive(ctx, clock, datetime(2026, 3, 3, 9), BAN_SAO, channel=Channel.TRUC_TUYEN, reused={1},
                      fee=8000, payment_method="truc_tuyen", identity_checked=True, identity_method="csdl_dan_cu")
    act(ctx, clock, d["D2"], datetime(2026, 3, 3, 10), Action.CO_KET_QUA)
    d["D3"] = receive(ctx, clock, datetime(2026, 3, 4, 10), HON_NHAN, channel=Channel.BUU_CHINH, files=scan)
    act(ctx, clock, d["D3"], datetime(2026, 3, 4, 11), Action.YEU_CAU_BO_SUNG, items="Tờ khai có chữ ký")
    d["D4"] = receive(ctx, clock, datetime(2026, 3, 5, 9), KET_HON, identity_checked=True, identity_method="giay_to")
    act(ctx, clock, d["D4"], datetime(2026, 3, 6, 9), Action.TU_CHOI, reason="Không thuộc thẩm quyền")
    clock.now = EVALUATED
    warnings.reevaluate_time_dependent(ctx)
    return d


def test_every_figure_equals_the_stats_json(services_ctx, week, tmp_path):
    ctx = services_ctx
    data = reports.build_report_data(ctx, "weekly", date(2026, 3, 4))
    expected = stats.compute(ctx, *WEEK).as_json()
    assert data.period_text == "02/03/2026 – 08/03/2026"
    for key, value in expected["counts"].items():
        assert data.counts[key] == value, key
    assert data.counts["received"] == 4 and data.counts["carried_over"] == 1
    by_name = {i.name: i for i in stats.compute(ctx, *WEEK).card.indicators}
    assert [r.label for r in data.rates] == list(by_name)
    for row, item in zip(data.rates, expected["indicators"], strict=True):
        assert (row.numerator, row.denominator) == (item["numerator"], item["denominator"])
        assert (None if row.percent is None else float(row.percent)) == item["ratio"]
        assert (None if row.points is None else float(row.points)) == item["points"]
        assert float(row.max_points) == item["max"]
    for row, group in zip(data.groups, expected["groups"], strict=True):
        assert (None if row.points is None else float(row.points)) == group["points"]
        assert float(row.measured_max) == group["measured_max"] and float(row.max_points) == group["max"]
    assert {code: n for code, _, n in data.warnings} == {c: n for c, n in expected["warnings"].items() if n}
    # per officer: the totals are the period's
    assert sum(o.received for o in data.officers) == expected["counts"]["received"]
    assert sum(o.finished for o in data.officers) == expected["counts"]["finished"]
    assert sum(o.finished_late for o in data.officers) == expected["counts"]["finished_late"]

    out = reports.write_report(ctx, "weekly", date(2026, 3, 4), tmp_path / "tuan.pdf")
    text = flat(text_of(out))
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN TUẦN" in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Nguyễn Văn Hùng" in text  # the head of the profile signs
    for item in expected["indicators"]:
        if item["denominator"]:
            assert f"{item['numerator']}/{item['denominator']}" in text
            assert percent(Decimal(str(item["ratio"]))) in text
    counts = expected["counts"]
    assert (f"đã giải quyết {counts['finished']} hồ sơ, trong đó đúng hạn (kể cả trước hạn) "
            f"{counts['finished_on_time']}, quá hạn {counts['finished_late']}; từ chối tiếp nhận "
            f"{counts['rejected']}") in text


def test_the_weeks_compared_are_the_stats_of_each_week(services_ctx, week):
    ctx = services_ctx
    data = reports.build_report_data(ctx, "weekly", date(2026, 3, 4))
    assert [w.label for w in data.weeks] == ["Tuần 7/2026", "Tuần 8/2026", "Tuần 9/2026", "Tuần 10/2026"]
    before = stats.compute(ctx, date(2026, 2, 23), date(2026, 3, 1)).card
    on_time = reports.MAIN_RATES[4]
    assert on_time[0] == "PROGRESS_ON_TIME"
    assert data.weeks[2].values[on_time[1]] == before.indicator("PROGRESS_ON_TIME").ratio
    assert data.weeks[0].values[on_time[1]] is None  # no dossier that week: no rate, not 0


def test_campaign_week_monthly_and_summary(services_ctx, week, tmp_path):
    ctx = services_ctx
    ctx.officer_id = ctx.test_officer_id
    campaign = campaigns.save_campaign(ctx, CampaignInput("Chiến dịch 30 ngày", date(2026, 2, 20), date(2026, 3, 21),
                                                          {"online_intake": 60, "digitised_components": 80}))
    data = reports.build_report_data(ctx, "weekly", date(2026, 3, 6), campaign_id=campaign.id)
    # Tuần 1 = 20–26/2, Tuần 2 = 27/2–5/3, Tuần 3 = 6–12/3
    assert data.period_text == "06/03/2026 – 12/03/2026"
    assert [w.label for w in data.weeks] == ["Tuần 1", "Tuần 2", "Tuần 3"]
    expected = stats.compute(ctx, date(2026, 3, 6), date(2026, 3, 12)).as_json()
    assert data.counts["received"] == expected["counts"]["received"]
    assert {r.label for r in data.campaign_rates} == {campaigns.rate_labels()["online_intake"],
                                                      campaigns.rate_labels()["digitised_components"]}
    week2 = stats.compute(ctx, date(2026, 2, 27), date(2026, 3, 5)).card.indicator("ONLINE_DOSSIERS").ratio
    assert data.weeks[1].values["Hồ sơ trực tuyến"] == week2

    monthly = reports.build_report_data(ctx, "monthly", date(2026, 3, 4))
    assert monthly.period_text == "01/03/2026 – 31/03/2026"
    assert monthly.counts["received"] == stats.compute(ctx, date(2026, 3, 1), date(2026, 3, 31)).counts.counts["received"]
    assert monthly.weeks[0].label == "Tuần 1" and monthly.weeks[0].period == "01/03–01/03"

    summary = reports.build_report_data(ctx, "campaign", date(2026, 3, 10), campaign_id=campaign.id)
    assert summary.period_text == "20/02/2026 – 10/03/2026"
    assert len(summary.weeks) == 3
    out = reports.write_report(ctx, "campaign", date(2026, 3, 10), tmp_path / "cd.pdf", campaign_id=campaign.id)
    text = flat(text_of(out))
    assert "BÁO CÁO TỔNG KẾT CHIẾN DỊCH" in text and "Chiến dịch 30 ngày" in text

    with pytest.raises(UserFixableError, match="không thuộc chiến dịch"):
        reports.build_report_data(ctx, "weekly", date(2026, 6, 1), campaign_id=campaign.id)


def test_an_empty_week_still_gives_a_valid_report(services_ctx, tmp_path):
    out = reports.write_report(services_ctx, "weekly", date(2020, 1, 8), tmp_path / "trong.pdf")
    assert len(PdfReader(str(out)).pages) >= 1
    text = flat(text_of(out))
    assert "không có hồ sơ nào được tiếp nhận hoặc giải quyết" in text
    assert "Tuần 2 năm 2020 (06/01/2020 – 12/01/2020)" in text
    assert "Không có cảnh báo nào đang mở." in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text


def test_the_action_list_grows_with_the_open_warnings(services_ctx, week, clock, tmp_path):
    ctx = services_ctx
    before = reports.build_report_data(ctx, "weekly", date(2026, 3, 4))
    listed = warnings.open_warnings(ctx, *WEEK)
    assert len(before.actions) == len(listed) > 0
    assert [a.code for a in before.actions] == [i.code for i in listed]
    # a new dossier in the week with nothing digitised and identity not checked
    new = receive(ctx, clock, datetime(2026, 3, 6, 14), HON_NHAN)
    clock.now = EVALUATED
    assert new.warnings
    after = reports.build_report_data(ctx, "weekly", date(2026, 3, 4))
    assert len(after.actions) == len(before.actions) + len(new.warnings)
    assert sum(1 for a in after.actions if a.code == new.code) == len(new.warnings)
    out = reports.write_report(ctx, "weekly", date(2026, 3, 4), tmp_path / "tuan.pdf")
    assert new.code in text_of(out)


def test_progress_and_cancel(services_ctx, week, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    seen = []
    reports.write_report(services_ctx, "weekly", date(2026, 3, 4), folder / "a.pdf",
                         progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 2

    with pytest.raises(reports.Cancelled):
        reports.write_report(services_ctx, "weekly", date(2026, 3, 4), folder / "b.pdf", cancel=cancel)
    assert [p.name for p in folder.iterdir()] == ["a.pdf"]
