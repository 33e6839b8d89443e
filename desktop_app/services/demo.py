"""Realistic synthetic dossiers for trying the app and for benchmarks (``motcua demo``).

The data imitates a rural commune's counter: Vietnamese names with diacritics, valid số định
danh, hamlets, the channel mix of real communes (about 55 % direct, 40 % online, 5 % postal,
online slowly rising week after week as a campaign would push it), the procedures a commune
handles most (chứng thực first, then hộ tịch), due dates from the working-day calendar, and a
history of status changes that always follows the allowed transitions. The counter mistakes of
SPEC §1 happen in realistic, incomplete proportions so that every warning and every rate of the
766 estimate has something to show.

Generation is deterministic for a given seed, clock and database content. Rows are written
with ``executemany`` in batches of :data:`BATCH_SIZE` dossiers, one transaction per batch, on
a writer thread while the next batch is generated; keys are time-ordered UUIDs so that they
are appended to the indexes. 200,000 dossiers (about two million rows with their components,
history and warnings) take about a minute on a two-core PC.
"""

from __future__ import annotations

import bisect
import operator
import queue
import random
import re
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import selectinload

from ..domain import calendar as cal
from ..domain.codes import MAX_SEQUENCE, code_prefix, sequence_of
from ..domain.identity import PROVINCE_CODES
from ..domain.procedure import FeeKind, FeeRule, OnlineLevel, base_procedure_code
from ..domain.rules import DossierFacts, SupplementFacts, evaluate
from ..domain.status import Action, Channel, Status, next_status
from ..domain.text import fold
from ..storage.dossier_queries import escape_like
from ..storage.errors import UserFixableError
from ..storage.models import (
    Dossier,
    DossierComponent,
    DossierWarning,
    Officer,
    Procedure,
    StatusChange,
    SupplementRequest,
)
from . import setup
from .context import AppContext

BATCH_SIZE = 5_000
#: SQLite page cache while writing (KiB): the indexes on names, id numbers and phones take
#: rows in random order, and with the default 2 MB cache every insert would read pages back.
CACHE_KIB = 32 * 1024
MAX_DOSSIERS = 2_000_000
MAX_WEEKS = 520

# ------------------------------------------------------------------ the demo commune

DEMO_PROFILE = setup.ProfileInput(
    unit_name="UBND xã Phú Lạc",
    unit_code="000.00.53.H48",
    parent_agency="",
    province="Thái Nguyên",
    place_name="Phú Lạc",
    head_name="Hoàng Minh Tuấn",
    head_title="Giám đốc Trung tâm Phục vụ hành chính công",
    offers_e_certified_copy=True,
)
DEMO_HAMLETS = (
    "Xóm Đồng Bầu",
    "Xóm Cầu Đá",
    "Xóm Làng Lớn",
    "Xóm Bãi Ngang",
    "Xóm Gốc Sung",
    "Xóm Đồng Nội",
    "Xóm Tân Lập",
    "Xóm Hòa Bình",
)
#: (username, full name, role)
DEMO_OFFICERS = (
    ("nga.dt", "Đỗ Thị Nga", "tiep_nhan"),
    ("hung.nv", "Nguyễn Văn Hùng", "tiep_nhan"),
    ("phuong.lt", "Lê Thu Phương", "tiep_nhan"),
    ("tuan.hm", "Hoàng Minh Tuấn", "lanh_dao"),
)
#: Other communes of the province, for applicants from outside (NĐ 118/2025: intake regardless
#: of the place of residence within the province).
OTHER_COMMUNES = ("xã Yên Lãng", "xã Hùng Sơn", "xã Tân Linh", "xã Quân Chu", "phường Phan Đình Phùng",
                  "xã Đại Phúc", "xã La Bằng", "phường Tích Lương")

# ------------------------------------------------------------------ names (weights ≈ frequency)

FAMILY_NAMES = (
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9.5), ("Phạm", 7), ("Hoàng", 5), ("Phan", 4.5), ("Vũ", 3.9),
    ("Đặng", 2.1), ("Bùi", 2), ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1), ("Huỳnh", 1),
    ("Võ", 1), ("Đinh", 1), ("Hà", 0.8), ("Lương", 0.8), ("Trịnh", 0.8), ("Đào", 0.8), ("Lý", 0.5),
    ("Mai", 0.5), ("Nông", 0.6), ("Ma", 0.4), ("Triệu", 0.4), ("Tạ", 0.4), ("Lò", 0.2),
)
MALE_MIDDLE = (
    ("Văn", 35), ("Đức", 10), ("Minh", 8), ("Quang", 6), ("Hữu", 6), ("Xuân", 5), ("Thành", 5),
    ("Công", 5), ("Đình", 4), ("Mạnh", 4), ("Trọng", 4), ("Ngọc", 3), ("Tiến", 3), ("Duy", 3),
    ("Thế", 3), ("Anh", 2), ("Hoàng", 2), ("Việt", 2),
)
FEMALE_MIDDLE = (
    ("Thị", 45), ("Ngọc", 7), ("Thu", 6), ("Thanh", 6), ("Kim", 4), ("Minh", 4), ("Hồng", 4),
    ("Thùy", 4), ("Phương", 4), ("Mai", 3), ("Bích", 3), ("Hải", 3), ("Khánh", 3), ("Diệu", 2),
    ("Lan", 2), ("Quỳnh", 2),
)
MALE_GIVEN = (
    "Anh", "Bình", "Cường", "Chiến", "Dũng", "Duy", "Đạt", "Định", "Đông", "Đức", "Giang", "Hải",
    "Hậu", "Hiếu", "Hòa", "Hoàng", "Hùng", "Hưng", "Huy", "Khánh", "Khoa", "Kiên", "Lâm", "Lộc",
    "Long", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài",
    "Thắng", "Thành", "Thịnh", "Toàn", "Trung", "Tú", "Tuấn", "Tùng", "Việt", "Vinh",
)
FEMALE_GIVEN = (
    "Anh", "Ánh", "Châu", "Chi", "Dung", "Đào", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Huệ", "Hương", "Hường", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân",
    "Ngọc", "Nhàn", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Thảo", "Thư", "Thủy", "Thúy",
    "Trang", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến",
)
PHONE_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "033", "034", "035", "036",
                  "037", "038", "039", "081", "082", "083", "084", "085", "086", "088", "089")

