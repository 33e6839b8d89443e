"""Status codes and the one function that decides status changes (SPEC §3)."""

from __future__ import annotations

import itertools

import pytest

from desktop_app.domain.status import (
    ENDED_STATUSES,
    TRANSITIONS,
    Action,
    Channel,
    Status,
    TransitionRefused,
    allowed_actions,
    next_status,
)

# The table the rules are checked against, written out independently of TRANSITIONS:
# status code -> {action: status code it leads to}
EXPECTED: dict[int, dict[Action, int]] = {
    1: {
        Action.TIEP_NHAN: 2,
        Action.YEU_CAU_BO_SUNG: 5,
        Action.TU_CHOI: 3,
        Action.RUT_HO_SO: 7,
    },
    2: {
        Action.CHUYEN_XU_LY: 4,
        Action.YEU_CAU_BO_SUNG: 5,
        Action.YEU_CAU_NGHIA_VU_TAI_CHINH: 6,
        Action.TU_CHOI: 3,
        Action.DUNG_XU_LY: 8,
        Action.RUT_HO_SO: 7,
        Action.CO_KET_QUA: 9,
    },
    3: {},
    4: {
        Action.YEU_CAU_BO_SUNG: 5,
        Action.YEU_CAU_NGHIA_VU_TAI_CHINH: 6,
        Action.DUNG_XU_LY: 8,
        Action.RUT_HO_SO: 7,
        Action.CO_KET_QUA: 9,
    },
    5: {
        Action.HOAN_THANH_BO_SUNG: 4,
        Action.TU_CHOI: 3,
        Action.DUNG_XU_LY: 8,
        Action.RUT_HO_SO: 7,
    },
    6: {
        Action.HOAN_THANH_NGHIA_VU_TAI_CHINH: 4,
        Action.DUNG_XU_LY: 8,
        Action.RUT_HO_SO: 7,
        Action.CO_KET_QUA: 9,
    },
    7: {},
    8: {},
    9: {Action.TRA_KET_QUA: 10},
    10: {},
}


def test_status_codes_are_the_national_ones() -> None:
    assert [int(s) for s in Status] == list(range(1, 11))
    assert Status(1).label == "Mới đăng ký"
    assert Status(3).label == "Không được tiếp nhận"
    assert Status(5).label == "Yêu cầu bổ sung giấy tờ"
    assert Status(9).label == "Đã xử lý xong"
    assert Status(10).label == "Đã trả kết quả"
    assert [int(c) for c in Channel] == [1, 2, 3]
    assert Channel.BUU_CHINH.label == "Bưu chính công ích"


def test_ended_statuses() -> None:
    assert {int(s) for s in ENDED_STATUSES} == {3, 7, 8, 9, 10}
    assert [s for s in Status if s.is_ended] == sorted(ENDED_STATUSES)


def test_expected_table_matches_transitions() -> None:
    from_table = {
        int(status): {
            action: int(target)
            for action, (sources, target) in TRANSITIONS.items()
            if status in sources
        }
        for status in Status
    }
    assert from_table == EXPECTED


@pytest.mark.parametrize(("status", "action"), list(itertools.product(Status, Action)))
def test_every_status_action_pair(status: Status, action: Action) -> None:
    target = EXPECTED[int(status)].get(action)
    if target is not None:
        assert next_status(status, action) == Status(target)
        assert next_status(int(status), action) == Status(target)  # a stored int works too
    else:
        with pytest.raises(TransitionRefused) as refused:
            next_status(status, action)
        message = str(refused.value)
        assert status.label in message
        assert action.label.lower() in message
        assert "không thể" in message.lower()


def test_refusal_is_a_value_error() -> None:
    assert issubclass(TransitionRefused, ValueError)


def test_ended_statuses_allow_nothing_but_returning_the_result() -> None:
    for status in ENDED_STATUSES:
        expected = [Action.TRA_KET_QUA] if status is Status.DA_XU_LY_XONG else []
        assert allowed_actions(status) == expected


def test_refusal_from_an_ended_status_says_it_has_ended() -> None:
    with pytest.raises(TransitionRefused, match="Hồ sơ đã ở trạng thái “Đã trả kết quả”"):
        next_status(Status.DA_TRA_KET_QUA, Action.CHUYEN_XU_LY)


def test_refusal_from_an_open_status_lists_where_it_is_allowed() -> None:
    with pytest.raises(TransitionRefused) as refused:
        next_status(Status.MOI_DANG_KY, Action.TRA_KET_QUA)
    message = str(refused.value)
    assert "“Mới đăng ký”" in message
    assert "“Đã xử lý xong”" in message


def test_allowed_actions_of_received_dossier() -> None:
    actions = allowed_actions(Status.DUOC_TIEP_NHAN)
    assert Action.CO_KET_QUA in actions
    assert Action.TRA_KET_QUA not in actions
    assert Action.TIEP_NHAN not in actions
    # display order follows the Action declaration order
    assert actions == [a for a in Action if a in actions]


@pytest.mark.parametrize("status", list(Status))
def test_allowed_actions_agree_with_next_status(status: Status) -> None:
    assert set(allowed_actions(status)) == set(EXPECTED[int(status)])


def test_action_given_as_its_stored_value() -> None:
    assert next_status(2, "chuyen_xu_ly") is Status.DANG_XU_LY
    with pytest.raises(TransitionRefused, match="trả kết quả"):
        next_status(2, "tra_ket_qua")


def test_unknown_status_code_refused() -> None:
    with pytest.raises(ValueError):
        next_status(11, Action.TIEP_NHAN)
