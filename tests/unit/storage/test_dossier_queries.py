from datetime import date, datetime

from desktop_app.domain.identity import IdKind
from desktop_app.domain.status import Action, Channel
from desktop_app.services import dossiers, intake
from desktop_app.storage.dossier_queries import DossierFilter

from ..services.helpers import draft

PEOPLE = [
    ("Nguyễn Văn Ánh", "001090001234", "0912000001", Channel.TRUC_TIEP),
    ("Đặng Thị Hồng", "019180004321", "0912000002", Channel.TRUC_TUYEN),
    ("Lê Đức Anh", "", "0387000003", Channel.BUU_CHINH),
    ("Trần Thị Đào", "025185007777", "0912000004", Channel.TRUC_TUYEN),
]


def _fill(ctx, clock):
    for index, (name, number, phone, channel) in enumerate(PEOPLE):
        clock.now = datetime(2026, 2, 2 + index, 9, 0)
        kind = IdKind.NONE if not number else IdKind.CCCD
        intake.receive_dossier(ctx, draft(ctx, applicant_name=name, id_number=number, id_kind=kind, phone=phone,
                                          channel=channel))


def names(ctx, flt, **kw):
    return [r.applicant_name for r in dossiers.list_page(ctx, flt, **kw)]


def test_search_ignores_diacritics_and_d_bar(services_ctx, clock):
    _fill(services_ctx, clock)
    assert names(services_ctx, DossierFilter(search="dang thi")) == ["Đặng Thị Hồng"]
    assert sorted(names(services_ctx, DossierFilter(search="ANH"))) == ["Lê Đức Anh", "Nguyễn Văn Ánh"]
    assert names(services_ctx, DossierFilter(search="dao")) == ["Trần Thị Đào"]


def test_search_by_id_number_phone_and_code(services_ctx, clock):
    _fill(services_ctx, clock)
    assert names(services_ctx, DossierFilter(search="019180")) == ["Đặng Thị Hồng"]
    assert names(services_ctx, DossierFilter(search="0387000003")) == ["Lê Đức Anh"]
    assert names(services_ctx, DossierFilter(search="260205-0001")) == ["Trần Thị Đào"]
    assert names(services_ctx, DossierFilter(search="100%_")) == []  # LIKE wildcards are literal


def test_filters_and_counts(services_ctx, clock):
    _fill(services_ctx, clock)
    assert dossiers.count(services_ctx, DossierFilter()) == 4
    assert dossiers.count(services_ctx, DossierFilter(channel=int(Channel.TRUC_TUYEN))) == 2
    period = DossierFilter(date_from=date(2026, 2, 3), date_to=date(2026, 2, 4))
    assert sorted(names(services_ctx, period)) == ["Lê Đức Anh", "Đặng Thị Hồng"]
    first = dossiers.list_page(services_ctx, DossierFilter(search="anh"), limit=1)[0]
    dossiers.perform_action(services_ctx, first.id, dossiers.ActionInput(Action.CO_KET_QUA))
    assert dossiers.count(services_ctx, DossierFilter(statuses=frozenset({9}))) == 1


def test_sort_and_pages(services_ctx, clock):
    _fill(services_ctx, clock)
    newest_first = names(services_ctx, DossierFilter())
    assert newest_first[0] == "Trần Thị Đào"
    assert names(services_ctx, DossierFilter(), sort_key="received_at", descending=False)[0] == "Nguyễn Văn Ánh"
    by_name = names(services_ctx, DossierFilter(), sort_key="applicant", descending=False)
    assert by_name == ["Đặng Thị Hồng", "Lê Đức Anh", "Nguyễn Văn Ánh", "Trần Thị Đào"]  # folded: dang < le < …
    pages = [names(services_ctx, DossierFilter(), offset=o, limit=2) for o in (0, 2)]
    assert pages[0] + pages[1] == newest_first
