"""The lazy dossier table model: Qt's model checks, paging, sorting, filtering, labels."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableView

from desktop_app.domain.status import Action, Channel, Status
from desktop_app.services import dossiers
from desktop_app.storage.dossier_queries import DossierFilter
from desktop_app.ui.dossier_table_model import (
    COLUMN_APPLICANT,
    COLUMN_CHANNEL,
    COLUMN_CODE,
    COLUMN_DUE,
    COLUMN_PROCEDURE,
    COLUMN_RECEIVED,
    COLUMN_STATUS,
    DOSSIER_ID_ROLE,
    DossierTableModel,
)

NAMES = ["Đặng Thị Ánh", "Bùi Văn Cường", "Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Dũng", "Âu Thị Hà"]

DISPLAY = Qt.ItemDataRole.DisplayRole


def column(model: DossierTableModel, col: int) -> list[str]:
    return [model.data(model.index(row, col), DISPLAY) for row in range(model.rowCount())]


@pytest.fixture
def page_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Offsets of every page the model reads (services.dossiers.list_page is wrapped)."""
    calls: list[int] = []
    real = dossiers.list_page

    def spy(*args, **kwargs):
        calls.append(kwargs["offset"])
        return real(*args, **kwargs)

    monkeypatch.setattr(dossiers, "list_page", spy)
    return calls


def test_model_passes_qt_model_tester(ctx, make_dossiers, qtmodeltester) -> None:
    make_dossiers(30, NAMES)
    model = DossierTableModel(ctx, page_size=7, cache_pages=2)  # small pages: the checks cross them
    assert model.rowCount() == 30
    qtmodeltester.check(model)


def test_headers_are_vietnamese(ctx) -> None:
    model = DossierTableModel(ctx)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Mã hồ sơ", "Cảnh báo", "Thủ tục", "Chủ hồ sơ", "Hình thức", "Ngày nhận", "Hẹn trả", "Trạng thái"]
    assert [COLUMN_CODE, COLUMN_PROCEDURE, COLUMN_APPLICANT, COLUMN_CHANNEL, COLUMN_RECEIVED, COLUMN_DUE,
            COLUMN_STATUS] == [0, *range(2, 8)]


def test_only_the_pages_asked_for_are_read(ctx, make_dossiers, page_calls, qtbot) -> None:
    make_dossiers(450)
    model = DossierTableModel(ctx)
    assert model.page_size == 200
    assert model.rowCount() == 450  # a COUNT, no page read
    assert page_calls == []

    assert model.data(model.index(0, COLUMN_CODE)) is not None
    assert page_calls == [0]  # one page of 200, not 450 rows
    model.data(model.index(199, COLUMN_STATUS))
    assert page_calls == [0]

    last = model.data(model.index(449, COLUMN_APPLICANT))
    assert last == "Nguyễn Văn Số 0449"  # newest first: the oldest is last
    assert page_calls == [0, 0]  # past the middle, the last page is read from the other end
    assert model.cached_pages() == [0, 2]

    # a real view painting a 1280×720 window asks only for the first page too
    page_calls.clear()
    fresh = DossierTableModel(ctx)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(fresh)
    view.resize(1280, 720)
    view.show()
    qtbot.waitExposed(view)
    qtbot.wait(20)
    assert page_calls == [0]


def test_page_cache_is_small(ctx, make_dossiers, page_calls) -> None:
    make_dossiers(50)
    model = DossierTableModel(ctx, page_size=10, cache_pages=2)
    for row in (0, 15, 25):
        model.data(model.index(row, COLUMN_CODE))
    assert page_calls == [0, 10, 20]
    assert model.cached_pages() == [1, 2]  # page 0 was dropped
    model.data(model.index(3, COLUMN_CODE))
    assert page_calls == [0, 10, 20, 0]


