from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.retention import backup_name, parse_backup_name, to_delete, to_keep


def names_every(start: datetime, step: timedelta, count: int, reason: str = "auto", stem: str = "motcua"):
    return [backup_name(stem, start + i * step, reason) for i in range(count)]


def test_name_round_trip():
    name = backup_name("motcua", datetime(2026, 12, 6, 4, 15, 9), "before-restore")
    assert name == "motcua-20261206-041509-truockhoiphuc.sqlite3"
    parsed = parse_backup_name(name)
    assert (parsed.stem, parsed.taken_at, parsed.reason, parsed.regular) == (
        "motcua", datetime(2026, 12, 6, 4, 15, 9), "before-restore", False)
    assert parse_backup_name("motcua-so-cu-20261206-041509-tudong.sqlite3").stem == "motcua-so-cu"
    assert parse_backup_name("ghi-chu.txt") is None
    assert parse_backup_name("motcua-20261399-041509-tudong.sqlite3") is None  # no 99th day


def test_a_backup_every_day_for_two_years_keeps_7_daily_4_weekly_12_monthly():
    names = names_every(datetime(2025, 1, 1, 17, 0), timedelta(days=1), 730)  # to 31/12/2026
    keep = sorted(to_keep(names), reverse=True)
    days = [parse_backup_name(n).taken_at.date() for n in keep]
    # the 7 most recent days
    assert days[:7] == [datetime(2026, 12, 31).date() - timedelta(days=i) for i in range(7)]
    # weekly: the newest of each of the 4 most recent ISO weeks (Sundays, except this week's Thursday)
    weeks = {parse_backup_name(n).taken_at.isocalendar()[:2] for n in keep}
    assert {(2026, 53), (2026, 52), (2026, 51), (2026, 50)} <= weeks
    # monthly: the last day of each of the 12 most recent months
    months = {(d.year, d.month) for d in days}
    assert len(months) == 12 and min(months) == (2026, 1)
    assert datetime(2026, 1, 31).date() in days and datetime(2025, 12, 31).date() not in days
    assert len(keep) <= 5 + 7 + 4 + 12
    assert set(to_delete(names)) == set(names) - set(keep)


def test_many_backups_a_day_keep_the_5_newest_and_the_last_of_each_older_day():
    days = [names_every(datetime(2026, 12, day, 7, 30), timedelta(minutes=30), 20) for day in (1, 2, 3)]
    keep = to_keep([name for day in days for name in day])
    assert keep == {days[0][-1], days[1][-1], *days[2][-5:]}


def test_safety_copies_before_an_operation_are_not_pushed_out_by_later_backups():
    before = backup_name("motcua", datetime(2026, 12, 6, 9, 0), "before-restore")
    later = names_every(datetime(2026, 12, 6, 9, 30), timedelta(minutes=30), 8)
    imports = names_every(datetime(2026, 12, 6, 9, 40), timedelta(minutes=30), 8, reason="import")
    keep = to_keep([before, *later, *imports])
    assert before in keep
    assert set(later[-5:]) <= keep and later[0] not in keep
    assert set(imports[-5:]) <= keep and imports[0] not in keep


def test_other_databases_and_other_files_are_left_alone():
    mine = names_every(datetime(2026, 12, 1, 8, 0), timedelta(hours=1), 7)
    theirs = names_every(datetime(2026, 12, 1, 8, 0), timedelta(hours=1), 7, stem="xa-ben")
    keep = to_keep([*mine, *theirs, "README.txt"])
    assert keep == {*mine[-5:], *theirs[-5:], "README.txt"}


@given(st.lists(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)),
                min_size=1, max_size=60),
       st.sampled_from(["auto", "manual", "before-import"]))
def test_the_newest_backup_is_always_kept_and_at_most_28_per_group(moments, reason):
    names = {backup_name("motcua", m.replace(microsecond=0), reason) for m in moments}
    keep = to_keep(names)
    newest = max(names, key=lambda n: parse_backup_name(n).taken_at)
    assert newest in keep
    assert keep <= names
    assert len(keep) <= 5 + 7 + 4 + 12
