"""The few counts the campaign rates need beyond :mod:`.stats_queries`, as SQL aggregates.

* dossiers received in the period (set P) with at least one component scanned, reused from
  digitised data or taken from the citizen's kho ("digitised_components");
* active procedures by online level ("full_online_procedures": toàn trình among the
  online-capable ones). The catalogue has no history, so this is the catalogue as it is now.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import Session

from .models import Dossier, DossierComponent, Procedure
from .stats_queries import Period, in_period


@dataclass(frozen=True)
class CampaignCounts:
    received: int
    digitised_components: int
    procedures_by_level: dict[str, int] = field(default_factory=dict)  # online level -> active procedures


def campaign_counts(session: Session, period: Period) -> CampaignCounts:
    any_component = exists().where(
        DossierComponent.dossier_id == Dossier.id,
        or_(DossierComponent.digitised, DossierComponent.reused, DossierComponent.from_kho),
    )
    received, digitised = session.execute(
        select(func.count(), func.coalesce(func.sum(case((any_component, 1), else_=0)), 0))
        .select_from(Dossier)
        .where(in_period(period))
    ).one()
    levels = session.execute(
        select(Procedure.online_level, func.count()).where(Procedure.active.is_(True)).group_by(Procedure.online_level)
    )
    return CampaignCounts(int(received), int(digitised), {str(level): int(n) for level, n in levels})