def test_sort_by_applicant(ctx, make_dossiers) -> None:
    make_dossiers(6, NAMES)
    model = DossierTableModel(ctx)
    with_signal = []
    model.modelReset.connect(lambda: with_signal.append(True))
    model.sort(COLUMN_APPLICANT, Qt.SortOrder.AscendingOrder)
    assert with_signal
    assert model.sort_key == "applicant" and not model.descending
    assert column(model, COLUMN_APPLICANT) == [
        "Âu Thị Hà", "Bùi Văn Cường", "Đặng Thị Ánh", "Lê Văn Dũng", "Nguyễn Văn An", "Trần Thị Bình",
    ]
    model.sort(COLUMN_APPLICANT, Qt.SortOrder.DescendingOrder)
    assert column(model, COLUMN_APPLICANT)[0] == "Trần Thị Bình"


def test_default_order_is_newest_first(ctx, make_dossiers) -> None:
    codes = make_dossiers(5)
    model = DossierTableModel(ctx)
    assert column(model, COLUMN_CODE) == codes  # make_dossiers goes back in time
    model.sort(COLUMN_RECEIVED, Qt.SortOrder.AscendingOrder)
    assert column(model, COLUMN_CODE) == list(reversed(codes))


def test_filter_by_status_and_channel(ctx, make_dossier) -> None:
    make_dossier("Online Một", channel=Channel.TRUC_TUYEN)
    make_dossier("Online Hai", channel=Channel.TRUC_TUYEN)
    done_code = make_dossier("Trực Tiếp Xong", channel=Channel.TRUC_TIEP)
    make_dossier("Bưu Chính", channel=Channel.BUU_CHINH)
    done = dossiers.find_by_code(ctx, done_code)
    dossiers.perform_action(ctx, done.id, dossiers.ActionInput(Action.CO_KET_QUA))

    model = DossierTableModel(ctx)
    counts: list[int] = []
    model.countChanged.connect(counts.append)
    assert model.rowCount() == 4

    model.set_filter(DossierFilter(channel=int(Channel.TRUC_TUYEN)))
    assert sorted(column(model, COLUMN_APPLICANT)) == ["Online Hai", "Online Một"]
    assert set(column(model, COLUMN_CHANNEL)) == {"Trực tuyến"}

    model.set_filter(DossierFilter(statuses=frozenset({int(Status.DA_XU_LY_XONG)})))
    assert column(model, COLUMN_APPLICANT) == ["Trực Tiếp Xong"]
    assert column(model, COLUMN_STATUS) == ["Đã xử lý xong"]

    model.set_filter(DossierFilter(statuses=frozenset({int(Status.DA_XU_LY_XONG)}), channel=int(Channel.BUU_CHINH)))
    assert model.rowCount() == 0
    assert counts == [2, 1, 0]


def test_cells_show_vietnamese_labels_and_dates(ctx, make_dossier) -> None:
    code = make_dossier("Đặng Thị Ánh", channel=Channel.BUU_CHINH, received_at=datetime(2026, 2, 12, 8, 5))
    model = DossierTableModel(ctx)
    row = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert row[COLUMN_CODE] == code
    assert row[COLUMN_APPLICANT] == "Đặng Thị Ánh"
    assert row[COLUMN_CHANNEL] == "Bưu chính công ích"
    assert row[COLUMN_RECEIVED] == "08:05 12/02/2026"
    assert row[COLUMN_DUE].endswith("12/02/2026")
    assert row[COLUMN_STATUS] == "Được tiếp nhận"
    procedure = model.data(model.index(0, COLUMN_PROCEDURE))
    assert model.data(model.index(0, COLUMN_PROCEDURE), Qt.ItemDataRole.ToolTipRole) == procedure
    assert model.data(model.index(0, COLUMN_CODE), DOSSIER_ID_ROLE) == model.dossier_id(0)
    assert dossiers.get_dossier(ctx, model.dossier_id(0)).code == code
    assert model.dossier_id(5) is None


