"""The start-up re-evaluation of date-dependent warnings reads only the dossiers whose warnings
can still change (issue 7: it grew with the whole register)."""

from __future__ import annotations

from datetime import datetime

from desktop_app.domain.status import Action
from desktop_app.services import warnings

from .helpers import act, receive, synced

KHAI_SINH = "1.001193"  # same-day procedure


def rules_of(ctx, view) -> set[str]:
    from desktop_app.services import dossiers

    return set(dossiers.get_dossier(ctx, view.id).warnings)


def test_ended_dossiers_already_warned_as_not_synced_are_not_read_again(services_ctx, clock):
    ctx = services_ctx
    ended = receive(ctx, clock, datetime(2026, 3, 2, 8), KHAI_SINH)
    act(ctx, clock, ended, datetime(2026, 3, 2, 9), Action.CHUYEN_XU_LY)
    act(ctx, clock, ended, datetime(2026, 3, 2, 10), Action.CO_KET_QUA)
    act(ctx, clock, ended, datetime(2026, 3, 2, 11), Action.TRA_KET_QUA)
    done_and_synced = receive(ctx, clock, datetime(2026, 3, 2, 8, 30), KHAI_SINH)
    act(ctx, clock, done_and_synced, datetime(2026, 3, 2, 9), Action.CHUYEN_XU_LY)
    act(ctx, clock, done_and_synced, datetime(2026, 3, 2, 10), Action.CO_KET_QUA)
    act(ctx, clock, done_and_synced, datetime(2026, 3, 2, 11), Action.TRA_KET_QUA)
    synced(ctx, clock, done_and_synced, datetime(2026, 3, 2, 12))
    still_open = receive(ctx, clock, datetime(2026, 3, 2, 9), KHAI_SINH)

    # Monday evening: the sync deadline (end of the next working day) has not passed
    clock.now = datetime(2026, 3, 2, 18)
    assert warnings.reevaluate_time_dependent(ctx) == 2  # the open one and the unsynced ended one
    assert "NOT_SYNCED" not in rules_of(ctx, ended)

    # Wednesday: the unsynced ended dossier gets its warning, once
    clock.now = datetime(2026, 3, 4, 9)
    assert warnings.reevaluate_time_dependent(ctx) == 2
    assert "NOT_SYNCED" in rules_of(ctx, ended)
    assert "NOT_SYNCED" in rules_of(ctx, still_open)

    # from then on only the open dossier is read: nothing can change for the ended one
    clock.now = datetime(2026, 3, 5, 9)
    assert warnings.reevaluate_time_dependent(ctx) == 1
    assert "NOT_SYNCED" in rules_of(ctx, ended)
    assert "NOT_SYNCED" not in rules_of(ctx, done_and_synced)
