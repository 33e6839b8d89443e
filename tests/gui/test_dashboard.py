"""The dashboard (tiles, 766 groups, weekly chart, costly rules) and the campaign editor, with
real widgets on a small real database (fixed clock: Thursday 12/02/2026 10:00)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from desktop_app.domain.campaigns import Light
from desktop_app.domain.status import Channel
from desktop_app.services import campaigns, intake
from desktop_app.services.campaigns import CampaignInput
from desktop_app.ui.campaign_editor import CampaignEditor
from desktop_app.ui.dashboard import G_MAX, G_MEASURED, G_NAME, G_NOTE, G_POINTS, DashboardWidget

CAMPAIGN = (date(2026, 2, 2), date(2026, 3, 1))  # 4 weeks; today (12/2) is in week 2


@pytest.fixture
def office(ctx, make_dossier):
    """Five dossiers: week 1 (2–8/2) direct, online, direct with a reused component;
    week 2 (9–12/2) online, direct. Online 2/5 = 40 %; components digitised 1/5 = 20 %."""
    reused = [intake.ComponentDraft(name="Tờ khai đăng ký khai sinh", reused=True)]
    make_dossier("Nguyễn Văn An", received_at=datetime(2026, 2, 3, 9))
    make_dossier("Trần Thị Bình", received_at=datetime(2026, 2, 4, 9), channel=Channel.TRUC_TUYEN)
    make_dossier("Lê Văn Cường", received_at=datetime(2026, 2, 5, 9), components=reused)
    make_dossier("Phạm Thị Dung", received_at=datetime(2026, 2, 10, 9), channel=Channel.TRUC_TUYEN)
    make_dossier("Hoàng Văn Em", received_at=datetime(2026, 2, 11, 9))
    return campaigns.save_campaign(
        ctx, CampaignInput("Cao điểm tháng 2", *CAMPAIGN, {"online_intake": 40, "digitised_components": 25}),
    )


@pytest.fixture
def dashboard(ctx, qtbot):
    widget = DashboardWidget(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    yield widget
    widget.wait_idle()
    if widget.editor is not None:
        widget.editor.close()


def wait_computed(qtbot, widget: DashboardWidget) -> None:
    qtbot.waitUntil(lambda: not widget.busy and widget.progress is not None, timeout=20000)


def click(qtbot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def group_row(widget: DashboardWidget, code: str) -> int:
    table = widget.group_table
    return next(r for r in range(table.rowCount()) if table.item(r, G_NAME).data(Qt.ItemDataRole.UserRole) == code)


# ====================================================================== dashboard


def test_the_computation_runs_off_the_ui_thread_with_a_busy_label(office, dashboard, qtbot):
    # the worker reports through the event loop: right after start the dashboard is busy
    assert dashboard.busy and dashboard.busy_label.isVisible()
    wait_computed(qtbot, dashboard)
    assert not dashboard.busy_label.isVisible()


def test_the_campaign_running_today_is_chosen_and_tiles_show_actual_vs_target(office, dashboard, qtbot):
    wait_computed(qtbot, dashboard)
    assert dashboard.current_campaign_id() == office.id
    assert "Cao điểm tháng 2" in dashboard.campaign_combo.currentText()
    assert [t.code for t in dashboard.tiles] == ["online_intake", "digitised_components"]

    online = dashboard.tile("online_intake")
    assert online.title_label.text() == "Tỷ lệ hồ sơ tiếp nhận trực tuyến"
    assert online.actual_label.text() == "40,0 %"  # 2 of 5
    assert online.state is Light.GREEN and online.property("state") == "green"
    assert "Đạt chỉ tiêu" in online.state_label.text()  # words, not colour alone
    assert "40\u00a0%" in online.target_label.text() and "2/5" in online.target_label.text()

    digitised = dashboard.tile("digitised_components")
    assert digitised.actual_label.text() == "20,0 %"  # 1 of 5
    assert digitised.state is Light.AMBER and digitised.property("state") == "amber"  # 5 points below 25
    assert "Gần đạt" in digitised.state_label.text() and "5,0" in digitised.state_label.text()
    assert "1/5" in digitised.target_label.text()
    assert "Tuần 2" not in dashboard.period_label.text() and "đang ở tuần 2" in dashboard.period_label.text()


def test_a_red_tile_after_the_target_is_raised(ctx, office, dashboard, qtbot):
    wait_computed(qtbot, dashboard)
    campaigns.save_campaign(ctx, CampaignInput("Cao điểm tháng 2", *CAMPAIGN,
                                               {"online_intake": 40, "digitised_components": 60}), office.id)
    dashboard.refresh()
    qtbot.waitUntil(lambda: not dashboard.busy and dashboard.tile("digitised_components").state is Light.RED,
                    timeout=20000)
    assert "Chưa đạt" in dashboard.tile("digitised_components").state_label.text()


def test_groups_show_points_measured_max_max_and_the_unmeasured_part(office, dashboard, qtbot):
    wait_computed(qtbot, dashboard)
    table = dashboard.group_table
    row = group_row(dashboard, "cong_khai")
    assert table.item(row, G_NAME).text() == "Công khai, minh bạch"
    assert table.item(row, G_MEASURED).text() == "6"
    assert table.item(row, G_MAX).text() == "18"
    assert "12 điểm không đo được tại đây" in table.item(row, G_NOTE).text()  # 18 − 6, never shown as 0
    assert table.item(row, G_POINTS).text() == "0"  # no dossier marked synced: 6 × 0/5
    hai_long = group_row(dashboard, "hai_long")
    assert "12 điểm không đo được tại đây" in table.item(hai_long, G_NOTE).text()
    tien_do = group_row(dashboard, "tien_do")
    assert "không đo được" not in table.item(tien_do, G_NOTE).text()
    total = table.item(table.rowCount() - 1, G_NAME).text()
    assert total == "Tổng (ước tính)"
    assert table.item(table.rowCount() - 1, G_MAX).text() == "100"


def test_the_chart_gets_one_series_per_rate_with_one_point_per_elapsed_week(office, dashboard, qtbot):
    wait_computed(qtbot, dashboard)
    chart = dashboard.chart
    assert chart.weeks() == ["Tuần 1", "Tuần 2"]  # 12/2 is in week 2 of 4
    series = {s.code: s for s in chart.series()}
    assert list(series) == ["online_intake", "digitised_components"]
    assert series["online_intake"].label == "Hồ sơ tiếp nhận trực tuyến"  # legend in Vietnamese
    assert series["online_intake"].values == (pytest.approx(33.33), 50.0)  # 1/3, then 1/2
    assert series["digitised_components"].values == (pytest.approx(33.33), 0.0)
    assert series["online_intake"].target == 40.0
    assert len({s.color for s in chart.series()}) == 2
    assert not chart.grab().isNull()  # paints without error


def test_the_rules_costing_most_points(office, dashboard, qtbot):
    wait_computed(qtbot, dashboard)
    rules = dashboard.progress.top_rules
    table = dashboard.rules_table
    assert 0 < table.rowCount() == len(rules) <= 5
    assert table.item(0, 0).text() == rules[0].title
    assert table.item(0, 2).text() == f"{rules[0].points:.2f}".replace(".", ",")


def test_a_campaign_without_dossiers_says_no_data(ctx, office, dashboard, qtbot):
    wait_computed(qtbot, dashboard)
    dong_nai = next(c for c in campaigns.list_campaigns(ctx) if c.start_date == date(2025, 7, 25))
    dashboard.select_campaign(dong_nai.id)
    qtbot.waitUntil(lambda: not dashboard.busy and dashboard.progress.campaign.id == dong_nai.id, timeout=20000)
    assert len(dashboard.tiles) == 4
    for tile in dashboard.tiles:
        assert tile.state is Light.NO_DATA
        assert tile.actual_label.text() == "không có dữ liệu"
        assert tile.state_label.text() == "Không có dữ liệu"
    assert dashboard.chart.weeks() == [f"Tuần {n}" for n in range(1, 6)]
    assert all(v is None for s in dashboard.chart.series() for v in s.values)
    row = group_row(dashboard, "tien_do")
    assert dashboard.group_table.item(row, G_POINTS).text() == "không có dữ liệu"


# ====================================================================== editor


def test_the_editor_creates_a_campaign_from_a_preset_and_edits_a_target(ctx, office, dashboard, qtbot):
    wait_computed(qtbot, dashboard)
    click(qtbot, dashboard.editor_button)
    editor = dashboard.editor
    assert isinstance(editor, CampaignEditor) and editor.isVisible()
    assert editor.current_id() == office.id  # opens on the campaign shown
    before = campaigns.campaign_count(ctx)

    editor.preset_combo.setCurrentIndex(editor.preset_combo.findData("cao-diem-45-ngay-dem-thai-nguyen"))
    with qtbot.waitSignal(editor.changed):
        click(qtbot, editor.add_preset_button)
    assert campaigns.campaign_count(ctx) == before + 1
    assert editor.name.text() == "Cao điểm 45 ngày đêm (tỉnh Thái Nguyên) (2)"
    assert editor.start.date().toString("dd/MM/yyyy") == "30/10/2025"
    assert editor.end.date().toString("dd/MM/yyyy") == "15/12/2025"
    assert [row.code() for row in editor.target_rows] == [
        "online_intake", "full_online_procedures", "online_payment", "satisfaction",
        "digitised_components", "digitised_results",
    ]
    assert editor.target_rows[0].rate.currentText() == "Tỷ lệ hồ sơ tiếp nhận trực tuyến"
    assert "7 tuần" in editor.weeks_label.text()

    # edit a target: online intake 92 → 95 %, and the last rate becomes "satisfaction"… twice
    editor.target_rows[0].percent.setValue(95)
    last = editor.target_rows[-1]
    last.rate.setCurrentIndex(last.rate.findData("satisfaction"))
    click(qtbot, editor.save_button)
    assert "hai lần" in editor.errors["targets"].text() and editor.errors["targets"].isVisible()
    stored = campaigns.get_campaign(ctx, editor.current_id())
    assert stored.targets["online_intake"] == 92  # nothing saved

    last.rate.setCurrentIndex(last.rate.findData("e_results"))
    with qtbot.waitSignal(editor.changed):
        click(qtbot, editor.save_button)
    stored = campaigns.get_campaign(ctx, editor.current_id())
    assert stored.targets["online_intake"] == 95
    assert "e_results" in stored.targets and "digitised_results" not in stored.targets
    assert "Đã lưu" in editor.status.text() and not editor.errors["targets"].isVisible()
    # the dashboard lists the new campaign
    qtbot.waitUntil(lambda: not dashboard.busy, timeout=20000)
    assert dashboard.index_of(stored.id) >= 0


def test_the_editor_shows_inline_messages_and_saves_nothing(ctx, office, qtbot):
    editor = CampaignEditor(ctx)
    qtbot.addWidget(editor)
    editor.show()
    before = campaigns.list_campaigns(ctx)
    click(qtbot, editor.add_blank_button)
    assert editor.current_id() is None and editor.name.text() == ""
    editor.end.setDate(editor.start.date().addDays(-1))
    editor.add_target()
    click(qtbot, editor.save_button)
    assert editor.errors["name"].isVisible() and "tên chiến dịch" in editor.errors["name"].text()
    assert editor.errors["end_date"].isVisible() and "Ngày kết thúc" in editor.errors["end_date"].text()
    assert campaigns.list_campaigns(ctx) == before

    editor.name.setText("Tháng cao điểm số hóa")
    editor.end.setDate(editor.start.date().addDays(30))
    editor.target_rows[0].percent.setValue(85)
    with qtbot.waitSignal(editor.changed):
        click(qtbot, editor.save_button)
    saved = campaigns.get_campaign(ctx, editor.current_id())
    assert saved.name == "Tháng cao điểm số hóa"
    assert saved.targets == {editor.target_rows[0].code(): 85}
    assert not editor.errors["name"].isVisible()


def test_the_editor_deletes_after_confirmation(ctx, office, qtbot):
    editor = CampaignEditor(ctx)
    qtbot.addWidget(editor)
    editor.show()
    editor.select(office.id)
    assert editor.current_id() == office.id
    click(qtbot, editor.delete_button)
    box = editor.confirm_box
    assert box is not None and box.isVisible() and "Cao điểm tháng 2" in box.text()
    click(qtbot, next(b for b in box.buttons() if b.text() == "Không"))
    assert any(c.id == office.id for c in campaigns.list_campaigns(ctx))

    click(qtbot, editor.delete_button)
    with qtbot.waitSignal(editor.changed):
        click(qtbot, next(b for b in editor.confirm_box.buttons() if b.text() == "Xóa"))
    assert all(c.id != office.id for c in campaigns.list_campaigns(ctx))
    assert editor.current_id() != office.id