def test_overdue_open_dossiers_are_red(ctx, make_dossier) -> None:
    late = make_dossier("Quá Hạn", received_at=datetime(2026, 2, 9, 8, 0))  # due the same day
    make_dossier("Còn Hạn", received_at=datetime(2026, 2, 12, 8, 0))  # due today 17:00; now 10:00
    ended = make_dossier("Đã Xong", received_at=datetime(2026, 2, 9, 8, 30))
    ended_id = dossiers.find_by_code(ctx, ended).id
    dossiers.perform_action(ctx, ended_id, dossiers.ActionInput(Action.CO_KET_QUA))

    model = DossierTableModel(ctx)
    model.sort(COLUMN_APPLICANT, Qt.SortOrder.AscendingOrder)
    names = column(model, COLUMN_APPLICANT)
    foreground = {
        name: model.data(model.index(row, COLUMN_DUE), Qt.ItemDataRole.ForegroundRole)
        for row, name in enumerate(names)
    }
    assert isinstance(foreground["Quá Hạn"], QColor) and foreground["Quá Hạn"].red() > 150
    assert foreground["Còn Hạn"] is None
    assert foreground["Đã Xong"] is None
    late_row = names.index("Quá Hạn")
    assert model.data(model.index(late_row, COLUMN_CODE), Qt.ItemDataRole.ForegroundRole) is None
    assert "Quá hạn" in model.data(model.index(late_row, COLUMN_DUE), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(late_row, COLUMN_CODE)) == late


def test_refresh_adds_new_rows_without_a_reset(ctx, make_dossiers, make_dossier) -> None:
    make_dossiers(5)
    model = DossierTableModel(ctx)
    resets: list[bool] = []
    inserted: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    model.data(model.index(0, 0))
    new_code = make_dossier("Người Mới", received_at=datetime(2026, 2, 12, 9, 30))
    model.refresh()
    assert resets == []
    assert inserted == [(5, 5)]
    assert model.rowCount() == 6
    assert model.data(model.index(0, COLUMN_CODE)) == new_code


def test_a_database_error_is_reported_once_not_raised(ctx, make_dossiers, monkeypatch) -> None:
    make_dossiers(3)
    model = DossierTableModel(ctx)
    failures: list[Exception] = []
    model.loadFailed.connect(failures.append)

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(dossiers, "list_page", broken)
    assert model.data(model.index(0, 0)) is None
    assert model.data(model.index(1, 0)) is None
    assert len(failures) == 1


@pytest.mark.parametrize("page_size", [7, 10, 45])
@pytest.mark.parametrize("sort_column", [COLUMN_RECEIVED, COLUMN_APPLICANT, COLUMN_STATUS])
def test_pages_past_the_middle_read_backwards_show_the_same_rows(ctx, make_dossiers, page_size,
                                                                  sort_column) -> None:
    make_dossiers(45, NAMES)  # names repeat: ties in the sort order are broken the same way
    expected = DossierTableModel(ctx, page_size=1000)  # one page: read only forwards
    model = DossierTableModel(ctx, page_size=page_size, cache_pages=1)
    for each in (expected, model):
        each.sort(sort_column, Qt.SortOrder.DescendingOrder)
    ids = [expected.dossier_id(row) for row in range(45)]
    assert len(set(ids)) == 45
    assert [model.dossier_id(row) for row in reversed(range(45))] == ids[::-1]
    assert [model.dossier_id(row) for row in range(45)] == ids


def test_a_search_reads_its_count_and_first_page_together(ctx, make_dossiers, page_calls, monkeypatch) -> None:
    make_dossiers(30, NAMES)
    counts: list[DossierFilter] = []
    real_count = dossiers.count
    monkeypatch.setattr(dossiers, "count", lambda c, flt: counts.append(flt) or real_count(c, flt))
    model = DossierTableModel(ctx, page_size=2)
    counts.clear()
    model.set_filter(DossierFilter(search="thi"))  # Đặng Thị Ánh, Trần Thị Bình, Âu Thị Hà: 15 dossiers
    assert model.rowCount() == 15
    assert counts == [] and page_calls == []  # no separate COUNT, no page query yet
    names = column(model, COLUMN_APPLICANT)
    assert sorted(set(names)) == ["Trần Thị Bình", "Âu Thị Hà", "Đặng Thị Ánh"]
    assert names[:3] == ["Đặng Thị Ánh", "Trần Thị Bình", "Âu Thị Hà"]  # newest first, as without search
    assert len(page_calls) == 7  # 8 pages of 2, the first one came with the count
    model.set_filter(DossierFilter(search="không có ai"))
    assert model.rowCount() == 0
