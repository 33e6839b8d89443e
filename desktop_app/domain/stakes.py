"""Points at stake: what fixing one dossier's warning would give back to the commune this period.

Fixing a warning changes the counts the dossier contributes to (e.g. attaching the missing
result file adds one to the numerator of ORIGINAL_RESULT_AVAILABLE). The points at stake are
the difference between the total the scoring engine shows (the sum of the indicators' points,
each rounded half-up to 2 decimals) for the counts after the fix and for the counts now, so
the queue promises exactly what the dashboard will gain. Warnings that cannot be undone (a
dossier already late) are valued by what they cost; early warnings (due soon) by what the
dossier would cost if late.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from .rules import DossierFacts
from .scoring import ScoringConfig, exact_points, score
from .status import FINISHED_STATUSES, Channel

Counts = Mapping[str, tuple[int, int]]


def fix_delta(rule: str, facts: DossierFacts, in_period: bool, processed_in_period: bool, *,
              first_paid_online_of_procedure: bool = False,
              first_checked_of_procedure: bool = False) -> dict[str, int]:
    """How the numerators change when ``rule``'s problem is fixed on this dossier.

    ``in_period``: the dossier was received in the period; ``processed_in_period``: it was
    received or processed in it. Denominators do not change when a dossier is fixed. The two
    ``first_…`` flags say that no other dossier of the same procedure in the period is paid
    online / identity-checked yet, so fixing this one also counts its procedure in
    PAYMENT_ONLINE_FORMALITY / CITIZEN_DATA_CONNECTED_FORMALITY.
    """
    delta: dict[str, int] = {}
    has_components = facts.any_component_digitised or facts.any_reused or facts.any_from_kho
    has_result = facts.has_result_file or facts.has_end_document
    if in_period:
        if rule == "RESULT_FILE_MISSING":
            delta["original_result_available"] = 1
            if has_components and not facts.has_end_document:  # else SO_HOA already counts it
                delta["so_hoa_giay_to"] = 1
            if facts.channel == Channel.TRUC_TUYEN and facts.status in FINISHED_STATUSES:
                delta["online_dossiers"] = 1
        elif rule == "COMPONENTS_NOT_DIGITISED" and has_result:
            delta["so_hoa_giay_to"] = 1
        elif rule == "END_DOCUMENT_MISSING" and has_components and not facts.has_result_file:
            delta["so_hoa_giay_to"] = 1
        elif rule == "IDENTITY_NOT_CHECKED":
            delta["citizen_data_dossier"] = 1
            if first_checked_of_procedure:
                delta["citizen_data_formality"] = 1
        elif rule == "KHO_NOT_USED":
            delta["kho_used"] = 1
        elif rule == "FEE_NOT_PAID_ONLINE":
            delta["payment_online_dossier"] = 1
            if first_paid_online_of_procedure:
                delta["payment_online_formality"] = 1
        elif rule == "PAPER_FOR_FULL_ONLINE":
            delta["online_dossiers"] = 1
    if processed_in_period:
        if rule == "NOT_SYNCED":
            delta["dossier_sync"] = 1
        elif rule in ("OVERDUE", "SECOND_SUPPLEMENT", "DUE_SOON"):
            delta["progress_on_time"] = 1
            delta["satisfaction"] = 1
    return delta


def total_exact(config: ScoringConfig, counts: Counts) -> Fraction:
    """The unrounded sum of the indicators' points (for analysis; the queue uses :func:`total_shown`)."""
    total = Fraction(0)
    for indicator in config.indicators:
        points = exact_points(indicator, *counts.get(indicator.counts, (0, 0)))
        if points is not None:
            total += points
    return total


def total_shown(config: ScoringConfig, counts: Counts) -> Decimal:
    """The total the dashboard shows for ``counts``: :attr:`ScoreCard.total`."""
    return score(config, counts).total


def points_at_stake(config: ScoringConfig, counts: Counts, delta: Mapping[str, int], already_lost: bool = True) -> Decimal:
    """Points regained by applying ``delta`` to ``counts`` (or, when ``already_lost`` is false,
    points that would be lost by taking it away), as the difference of the shown totals."""
    if not delta:
        return Decimal("0.00")
    sign = 1 if already_lost else -1
    changed = dict(counts)
    for key, step in delta.items():
        numerator, denominator = changed.get(key, (0, 0))
        changed[key] = (min(max(numerator + sign * step, 0), denominator), denominator)
    difference = total_shown(config, changed) - total_shown(config, counts)
    return abs(difference).quantize(Decimal("0.01"))
