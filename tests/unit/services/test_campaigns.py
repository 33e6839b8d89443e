"""Campaigns: presets, editing with validation, the rates and a campaign's progress, on real
temporary SQLite databases built through the intake and dossier use-cases with a fixed clock."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

import pytest

from desktop_app.domain.campaigns import CampaignWeek, Light
from desktop_app.domain.status import Action, Channel
from desktop_app.services import campaigns, catalogue, dossiers, intake, stats, warnings
from desktop_app.services.campaigns import CampaignInput, CampaignInvalid, RateValue
from desktop_app.storage import seed
from desktop_app.storage.errors import UserFixableError

from .helpers import act, new_draft, pdf, proc_by_code, receive, synced

KHAI_SINH = "1.001193"  # toàn trình, free, same day
BAN_SAO = "2.000635"  # toàn trình, fixed 8.000 đ, same day
CHUNG_THUC_CHU_KY = "2.000884"  # not online, fixed 10.000 đ, same day
KET_HON = "1.000894"  # một phần, free, same day

CAMPAIGN = (date(2026, 3, 2), date(2026, 3, 15))  # Monday 2/3 – Sunday 15/3: two weeks
TODAY = datetime(2026, 3, 12, 10, 0)  # Thursday of week 2


@pytest.fixture
def office(services_ctx, clock, tmp_path):
    """Dossiers around the campaign of 2–15/3/2026, looked at on Thursday 12/3 10:00."""
    ctx = services_ctx
    scan = pdf(tmp_path, "scan.pdf")
    result = pdf(tmp_path, "kq.pdf", b"kq")
    slip = pdf(tmp_path, "phieu.pdf", b"tu choi")
    d = {}
    # before the campaign, still open and overdue: carried over (received or processed in it)
    d["old"] = receive(ctx, clock, datetime(2026, 2, 27, 9), KHAI_SINH)
    # week 1
    d["A"] = receive(ctx, clock, datetime(2026, 3, 2, 8, 30), KHAI_SINH, channel=Channel.TRUC_TUYEN, kho={2},
                     identity_checked=True, identity_method="vneid")
    act(ctx, clock, d["A"], datetime(2026, 3, 2, 14), Action.CO_KET_QUA, result_files=[result], result_signed=True)
    act(ctx, clock, d["A"], datetime(2026, 3, 2, 15), Action.TRA_KET_QUA, satisfaction="hai_long")
    synced(ctx, clock, d["A"], datetime(2026, 3, 2, 15, 5))
    d["B"] = receive(ctx, clock, datetime(2026, 3, 3, 9), BAN_SAO, channel=Channel.TRUC_TUYEN, reused={1},
                     fee=8000, payment_method="truc_tuyen")
    act(ctx, clock, d["B"], datetime(2026, 3, 3, 10), Action.CO_KET_QUA)  # no e-result
    d["C"] = receive(ctx, clock, datetime(2026, 3, 4, 9), CHUNG_THUC_CHU_KY, fee=10000, payment_method="tien_mat")
    act(ctx, clock, d["C"], datetime(2026, 3, 4, 10), Action.CO_KET_QUA, result_files=[result])
    act(ctx, clock, d["C"], datetime(2026, 3, 4, 11), Action.TRA_KET_QUA, satisfaction="khong_hai_long")
    synced(ctx, clock, d["C"], datetime(2026, 3, 4, 11, 30))
    # week 2
    d["D"] = receive(ctx, clock, datetime(2026, 3, 9, 9), KET_HON, files={0: scan},
                     identity_checked=True, identity_method="vneid")
    synced(ctx, clock, d["D"], datetime(2026, 3, 9, 9, 30))
    d["E"] = receive(ctx, clock, datetime(2026, 3, 10, 9), KHAI_SINH, channel=Channel.TRUC_TUYEN)
    act(ctx, clock, d["E"], datetime(2026, 3, 10, 9, 30), Action.TU_CHOI, reason="Không thuộc thẩm quyền",
        end_document_files=[slip])
    # after "today": not counted
    clock.now = TODAY
    warnings.reevaluate_time_dependent(ctx)
    return d


@pytest.fixture
def campaign(services_ctx, office):
    return campaigns.save_campaign(
        services_ctx,
        CampaignInput("Chiến dịch tháng 3", *CAMPAIGN, {"online_intake": 60, "digitised_components": 75,
                                                        "online_payment": 80}),
    )


# ====================================================================== presets


def test_presets_load_with_their_rates_and_dates():
    presets = campaigns.presets()
    assert [p.key for p in presets] == [
        "chien-dich-30-ngay-dong-nai",
        "cao-diem-45-ngay-dem-thai-nguyen",
        "ke-hoach-nam-2025-ba-ria-vung-tau",
        "chien-dich-cao-diem-2024-ha-tinh",
    ]
    dong_nai = presets[0]
    assert (dong_nai.start_date, dong_nai.end_date) == (date(2025, 7, 25), date(2025, 8, 25))
    assert dong_nai.targets == {"digitised_components": 80, "digitised_results": 80,
                                "procedures_with_online_dossiers": 60, "online_payment": 60}
    labels = campaigns.rate_labels()
    assert labels["online_intake"] == "Tỷ lệ hồ sơ tiếp nhận trực tuyến"
    for preset in presets:
        assert set(preset.targets) <= set(labels), preset.key


def test_every_rate_of_the_presets_file_is_computed():
    data = json.loads(seed.presets_file().read_text(encoding="utf-8"))
    assert set(campaigns.RATE_SOURCES) == set(data["rates"])


def test_create_from_preset_copies_it_and_keeps_names_unique(services_ctx):
    before = campaigns.campaign_count(services_ctx)  # the presets seeded into a new database
    created = campaigns.create_from_preset(services_ctx, "chien-dich-30-ngay-dong-nai")
    assert created.name == "Chiến dịch 30 ngày (xã thuộc tỉnh Đồng Nai) (2)"  # the seeded copy has the name
    assert (created.start_date, created.end_date) == (date(2025, 7, 25), date(2025, 8, 25))
    assert created.targets["online_payment"] == 60
    assert [w.number for w in created.weeks] == [1, 2, 3, 4, 5]
    assert created.weeks[-1] == CampaignWeek(5, date(2025, 8, 22), date(2025, 8, 25))
    again = campaigns.create_from_preset(services_ctx, "chien-dich-30-ngay-dong-nai")
    assert again.name.endswith("(3)")
    assert campaigns.campaign_count(services_ctx) == before + 2
    with pytest.raises(UserFixableError, match="mẫu"):
        campaigns.create_from_preset(services_ctx, "khong-co")


# ====================================================================== editing


def test_save_edit_and_delete_a_campaign(services_ctx):
    saved = campaigns.save_campaign(
        services_ctx, CampaignInput("  Cao điểm quý I  ", date(2026, 1, 5), date(2026, 3, 31),
                                    [("online_intake", 70), ("satisfaction", 92.5)], "Ghi chú"))
    assert saved.name == "Cao điểm quý I"
    assert saved.targets == {"online_intake": 70, "satisfaction": 92.5}
    edited = campaigns.save_campaign(
        services_ctx, CampaignInput("Cao điểm quý I", date(2026, 1, 5), date(2026, 3, 31), {"online_intake": 75}),
        saved.id, saved.version)
    assert campaigns.get_campaign(services_ctx, saved.id).targets == {"online_intake": 75}
    with pytest.raises(UserFixableError, match="người khác"):  # an old version
        campaigns.save_campaign(services_ctx, CampaignInput("X", date(2026, 1, 5), date(2026, 3, 31)),
                                saved.id, saved.version)
    campaigns.delete_campaign(services_ctx, edited.id)
    assert all(c.id != saved.id for c in campaigns.list_campaigns(services_ctx))


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (CampaignInput("   ", date(2026, 1, 1), date(2026, 1, 31)), "name", "tên chiến dịch"),
        (CampaignInput("Chiến dịch", date(2026, 2, 1), date(2026, 1, 31)), "end_date", "Ngày kết thúc"),
        (CampaignInput("Chiến dịch", None, date(2026, 1, 31)), "start_date", "ngày bắt đầu"),
        (CampaignInput("Chiến dịch", date(2026, 1, 1), date(2026, 1, 31), {"online_intake": 120}), "targets",
         "Chỉ tiêu “Tỷ lệ hồ sơ tiếp nhận trực tuyến” phải từ 0 đến 100 %"),
        (CampaignInput("Chiến dịch", date(2026, 1, 1), date(2026, 1, 31), {"online_payment": -1}), "targets",
         "Tỷ lệ hồ sơ có phí, lệ phí được thanh toán trực tuyến"),
        (CampaignInput("Chiến dịch", date(2026, 1, 1), date(2026, 1, 31), {"so_hoa": 80}), "targets",
         "Chỉ tiêu “so_hoa” không có trong danh sách tỷ lệ"),
        (CampaignInput("Chiến dịch", date(2026, 1, 1), date(2026, 1, 31), {"online_intake": "nhiều"}), "targets",
         "không phải là số"),
        (CampaignInput("Chiến dịch", date(2026, 1, 1), date(2026, 1, 31),
                       [("online_intake", 50), ("online_intake", 60)]), "targets", "được nhập hai lần"),
    ],
)
def test_an_invalid_campaign_is_refused_naming_the_field_and_nothing_is_saved(services_ctx, data, field, words):
    before = campaigns.list_campaigns(services_ctx)
    with pytest.raises(CampaignInvalid) as info:
        campaigns.save_campaign(services_ctx, data)
    assert set(info.value.errors) == {field}
    assert words.lower() in info.value.errors[field].lower()
    assert str(info.value).startswith("Chiến dịch chưa lưu được")
    assert campaigns.list_campaigns(services_ctx) == before


def test_an_invalid_edit_leaves_the_stored_campaign_as_it_was(services_ctx):
    saved = campaigns.save_campaign(services_ctx, CampaignInput("Tháng 1", date(2026, 1, 1), date(2026, 1, 31),
                                                                {"online_intake": 50}))
    with pytest.raises(CampaignInvalid):
        campaigns.save_campaign(services_ctx, CampaignInput("Tháng 1 sửa", date(2026, 1, 1), date(2025, 12, 31),
                                                            {"online_intake": 60}), saved.id, saved.version)
    assert campaigns.get_campaign(services_ctx, saved.id) == saved


# ====================================================================== rates


def test_rates_of_the_whole_campaign_to_today(services_ctx, office):
    r = campaigns.rates(services_ctx, CAMPAIGN[0], TODAY.date())
    # received in the period: A B C D E; online A B E
    assert r["online_intake"] == RateValue(3, 5, Decimal("60.00"))
    # A (kho), B (reused), D (scan); C and E have nothing
    assert r["digitised_components"] == RateValue(3, 5, Decimal("60.00"))
    # finished with a document result: A (file), B (none), C (file)
    assert r["digitised_results"] == RateValue(2, 3, Decimal("66.67"))
    assert r["e_results"] == r["digitised_results"]
    # component and result/end document: only A (E has the refusal slip but no component)
    assert r["digitised_dossiers"] == RateValue(1, 5, Decimal("20.00"))
    # fee > 0: B online, C cash
    assert r["online_payment"] == RateValue(1, 2, Decimal("50.00"))
    # online-capable procedures with dossiers: khai sinh, bản sao, kết hôn; with online ones: the first two
    assert r["procedures_with_online_dossiers"] == RateValue(2, 3, Decimal("66.67"))
    # the catalogue: 15 toàn trình of 22 online-capable active procedures
    assert r["full_online_procedures"] == RateValue(15, 22, Decimal("68.18"))
    # received or processed: old A B C D E; ended on time A B C E; C unhappy → 4 − 1 = 3
    assert r["satisfaction"] == RateValue(3, 6, Decimal("50.00"))
    assert r["reused_data"] == RateValue(1, 5, Decimal("20.00"))
    # synced: A C D of the six
    assert r["results_synced"] == RateValue(3, 6, Decimal("50.00"))


def test_rates_agree_with_the_766_counts(services_ctx, office):
    r = campaigns.rates(services_ctx, CAMPAIGN[0], TODAY.date())
    card = stats.compute(services_ctx, CAMPAIGN[0], TODAY.date()).card
    pairs = {
        "digitised_results": "ORIGINAL_RESULT_AVAILABLE",
        "digitised_dossiers": "SO_HOA_GIAY_TO_GIAI_QUYET",
        "online_payment": "PAYMENT_ONLINE_DOSSIER",
        "procedures_with_online_dossiers": "ONLINE_SERVICE_USED",
        "satisfaction": "DOSSIER_RECEIVING_SATISFACTION",
        "reused_data": "REUSED_DIGITIZED_DATA",
        "results_synced": "DOSSIER_SYNC",
    }
    for rate, indicator in pairs.items():
        score = card.indicator(indicator)
        assert (r[rate].numerator, r[rate].denominator, r[rate].percent) == (
            score.numerator, score.denominator, score.ratio), rate


def test_rates_week_by_week_and_an_empty_period(services_ctx, office):
    week1 = campaigns.rates(services_ctx, date(2026, 3, 2), date(2026, 3, 8))
    assert week1["online_intake"] == RateValue(2, 3, Decimal("66.67"))  # A B of A B C
    assert week1["digitised_components"] == RateValue(2, 3, Decimal("66.67"))  # A B
    assert week1["online_payment"] == RateValue(1, 2, Decimal("50.00"))
    week2 = campaigns.rates(services_ctx, date(2026, 3, 9), date(2026, 3, 12))
    assert week2["online_intake"] == RateValue(1, 2, Decimal("50.00"))  # E of D E
    assert week2["digitised_components"] == RateValue(1, 2, Decimal("50.00"))  # D
    assert week2["online_payment"] == RateValue(0, 0, None)  # no fee-bearing dossier: no data
    empty = campaigns.rates(services_ctx, date(2025, 6, 2), date(2025, 6, 8))
    for code, value in empty.items():
        if code != "full_online_procedures":  # from the catalogue, not the period
            assert value.denominator == 0 and value.percent is None, code
    with pytest.raises(UserFixableError, match="Ngày bắt đầu"):
        campaigns.rates(services_ctx, date(2026, 3, 8), date(2026, 3, 2))


# ====================================================================== progress


def test_campaign_progress_to_today(services_ctx, office, campaign):
    progress = campaigns.campaign_progress(services_ctx, campaign.id)
    assert progress.started and progress.date_to == TODAY.date()
    assert [(t.code, t.value.percent, t.light) for t in progress.targets] == [
        ("online_intake", Decimal("60.00"), Light.GREEN),  # 60 ≥ 60
        ("digitised_components", Decimal("60.00"), Light.RED),  # 15 below 75
        ("online_payment", Decimal("50.00"), Light.RED),  # 30 below 80
    ]
    assert progress.targets[0].label == "Tỷ lệ hồ sơ tiếp nhận trực tuyến"
    assert progress.overall == campaigns.rates(services_ctx, CAMPAIGN[0], TODAY.date())
    # two weeks begun; the second is counted to today
    assert [(w.week.number, w.week.date_from, w.date_to) for w in progress.weeks] == [
        (1, date(2026, 3, 2), date(2026, 3, 8)),
        (2, date(2026, 3, 9), date(2026, 3, 12)),
    ]
    assert progress.weeks[0].rates["online_intake"].percent == Decimal("66.67")
    assert progress.weeks[1].rates["online_payment"].percent is None
    # the groups of the 766 estimate for the campaign period
    card = stats.compute(services_ctx, CAMPAIGN[0], TODAY.date()).card
    groups = {g.code: g for g in progress.groups}
    assert [g.code for g in progress.groups] == [g.code for g in card.groups]
    cong_khai = groups["cong_khai"]
    assert (cong_khai.points, cong_khai.measured_max, cong_khai.max_points) == (Decimal("3.00"), 6, 18)  # 6 × 3/6
    assert cong_khai.not_measurable == 12 and cong_khai.no_data == 0
    assert groups["hai_long"].not_measurable == 12
    assert groups["tien_do"].not_measurable == 0
    assert progress.total_points == card.total
    assert progress.scoring_version == "766-2025.1"


def test_the_five_rules_costing_most_points(services_ctx, office, campaign):
    progress = campaigns.campaign_progress(services_ctx, campaign.id)
    expected: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for item in warnings.open_warnings(services_ctx, CAMPAIGN[0], TODAY.date()):
        expected[item.rule] += item.points_at_stake
        counts[item.rule] += 1
    ranked = sorted((r for r in expected if expected[r] > 0), key=lambda r: (-expected[r], -counts[r], r))[:5]
    assert [c.rule for c in progress.top_rules] == ranked
    assert 0 < len(progress.top_rules) <= 5
    for cost in progress.top_rules:
        assert cost.points == expected[cost.rule] and cost.dossiers == counts[cost.rule]
    points = [c.points for c in progress.top_rules]
    assert points == sorted(points, reverse=True)
    assert progress.top_rules[0].title  # the rule's Vietnamese title
    assert "OVERDUE" in expected  # old and D are late


def test_a_campaign_not_yet_started_has_no_data(services_ctx, office):
    future = campaigns.save_campaign(services_ctx, CampaignInput("Tháng 4", date(2026, 4, 1), date(2026, 4, 30),
                                                                 {"online_intake": 50}))
    progress = campaigns.campaign_progress(services_ctx, future.id)
    assert not progress.started and progress.weeks == [] and progress.groups == []
    assert [(t.code, t.light) for t in progress.targets] == [("online_intake", Light.NO_DATA)]


def test_a_finished_campaign_is_counted_to_its_end(services_ctx, office):
    week1 = campaigns.save_campaign(services_ctx, CampaignInput("Tuần đầu", date(2026, 3, 2), date(2026, 3, 8),
                                                                {"online_intake": 50}))
    progress = campaigns.campaign_progress(services_ctx, week1.id)
    assert progress.date_to == date(2026, 3, 8)
    assert [w.week.number for w in progress.weeks] == [1]
    assert progress.targets[0].value == RateValue(2, 3, Decimal("66.67"))
    assert progress.targets[0].light is Light.GREEN
