"""Which backups to keep: 7 daily, 4 weekly, 12 monthly generations (SPEC §9).

A backup file is named ``<stem>-YYYYMMDD-HHMMSS-<reason>.sqlite3``; the name alone says which
database it belongs to, when it was taken and why. The rule is pure: it gets the names and the
generations to keep and answers with the names to keep; deleting is the storage layer's job.

Backups taken before a risky operation (restore, migration, import) form one group per kind of
operation, so that the automatic backups taken later the same day never push out the copy of the
data as it was just before the operation. In every group the :data:`RECENT` newest backups are
kept as well, whatever their day (three restores in one afternoon keep all three safety copies).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

SUFFIX = ".sqlite3"

#: The reasons a backup is taken, and the short ASCII word used in its file name.
REASONS = {
    "auto": "tudong",
    "manual": "thucong",
    "exit": "khithoat",
    "before-restore": "truockhoiphuc",
    "before-migration": "truocnangcap",
    "before-import": "truocnhap",
    #: the damaged database as it was, kept (unverified) before a restore replaced it
    "damaged": "hong",
}
#: Taken on a schedule or on demand; the others are safety copies before a risky operation.
REGULAR = frozenset({"auto", "manual", "exit"})

_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})-(?P<word>[a-z0-9]+)" + re.escape(SUFFIX) + "$")
_WORDS = {word: reason for reason, word in REASONS.items()}


@dataclass(frozen=True)
class BackupName:
    name: str
    stem: str
    taken_at: datetime
    reason: str

    @property
    def regular(self) -> bool:
        return self.reason in REGULAR


#: Short names callers may use for the reasons above.
ALIASES = {"import": "before-import", "restore": "before-restore", "migration": "before-migration"}


def reason_word(reason: str) -> str:
    """The word for ``reason`` in a file name (unknown reasons are reduced to ASCII letters)."""
    reason = ALIASES.get(reason, reason)
    if reason in REASONS:
        return REASONS[reason]
    word = re.sub(r"[^a-z0-9]", "", reason.lower())
    return word or "khac"


def backup_name(stem: str, taken_at: datetime, reason: str) -> str:
    return f"{stem}-{taken_at:%Y%m%d-%H%M%S}-{reason_word(reason)}{SUFFIX}"


def parse_backup_name(name: str) -> BackupName | None:
    """The parts of a backup file name, or ``None`` for any other file."""
    match = _NAME.match(name)
    if match is None:
        return None
    try:
        taken_at = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    word = match["word"]
    return BackupName(name, match["stem"], taken_at, _WORDS.get(word, word))


def _newest_per_period(items: list[BackupName], key, count: int) -> set[str]:
    """The newest backup of each of the ``count`` most recent periods that have one."""
    newest: dict[object, BackupName] = {}
    for item in items:
        period = key(item.taken_at)
        if period not in newest or item.taken_at > newest[period].taken_at:
            newest[period] = item
    recent = sorted(newest, reverse=True)[:count]
    return {newest[period].name for period in recent}


#: The newest backups of each group kept in any case.
RECENT = 5


def _keep_group(items: list[BackupName], daily: int, weekly: int, monthly: int) -> set[str]:
    keep = {item.name for item in sorted(items, key=lambda i: i.taken_at, reverse=True)[:RECENT]}
    keep |= _newest_per_period(items, lambda t: t.date(), daily)
    keep |= _newest_per_period(items, lambda t: tuple(t.isocalendar())[:2], weekly)
    keep |= _newest_per_period(items, lambda t: (t.year, t.month), monthly)
    return keep


def to_keep(names: Iterable[str], *, daily: int = 7, weekly: int = 4, monthly: int = 12) -> set[str]:
    """The backup names to keep; names that are not backup names are always kept.

    Per database stem and group (the regular ones; those before each kind of operation): the
    :data:`RECENT` newest, and the newest backup of each of the ``daily`` most recent days that
    have one, of the ``weekly`` most recent ISO weeks and of the ``monthly`` most recent months.
    """
    keep: set[str] = set()
    groups: dict[tuple[str, str], list[BackupName]] = {}
    for name in names:
        parsed = parse_backup_name(name)
        if parsed is None:
            keep.add(name)
            continue
        group = "regular" if parsed.regular else parsed.reason
        groups.setdefault((parsed.stem, group), []).append(parsed)
    for items in groups.values():
        keep |= _keep_group(items, daily, weekly, monthly)
    return keep


def to_delete(names: Iterable[str], **generations: int) -> list[str]:
    names = list(names)
    keep = to_keep(names, **generations)
    return sorted(name for name in names if name not in keep)


__all__ = ["REASONS", "BackupName", "backup_name", "parse_backup_name", "reason_word", "to_delete", "to_keep"]