# ------------------------------------------------------------------ procedures and outcomes

#: Relative frequency of the catalogue's procedures at a commune counter (base codes); others 0.6.
PROCEDURE_WEIGHTS = {
    "2.000815": 30,  # chứng thực bản sao
    "2.000884": 18,  # chứng thực chữ ký
    "1.001193": 10,  # khai sinh
    "1.004873": 7,  # xác nhận tình trạng hôn nhân
    "1.000894": 6,  # kết hôn
    "2.000635": 6,  # bản sao trích lục hộ tịch
    "1.000656": 4,  # khai tử
    "3.000722": 4,  # liên thông khai sinh
    "2.001035": 4,  # chứng thực giao dịch
    "2.002913": 2,  # liên thông khai tử
    "1.004859": 2,  # thay đổi, cải chính hộ tịch
    "2.000913": 1.2,
    "2.001019": 1,
    "1.001022": 1,
    "1.001612": 1,
    "2.000720": 1,
    "1.001776": 1,
    "1.011607": 1,
}
DEFAULT_PROCEDURE_WEIGHT = 0.6
#: Fixed fees charged per copy requested (bản sao trích lục hộ tịch: 8.000 đ/bản).
PER_COPY_CODES = frozenset({"2.000635"})

SUPPLEMENT_REASONS = (
    "Thành phần hồ sơ chưa đầy đủ theo quy định.",
    "Thông tin trên tờ khai chưa khớp với Cơ sở dữ liệu quốc gia về dân cư.",
    "Bản chụp giấy tờ không rõ, không đọc được.",
    "Thiếu chữ ký của người yêu cầu trên tờ khai.",
)
END_REASONS = {
    Status.TU_CHOI: (
        "Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã.",
        "Người yêu cầu không bổ sung hồ sơ theo thời hạn đã hẹn.",
        "Giấy tờ yêu cầu chứng thực thuộc loại không được chứng thực bản sao.",
        "Hồ sơ nộp trùng với hồ sơ đã tiếp nhận trước đó.",
    ),
    Status.RUT_HO_SO: (
        "Công dân có đơn xin rút hồ sơ để điều chỉnh thông tin.",
        "Công dân xin rút hồ sơ, chuyển sang nộp trực tuyến.",
        "Công dân không còn nhu cầu giải quyết.",
    ),
    Status.DUNG_XU_LY: (
        "Phát hiện thông tin kê khai không chính xác trong quá trình xác minh.",
        "Có tranh chấp liên quan đến nội dung yêu cầu.",
        "Chờ kết quả xác minh của cơ quan có thẩm quyền.",
    ),
}
SATISFACTION = (("rat_hai_long", 36), ("hai_long", 40), ("chua_danh_gia", 21), ("khong_hai_long", 3))
IDENTITY_METHODS_DIRECT = (("csdl_dan_cu", 60), ("vneid", 27), ("giay_to", 13))
IDENTITY_METHODS_ONLINE = (("vneid", 85), ("csdl_dan_cu", 15))
PAGE_WEIGHTS = (20, 22, 14, 10, 8, 6, 5, 4, 3, 3, 2, 2)  # 1..12 pages
COPY_WEIGHTS = ((1, 60), (2, 25), (3, 10), (5, 5))
LATE_DAYS = ((1, 45), (2, 25), (3, 15), (4, 8), (5, 7))
#: Working days between the result and its return to a citizen who comes to the counter.
RETURN_LAG = (((0.02, 0.3), 45), ((0.3, 1.5), 25), ((1.5, 4), 15), ((4, 10), 10), ((10, 20), 5))

# ------------------------------------------------------------------ office time

OPEN = time(7, 30)
LUNCH_START = time(11, 30)
LUNCH_END = time(13, 0)
CLOSE = time(17, 0)
MORNING = 4 * 3600
DAY = 8 * 3600  # seconds of office time in a working day
MINUTE, HOUR = 60, 3600


_UUID_V7 = 0x7 << 76 | 0b10 << 62  # version and variant bits
_LOW_62 = (1 << 62) - 1
_EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class DemoSummary:
    dossiers: int
    components: int
    status_changes: int
    supplement_requests: int
    warnings: int
    unit_code: str
    first_received: datetime | None
    last_received: datetime | None
    statuses: dict[int, int] = field(default_factory=dict)
    channels: dict[int, int] = field(default_factory=dict)
    profile_created: bool = False
    officers_created: int = 0


@dataclass(frozen=True)
class _Proc:
    id: uuid.UUID
    code: str
    time_limit: float
    time_unit: cal.TimeUnit
    online: OnlineLevel
    fee: FeeRule
    result_is_document: bool
    citizen_facing: bool
    components: tuple[tuple[uuid.UUID, str, bool], ...]  # id, name, reusable


class _OfficeClock:
    """Maps datetimes to seconds of office time (working days, 7:30–11:30 and 13:00–17:00) and
    back, so that "two working hours later" is one addition."""

    def __init__(self, calendar: cal.WorkCalendar, first: date, last: date) -> None:
        days, day = [], first
        while day <= last:
            if calendar.is_working_day(day):
                days.append(day)
            day += timedelta(days=1)
        self.days = days
        self._index = {d: i for i, d in enumerate(days)}

    def to_seconds(self, moment: datetime) -> int:
        index = self._index.get(moment.date())
        if index is None:  # not a working day: the start of the next one
            return bisect.bisect_right(self.days, moment.date()) * DAY
        clock = moment.time()
        if clock <= OPEN:
            offset = 0
        elif clock < LUNCH_START:
            offset = _seconds(clock) - _seconds(OPEN)
        elif clock < LUNCH_END:
            offset = MORNING
        elif clock < CLOSE:
            offset = MORNING + _seconds(clock) - _seconds(LUNCH_END)
        else:
            offset = DAY
        return index * DAY + offset

    def to_datetime(self, seconds: int) -> datetime:
        index, offset = divmod(int(seconds), DAY)
        if index >= len(self.days):
            raise IndexError("office clock range exceeded")
        start = OPEN if offset < MORNING else LUNCH_END
        base = datetime.combine(self.days[index], start)
        return base + timedelta(seconds=offset if offset < MORNING else offset - MORNING)


def _seconds(clock: time) -> int:
    return clock.hour * 3600 + clock.minute * 60 + clock.second


def _weighted(items: tuple[tuple[Any, float], ...]) -> tuple[list[Any], list[float]]:
    values, cumulative, total = [], [], 0.0
    for value, weight in items:
        total += weight
        values.append(value)
        cumulative.append(total)
    return values, cumulative


class _Picker:
    """A weighted choice with precomputed cumulative weights (what ``rng.choices`` does for one
    item, without its per-call set-up: this runs a million times for 200,000 dossiers)."""

    def __init__(self, rng: random.Random, items: tuple[tuple[Any, float], ...]) -> None:
        self._random = rng.random
        self._values, self._cumulative = _weighted(items)
        self._total = self._cumulative[-1]
        self._last = len(self._values) - 1

    def __call__(self) -> Any:
        index = bisect.bisect(self._cumulative, self._random() * self._total)
        return self._values[min(index, self._last)]


# ------------------------------------------------------------------ preparation


def _ensure_commune(ctx: AppContext) -> tuple[CommuneProfileData, bool, int]:
    created_profile, officers_created = False, 0
    profile = setup.get_profile(ctx)
    if profile is None:
        profile = setup.save_profile(ctx, DEMO_PROFILE)
        if not setup.list_hamlets(ctx):
            setup.set_hamlets(ctx, list(DEMO_HAMLETS))
        created_profile = True
    if not setup.list_officers(ctx):
        for username, full_name, role in DEMO_OFFICERS:
            setup.save_officer(ctx, username, full_name, role)
            officers_created += 1
    hamlets = setup.list_hamlets(ctx) or list(DEMO_HAMLETS)
    with ctx.read() as session:
        officers = session.execute(
            select(Officer.id, Officer.role).where(Officer.active.is_(True)).order_by(Officer.username)
        ).all()
    # counter officers receive the dossiers; ordered by username so a seed gives the same result
    counter = [oid for oid, role in officers if role == "tiep_nhan"] or [oid for oid, _ in officers]
    data = CommuneProfileData(
        unit_code=profile.unit_code,
        unit_name=profile.unit_name,
        place_name=profile.place_name or "Phú Lạc",
        province=profile.province or "Thái Nguyên",
        hamlets=tuple(hamlets),
        officers=tuple(counter),
    )
    return data, created_profile, officers_created


@dataclass(frozen=True)
class CommuneProfileData:
    unit_code: str
    unit_name: str
    place_name: str
    province: str
    hamlets: tuple[str, ...]
    officers: tuple[uuid.UUID, ...]

    @property
    def province_code(self) -> str:
        wanted = fold(self.province).removeprefix("tinh ").removeprefix("thanh pho ")
        for code, name in PROVINCE_CODES.items():
            if fold(name) == wanted:
                return code
        return "019"

    @property
    def level(self) -> str:
        return "phường" if "phuong" in fold(self.unit_name) else "xã"


def _load_procedures(ctx: AppContext) -> list[_Proc]:
    with ctx.read() as session:
        rows = session.scalars(
            select(Procedure).where(Procedure.active.is_(True)).options(selectinload(Procedure.components))
        ).all()
        procedures = [
            _Proc(
                id=row.id,
                code=row.code,
                time_limit=row.time_limit,
                time_unit=cal.TimeUnit(row.time_unit),
                online=OnlineLevel(row.online_level),
                fee=FeeRule(FeeKind(row.fee_kind), row.fee_amount, row.fee_first_pages, row.fee_later_amount,
                            row.fee_cap),
                result_is_document=row.result_is_document,
                citizen_facing=row.citizen_facing,
                components=tuple((c.id, c.name, c.reusable) for c in row.components),
            )
            for row in rows
        ]
    return sorted(procedures, key=lambda p: p.code)


def _used_sequences(ctx: AppContext, unit_code: str) -> dict[str, int]:
    """Highest sequence number already used per ``YYMMDD`` for the unit's codes."""
    prefix = unit_code.strip() + "-"
    pattern = re.compile(re.escape(prefix) + r"(\d{6})-\d{4}$", re.IGNORECASE)
    used: dict[str, int] = {}
    with ctx.read() as session:
        like = Dossier.code.like(escape_like(prefix) + "%", escape="\\")
        codes = session.scalars(select(Dossier.code).where(like))
        for code in codes:
            match = pattern.match(code.strip())
            seq = sequence_of(code)
            if match and seq is not None:
                used[match[1]] = max(used.get(match[1], 0), seq)
    return used


# ------------------------------------------------------------------ generation


def generate(
    ctx: AppContext,
    count: int,
    seed: int = 1,
    weeks: int = 12,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Add ``count`` synthetic dossiers received over the last ``weeks`` weeks before ``now``.

    Creates the demo commune (profile, hamlets, four officers) when the database has none.
    Codes continue after those already used on each day, so running it again adds, never clashes.
    """
    if not 1 <= count <= MAX_DOSSIERS:
        raise UserFixableError(f"Số hồ sơ mẫu phải từ 1 đến {MAX_DOSSIERS:,}.".replace(",", "."),
                               "Hãy nhập lại số hồ sơ.")
    if not 1 <= weeks <= MAX_WEEKS:
        raise UserFixableError(f"Số tuần phải từ 1 đến {MAX_WEEKS}.", "Hãy nhập lại số tuần.")
    now = (now or ctx.clock()).replace(microsecond=0)
    procedures = _load_procedures(ctx)
    if not procedures:
        raise UserFixableError("Danh mục thủ tục chưa có thủ tục nào đang áp dụng.",
                               "Hãy chạy “motcua init” hoặc thêm thủ tục trong Danh mục thủ tục.")
    commune, profile_created, officers_created = _ensure_commune(ctx)
    calendar = ctx.calendar()
    first_day = (now - timedelta(weeks=weeks)).date() + timedelta(days=1)
    # Long enough for due dates, late results, supplement waits and returns after ``now``.
    office = _OfficeClock(calendar, first_day - timedelta(days=7), now.date() + timedelta(days=400))

    with ctx.read() as session:
        existing = int(session.scalar(select(func.count()).select_from(Dossier)) or 0)
    # The existing total is part of the seed: a second run on the same database draws new ids.
    rng = random.Random(f"motcua-demo:{seed}:{existing}")

    days = _received_days(office, first_day, now)
    if not days:
        raise UserFixableError("Không có ngày làm việc nào trong khoảng thời gian đã chọn.",
                               "Hãy tăng số tuần (--weeks).")
    used = _used_sequences(ctx, commune.unit_code)
    per_day = _spread(rng, days, count, used, now)

    fast = _fast_path(ctx)
    generator = _Generator(rng, office, calendar, commune, procedures, now, len(days), sqlite_values=fast)
    statuses: Counter[int] = Counter()
    channels: Counter[int] = Counter()
    first: datetime | None = None
    last: datetime | None = None
    shaper = _Shaper(ctx.engine.dialect, fast)
    batch = _Batch(shaper)
    writer = _Writer(ctx, shaper)

    def report() -> None:
        for written in writer.finished():
            if progress:
                progress(written, count)

    try:
        for received, record in generator.records(days, per_day, used):
            batch.add(record)
            dossier = record[0]
            statuses[dossier["status"]] += 1
            channels[dossier["channel"]] += 1
            first = received if first is None else min(first, received)
            last = received if last is None else max(last, received)
            if len(batch) >= BATCH_SIZE:
                writer.put(batch)
                batch = _Batch(shaper)
                report()
        if len(batch):
            writer.put(batch)
    finally:
        writer.close()
    report()
    dossiers, components, changes, supplements, warnings = writer.totals
    return DemoSummary(
        dossiers=dossiers,
        components=components,
        status_changes=changes,
        supplement_requests=supplements,
        warnings=warnings,
        unit_code=commune.unit_code,
        first_received=first,
        last_received=last,
        statuses=dict(sorted(statuses.items())),
        channels=dict(sorted(channels.items())),
        profile_created=profile_created,
        officers_created=officers_created,
    )


def _received_days(office: _OfficeClock, first_day: date, now: datetime) -> list[tuple[date, int]]:
    """Working days in the period with the office seconds available on each (today: until now)."""
    days = []
    for day in office.days:
        if day < first_day or day > now.date():
            continue
        if day == now.date():
            available = office.to_seconds(now) - office.to_seconds(datetime.combine(day, OPEN))
            if available < 10 * MINUTE:
                continue
            days.append((day, available))
        else:
            days.append((day, DAY))
    return days


def _spread(rng: random.Random, days: list[tuple[date, int]], count: int, used: dict[str, int],
            now: datetime) -> list[int]:
    """How many dossiers each day receives: busier Mondays, quieter Fridays and make-up
    Saturdays, day-to-day jitter; never more than the codes a day has left."""
    weights = []
    for day, available in days:
        weight = {0: 1.25, 4: 0.9, 5: 0.6, 6: 0.5}.get(day.weekday(), 1.0) * rng.uniform(0.75, 1.25)
        weights.append(weight * available / DAY)
    capacity = [MAX_SEQUENCE - used.get(f"{day:%y%m%d}", 0) for day, _ in days]
    if count > sum(max(c, 0) for c in capacity):
        raise UserFixableError(
            f"Không đủ mã hồ sơ trong ngày cho {count:,} hồ sơ ".replace(",", ".")
            + f"(tối đa {MAX_SEQUENCE} hồ sơ mỗi ngày).",
            "Hãy tăng số tuần (--weeks) hoặc giảm số hồ sơ.",
        )
    total = sum(weights)
    per_day = [int(count * w / total) for w in weights]
    # Largest remainders get the dossiers rounding left over, in a seeded order.
    rest = count - sum(per_day)
    order = sorted(range(len(days)), key=lambda i: (count * weights[i] / total - per_day[i], rng.random()),
                   reverse=True)
    for i in order[:rest]:
        per_day[i] += 1
    overflow = 0
    for i, cap in enumerate(capacity):
        if per_day[i] > cap:
            overflow += per_day[i] - cap
            per_day[i] = cap
    for i in sorted(range(len(days)), key=lambda j: capacity[j] - per_day[j], reverse=True):
        if not overflow:
            break
        room = min(capacity[i] - per_day[i], overflow)
        per_day[i] += room
        overflow -= room
    return per_day


_Row = dict[str, Any]
#: one dossier with its components, status changes, supplement requests and warnings
_Record = tuple[_Row, list[_Row], list[_Row], list[_Row], list[_Row]]


#: the tables a record fills, in the order of a record's parts and of the inserts
_TABLES = (
    Dossier.__table__,
    DossierComponent.__table__,
    StatusChange.__table__,
    SupplementRequest.__table__,
    DossierWarning.__table__,
)


class _Shaper:
    """Turns generated rows into what the insert takes.

    On SQLite: tuples in the column order of the compiled INSERT, ready for the driver's
    ``executemany`` (the dicts are dropped at once, so a batch waiting for the writer takes
    half the memory). Elsewhere: the dicts themselves, for SQLAlchemy Core, which converts
    the values and fills the defaults."""

    def __init__(self, dialect: Any, fast: bool) -> None:
        self.fast = fast
        self._dialect = dialect
        self.sql: dict[str, str] = {}
        self._convert: dict[str, Callable[[_Row], Any]] = {}

    def __call__(self, table: Any, row: _Row) -> Any:
        if not self.fast:
            return row
        convert = self._convert.get(table.name)
        if convert is None:
            convert = self._prepare(table, row)
        return convert(row)

    def _prepare(self, table: Any, sample: _Row) -> Callable[[_Row], Any]:
        compiled = insert(table).compile(dialect=self._dialect)
        columns = compiled.positiontup
        self.sql[table.name] = str(compiled)
        getter = operator.itemgetter(*columns)
        missing = _scalar_defaults(table, columns, sample)
        if missing:
            def convert(row: _Row) -> Any:
                row.update(missing)
                return getter(row)
        else:
            convert = getter
        self._convert[table.name] = convert
        return convert


class _Batch:
    def __init__(self, shaper: _Shaper) -> None:
        self._shaper = shaper
        self.rows: tuple[list[Any], ...] = tuple([] for _ in _TABLES)

    def __len__(self) -> int:
        return len(self.rows[0])

    def add(self, record: _Record) -> None:
        shape = self._shaper
        dossier, *children = record
        self.rows[0].append(shape(_TABLES[0], dossier))
        for table, rows, items in zip(_TABLES[1:], self.rows[1:], children):
            rows.extend(shape(table, item) for item in items)


class _Writer:
    """Writes the batches on a second thread while the next ones are generated.

    SQLite does its share of the work (B-tree and index updates) with the GIL released, so on
    a two-core counter PC generating and writing overlap. Batches are written in order, each
    in its own transaction; the first error stops the writing and is raised in the caller's
    thread. Progress is reported from the caller's thread, batch by batch."""

    def __init__(self, ctx: AppContext, shaper: _Shaper) -> None:
        self._ctx = ctx
        self._shaper = shaper
        self._queue: queue.Queue[_Batch | None] = queue.Queue(maxsize=1)
        self._done: queue.Queue[int] = queue.Queue()
        self._error: BaseException | None = None
        self.totals = [0, 0, 0, 0, 0]  # dossiers, components, changes, supplements, warnings
        self._thread = threading.Thread(target=self._run, name="motcua-demo-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            batch = self._queue.get()
            if batch is None:
                return
            if self._error is not None:
                continue  # keep draining so that the producer never blocks
            try:
                _write(self._ctx, batch, self._shaper)
            except BaseException as error:  # noqa: BLE001 - handed over to the caller's thread
                self._error = error
                continue
            self.totals = [total + len(rows) for total, rows in zip(self.totals, batch.rows)]
            self._done.put(self.totals[0])

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def put(self, batch: _Batch) -> None:
        self._raise()
        self._queue.put(batch)

    def finished(self) -> list[int]:
        """Dossier totals after each batch written since the last call."""
        self._raise()
        done = []
        while True:
            try:
                done.append(self._done.get_nowait())
            except queue.Empty:
                return done

    def close(self) -> None:
        """Wait until every batch handed over is written (or the writing failed)."""
        self._queue.put(None)
        self._thread.join()
        self._raise()


def _fast_path(ctx: AppContext) -> bool:
    """Whether rows go to the driver directly (SQLite) or through SQLAlchemy Core (others)."""
    return ctx.engine.dialect.name == "sqlite"


def _write(ctx: AppContext, batch: _Batch, shaper: _Shaper) -> None:
    """One transaction per batch. On SQLite the rows already hold the values as SQLAlchemy
    stores them (UUID as 32 hex digits, datetimes as text), and go straight to the driver's
    ``executemany``: SQLAlchemy's per-value processing would cost more than the whole insert."""
    with ctx.session() as session:
        connection = session.connection()
        if shaper.fast and CACHE_KIB:
            connection.exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")
        for table, rows in zip(_TABLES, batch.rows):
            if not rows:
                continue
            if shaper.fast:
                connection.exec_driver_sql(shaper.sql[table.name], rows)
            else:
                connection.execute(insert(table), rows)


def _scalar_defaults(table: Any, columns: Any, row: _Row) -> _Row:
    """Scalar column defaults for the columns the generator does not set (a column added to
    the model later); the fast path bypasses SQLAlchemy, which would otherwise fill them."""
    missing = {}
    for name in columns:
        if name in row:
            continue
        default = table.c[name].default
        missing[name] = default.arg if default is not None and default.is_scalar else None
    return missing


class _Generator:
    def __init__(self, rng: random.Random, office: _OfficeClock, calendar: cal.WorkCalendar,
                 commune: CommuneProfileData, procedures: list[_Proc], now: datetime, day_count: int,
                 sqlite_values: bool = False) -> None:
        self.rng = rng
        # Values as the driver gets them: SQLite's storage forms for the fast path, else Python's.
        if sqlite_values:
            self.key: Callable[[int], Any] = lambda n: f"{n:032x}"
            self.stamp: Callable[[datetime | None], Any] = (
                lambda moment: moment.isoformat(" ", "microseconds") if moment is not None else None
            )
        else:
            self.key = lambda n: uuid.UUID(int=n)
            self.stamp = lambda moment: moment
        self.procedure_keys = {p.id: self.key(p.id.int) for p in procedures}
        self.component_keys = {c[0]: self.key(c[0].int) for p in procedures for c in p.components}
        self.officers = tuple(self.key(o.int) for o in commune.officers)
        self._folded: dict[str, str] = {}
        self.now_stamp = self.stamp(now)
        self._ms = 0  # reception time of the dossier being generated, for its rows' keys
        self.office = office
        self.calendar = calendar
        self.commune = commune
        self.now = now
        self.day_count = day_count
        self.province_code = commune.province_code
        self.level = commune.level
        self.family = _Picker(rng, FAMILY_NAMES)
        self.male_middle = _Picker(rng, MALE_MIDDLE)
        self.female_middle = _Picker(rng, FEMALE_MIDDLE)
        self.satisfaction = _Picker(rng, SATISFACTION)
        self.identity_direct = _Picker(rng, IDENTITY_METHODS_DIRECT)
        self.identity_online = _Picker(rng, IDENTITY_METHODS_ONLINE)
        self.pages = _Picker(rng, tuple((n + 1, w) for n, w in enumerate(PAGE_WEIGHTS)))
        self.copies = _Picker(rng, COPY_WEIGHTS)
        self.late_days = _Picker(rng, LATE_DAYS)
        self.return_lag = _Picker(rng, RETURN_LAG)
        weights = tuple((p, PROCEDURE_WEIGHTS.get(base_procedure_code(p.code), DEFAULT_PROCEDURE_WEIGHT))
                        for p in procedures)
        self.any_procedure = _Picker(rng, weights)
        online = tuple((p, w) for p, w in weights if p.online.online_capable)
        self.online_procedure = _Picker(rng, online) if online else None
        self._due_cache: dict[tuple, datetime] = {}
        self._provinces = tuple(PROVINCE_CODES)
        self._receipt = rng.randint(1, 5000)

    # ---------------------------------------------------------------- helpers

    def _uuid(self) -> Any:
        """A time-ordered UUID (version 7 layout: the dossier's reception time in milliseconds,
        then 74 bits from the seeded generator), as the driver takes it.

        Keys that grow with time are appended at the end of the primary-key and foreign-key
        indexes instead of landing on random pages: with 200,000 dossiers and their ~2 million
        child rows this halves the time of the insert."""
        bits = self.rng.getrandbits(74)
        return self.key(self._ms << 80 | _UUID_V7 | (bits >> 62) << 64 | bits & _LOW_62)

    def _due(self, proc: _Proc, received: datetime) -> datetime:
        if proc.time_unit is cal.TimeUnit.GIO:
            return cal.due_at(received, proc.time_limit, proc.time_unit, self.calendar)
        key = (proc.id, received.date(), received.time() < cal.SAME_DAY_CUTOFF)
        due = self._due_cache.get(key)
        if due is None:
            due = self._due_cache[key] = cal.due_at(received, proc.time_limit, proc.time_unit, self.calendar)
        return due

    def _after(self, start: int, low: float, high: float) -> int:
        """Office seconds a random ``low``–``high`` seconds after ``start`` (at least a minute)."""
        return start + max(MINUTE, int(self.rng.uniform(low, high)))

    def _within(self, start: int, end: int, skew: float = 1.0) -> int:
        """A moment strictly between ``start`` and ``end`` (office seconds), later when skew < 1."""
        if end - start <= 2 * MINUTE:
            return start + MINUTE
        return start + MINUTE + int((end - start - 2 * MINUTE) * self.rng.random() ** skew)

    def _name(self, female: bool) -> tuple[str, str]:
        """A full name and its folded form (folded word by word, each word once)."""
        family = self.family()
        middle = self.female_middle() if female else self.male_middle()
        given_names = FEMALE_GIVEN if female else MALE_GIVEN
        given = self.rng.choice(given_names)
        while given == middle:
            given = self.rng.choice(given_names)
        folded = self._folded
        parts = []
        for word in (family, middle, given):
            part = folded.get(word)
            if part is None:
                part = folded[word] = fold(word)
            parts.append(part)
        return f"{family} {middle} {given}", " ".join(parts)

    def _id_number(self, female: bool, birth_year: int) -> tuple[str, str]:
        roll = self.rng.random()
        if roll < 0.02:
            return "", "none"
        if roll < 0.05:
            return "0" + str(self.rng.choice((9, 9, 9, 1, 3))) + f"{self.rng.randrange(10**7):07d}", "cmnd"
        province = self.province_code if self.rng.random() < 0.82 else self.rng.choice(self._provinces)
        century = (birth_year // 100 - 19) * 2 + (1 if female else 0)
        return f"{province}{century}{birth_year % 100:02d}{self.rng.randrange(10**6):06d}", "cccd"

    def _birth_year(self) -> int:
        latest = min(2007, self.now.year - 18)
        return max(1945, min(latest, int(self.rng.triangular(1945, latest + 1, min(1986, latest)))))

    # ---------------------------------------------------------------- dossiers

    def records(self, days: list[tuple[date, int]], per_day: list[int],
                used: dict[str, int]) -> Iterator[tuple[datetime, _Record]]:
        rng = self.rng
        for index, ((day, available), n) in enumerate(zip(days, per_day)):
            if not n:
                continue
            trend = index / max(self.day_count - 1, 1)
            start = self.office.to_seconds(datetime.combine(day, OPEN))
            offsets = sorted(rng.randrange(available) for _ in range(n))
            sequence = used.get(f"{day:%y%m%d}", 0)
            prefix = code_prefix(self.commune.unit_code, day)
            for offset in offsets:
                sequence += 1
                received = self.office.to_datetime(start + offset).replace(microsecond=0)
                if received > self.now:
                    received = self.now
                yield received, self._dossier(f"{prefix}{sequence:04d}", received, trend)

    def _dossier(self, code: str, received: datetime, trend: float) -> _Record:
        rng = self.rng
        # naive arithmetic, not .timestamp(): the keys must not depend on the machine's time zone
        self._ms = (received - _EPOCH) // timedelta(milliseconds=1)
        dossier_id = self._uuid()
        officer = rng.choice(self.officers) if self.officers else None

        # channel: online grows over the period as a campaign pushes it (≈ 34 % → 46 %)
        roll = rng.random()
        online_share = 0.34 + 0.12 * trend
        if roll < online_share and self.online_procedure is not None:
            channel, proc = Channel.TRUC_TUYEN, self.online_procedure()
        else:
            channel = Channel.BUU_CHINH if roll > 0.95 else Channel.TRUC_TIEP
            proc = self.any_procedure()
        online = channel is Channel.TRUC_TUYEN

        # applicant
        female = rng.random() < 0.54
        name, folded = self._name(female)
        birth_year = self._birth_year()
        id_number, id_kind = self._id_number(female, birth_year)
        phone = "" if rng.random() < 0.06 else rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**7):07d}"
        if rng.random() < 0.04:
            hamlet = ""
            address = f"{rng.choice(OTHER_COMMUNES)}, tỉnh {self.commune.province}"
        else:
            hamlet = rng.choice(self.commune.hamlets)
            commune = self.commune
            address = f"{hamlet}, {self.level} {commune.place_name}, tỉnh {commune.province}"
        submitter = ""
        if rng.random() < (0.25 if channel is Channel.BUU_CHINH else 0.08):
            submitter = self._name(rng.random() < 0.5)[0]

        due = self._due(proc, received)
        t0 = self.office.to_seconds(received)
        due_s = self.office.to_seconds(due)
        events, supplements = self._timeline(proc, online, t0, due_s)

        # apply the events that have happened by now, through the transition rules
        status = Status.DUOC_TIEP_NHAN
        history = [self._change(dossier_id, None, status, "tiep_nhan", received, officer, "Tiếp nhận hồ sơ")]
        ended_at = returned_at = None
        last_change = received
        for seconds, action, note in events:
            moment = self.office.to_datetime(seconds)
            if moment > self.now:
                break
            target = next_status(status, action)
            history.append(self._change(dossier_id, status, target, action.value, moment, officer, note))
            status, last_change = target, moment
            if target.is_ended and ended_at is None:
                ended_at = moment
            if action is Action.TRA_KET_QUA:
                returned_at = moment

        supplement_rows = []
        supplement_facts = []
        stamp = self.stamp
        waited = timedelta(0)
        paused_at = None
        for requested, completed, items, reason in supplements:
            requested_at = self.office.to_datetime(requested)
            if requested_at > self.now:
                break
            completed_at = self.office.to_datetime(completed) if completed is not None else None
            if completed_at is not None and completed_at > self.now:
                completed_at = None
            if completed_at is None:
                paused_at = requested_at
            else:
                waited += completed_at - requested_at  # as the services move the effective due date
            supplement_facts.append(SupplementFacts(requested_at, completed_at))
            supplement_rows.append({
                "id": self._uuid(), "created_at": stamp(requested_at),
                "updated_at": stamp(completed_at or requested_at), "version": 1, "dossier_id": dossier_id,
                "requested_at": stamp(requested_at), "completed_at": stamp(completed_at), "items": items,
                "reason": reason, "officer_id": officer,
            })

        # checklist of components
        components = self._components(proc, dossier_id, received, online, trend)

        # identity
        if online:
            checked = rng.random() < 0.95
            method = self.identity_online() if checked else ""
        elif id_kind == "none":
            checked = rng.random() < 0.3
            method = "giay_to" if checked else ""
        else:
            checked = rng.random() < 0.62 + 0.12 * trend
            method = self.identity_direct() if checked else ""

        # fee and payment
        if proc.fee.kind is FeeKind.PER_PAGE:
            fee = proc.fee.fee(self.pages(), self.copies())
        elif proc.fee.kind is FeeKind.FIXED:
            copies = self.copies() if base_procedure_code(proc.code) in PER_COPY_CODES else 1
            fee = proc.fee.fee(copies=copies)
        else:
            fee = 0
        if status is Status.TU_CHOI:
            fee = 0  # refused at intake: nothing collected
        receipt = ""
        if fee > 0:
            roll = rng.random()
            online_pay = (0.88 if online else 0.30 + 0.14 * trend)
            if roll < online_pay:
                payment = "truc_tuyen"
            elif roll < online_pay + 0.12:
                payment = "chuyen_khoan"
            else:
                payment = "tien_mat"
            if payment != "truc_tuyen":
                self._receipt += 1
                receipt = f"{self._receipt:07d}"
        else:
            payment = "mien"

        # result, end document, sync, satisfaction
        has_result = signed = has_end = False
        end_reason = ""
        if status in (Status.DA_XU_LY_XONG, Status.DA_TRA_KET_QUA):
            p_result = (0.94 if online else 0.78 + 0.12 * trend) if proc.result_is_document else 0.5
            has_result = rng.random() < p_result
            signed = has_result and rng.random() < 0.9
        elif status in END_REASONS:
            has_end = rng.random() < 0.6
            end_reason = rng.choice(END_REASONS[status])
        satisfaction = self.satisfaction() if status is Status.DA_TRA_KET_QUA else ""
        synced_at = None
        if rng.random() < 0.8:
            moment = self.office.to_datetime(self._after(t0, 5 * MINUTE, 1.5 * DAY))
            synced_at = moment if moment <= self.now else None

        dossier = {
            "id": dossier_id,
            "created_at": stamp(received),
            "updated_at": stamp(max(last_change, synced_at or last_change)),
            "version": 1,
            "code": code,
            "procedure_id": self.procedure_keys[proc.id],
            "applicant_name": name,
            "applicant_fold": folded,
            "id_number": id_number,
            "id_kind": id_kind,
            "phone": phone,
            "address": address,
            "hamlet": hamlet,
            "submitter_name": submitter,
            "channel": int(channel),
            "status": int(status),
            "received_at": stamp(received),
            "due_at": stamp(due),
            "due_changed_reason": "",
            "effective_due_at": stamp(due + waited),
            "paused_at": stamp(paused_at),
            "supplement_count": len(supplement_rows),
            "ended_at": stamp(ended_at),
            "returned_at": stamp(returned_at),
            "officer_id": officer,
            "sets_count": 1,
            "fee": fee,
            "payment_method": payment,
            "receipt_number": receipt,
            "identity_checked": checked,
            "identity_method": method,
            "has_result_file": has_result,
            "result_signed": signed,
            "has_end_document": has_end,
            "end_reason": end_reason,
            "synced": synced_at is not None,
            "synced_at": stamp(synced_at),
            "satisfaction": satisfaction,
            "notes": "",
            "deleted_at": None,
            "delete_reason": "",
        }
        counted = [c for c in components if not c["not_required"]] or components
        facts = DossierFacts(
            status=status,
            channel=channel,
            received_at=received,
            due_at=due,
            ended_at=ended_at,
            result_is_document=proc.result_is_document,
            citizen_facing=proc.citizen_facing,
            online_level=proc.online,
            identity_checked=checked and method in ("csdl_dan_cu", "vneid"),
            id_number=id_number,
            id_kind=id_kind,
            any_component_digitised=any(c["digitised"] for c in counted),
            any_reused=any(c["reused"] for c in counted),
            any_from_kho=any(c["from_kho"] for c in counted),
            has_result_file=has_result,
            result_signed=signed,
            has_end_document=has_end,
            fee=fee,
            payment_method=payment,
            synced=synced_at is not None,
            satisfaction=satisfaction,
            supplements=tuple(supplement_facts),
        )
        now_stamp = self.now_stamp
        warning_rows = [
            {"id": self._uuid(), "created_at": now_stamp, "updated_at": now_stamp, "version": 1,
             "dossier_id": dossier_id, "rule": rule, "since": now_stamp}
            for rule in evaluate(facts, self.now, self.calendar)
        ]
        return dossier, components, history, supplement_rows, warning_rows

    def _change(self, dossier_id: Any, source: Status | None, target: Status, action: str,
                moment: datetime, officer: Any, note: str) -> dict[str, Any]:
        stamped = self.stamp(moment)
        return {
            "id": self._uuid(), "created_at": stamped, "updated_at": stamped, "version": 1,
            "dossier_id": dossier_id, "from_status": int(source) if source is not None else None,
            "to_status": int(target), "action": action, "changed_at": stamped, "officer_id": officer,
            "note": note,
        }

    def _timeline(self, proc: _Proc, online: bool, t0: int, due: int
                  ) -> tuple[list[tuple[int, Action, str]], list[tuple[int, int | None, str, str]]]:
        """The whole planned life of a dossier in office seconds, including its future; the caller
        keeps what has happened by now. Returns the actions and the supplement requests."""
        rng = self.rng
        events: list[tuple[int, Action, str]] = []
        supplements: list[tuple[int, int | None, str, str]] = []
        if rng.random() < (0.05 if online else 0.015):
            at = self._after(t0, 10 * MINUTE, 1.5 * DAY) if online else self._after(t0, 5 * MINUTE, 2 * HOUR)
            events.append((at, Action.TU_CHOI, rng.choice(END_REASONS[Status.TU_CHOI])))
            return events, supplements
        same_day = proc.time_limit == 0
        t = self._after(t0, 2 * MINUTE, 40 * MINUTE if same_day else 4 * HOUR)
        events.append((t, Action.CHUYEN_XU_LY, ""))
        deadline = max(due, t + 10 * MINUTE)

        roll = rng.random()
        requests = 2 if roll < 0.01 else 1 if roll < 0.09 else 0
        for _ in range(requests):
            asked = self._within(t, t + max(int((deadline - t) * 0.6), 4 * MINUTE))
            component = rng.choice(proc.components)[1] if proc.components else "giấy tờ còn thiếu"
            items = f"Bổ sung, hoàn thiện: {component}."
            reason = rng.choice(SUPPLEMENT_REASONS)
            events.append((asked, Action.YEU_CAU_BO_SUNG, items))
            if rng.random() < 0.15:  # never completed: the dossier ends without a result
                supplements.append((asked, None, items, reason))
                ends = self._after(asked, 8 * DAY, 20 * DAY)
                action = rng.choices((Action.RUT_HO_SO, Action.DUNG_XU_LY, Action.TU_CHOI), (5, 3, 2))[0]
                target = {Action.RUT_HO_SO: Status.RUT_HO_SO, Action.DUNG_XU_LY: Status.DUNG_XU_LY,
                          Action.TU_CHOI: Status.TU_CHOI}[action]
                events.append((ends, action, rng.choice(END_REASONS[target])))
                return events, supplements
            done = self._after(asked, 0.5 * DAY, 6 * DAY)
            supplements.append((asked, done, items, reason))
            events.append((done, Action.HOAN_THANH_BO_SUNG, ""))
            deadline += done - asked  # the index does not count the waiting time
            t = done

        roll = rng.random()
        if roll < 0.015:
            reason = rng.choice(END_REASONS[Status.RUT_HO_SO])
            events.append((self._within(t, deadline), Action.RUT_HO_SO, reason))
            return events, supplements
        if roll < 0.025:
            reason = rng.choice(END_REASONS[Status.DUNG_XU_LY])
            events.append((self._within(t, deadline), Action.DUNG_XU_LY, reason))
            return events, supplements

        if rng.random() < 0.06:  # late
            finished = self._after(max(deadline, t), 10 * MINUTE, self.late_days() * DAY)
        else:
            finished = self._within(t, deadline, skew=0.7)
        events.append((finished, Action.CO_KET_QUA, ""))
        if rng.random() < 0.04:  # the citizen never came back for it
            return events, supplements
        if online:
            returned = self._after(finished, 2 * MINUTE, 2 * HOUR)
        else:
            low, high = self.return_lag()
            returned = self._after(finished, low * DAY, high * DAY)
        events.append((returned, Action.TRA_KET_QUA, ""))
        return events, supplements

    def _components(self, proc: _Proc, dossier_id: Any, received: datetime, online: bool,
                    trend: float) -> list[dict[str, Any]]:
        rng = self.rng
        specs = proc.components
        if not specs:
            return []
        if online:
            any_digitised, any_reused, any_kho = 0.97, 0.45, 0.35
        else:
            any_digitised, any_reused, any_kho = 0.62 + 0.16 * trend, 0.30 + 0.10 * trend, 0.15 + 0.10 * trend
        n = len(specs)
        not_required = [i > 0 and rng.random() < 0.05 for i in range(n)]
        required = [i for i in range(n) if not not_required[i]]
        digitised = [False] * n
        if rng.random() < any_digitised:
            for i in required:
                digitised[i] = rng.random() < 0.8
            if not any(digitised):
                digitised[rng.choice(required)] = True
        reusable = [i for i in required if specs[i][2]] or required
        stamped = self.stamp(received)
        keys = self.component_keys
        reused = [False] * n
        if rng.random() < any_reused:
            reused[rng.choice(reusable)] = True
        from_kho = [False] * n
        if rng.random() < any_kho:
            from_kho[rng.choice(reusable)] = True
        return [
            {
                "id": self._uuid(), "created_at": stamped, "updated_at": stamped, "version": 1,
                "dossier_id": dossier_id, "procedure_component_id": keys[spec[0]], "name": spec[1],
                "sort_order": i,
                "digitised": digitised[i], "reused": reused[i], "from_kho": from_kho[i],
                "not_required": not_required[i],
            }
            for i, spec in enumerate(specs)
        ]


__all__ = ["DemoSummary", "generate", "BATCH_SIZE", "DEMO_PROFILE", "DEMO_HAMLETS", "DEMO_OFFICERS"]
