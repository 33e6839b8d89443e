"""First data of a new database: the procedure catalogue, public holidays, campaign presets."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import holidays as holidays_lib
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.text import fold, nfc
from .bundle import resource_path
from .models import Campaign, Holiday, Procedure, ProcedureComponent


def load_json(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def catalogue_file() -> Path:
    return resource_path("catalogue", "procedures.json")


def presets_file() -> Path:
    return resource_path("campaigns", "presets.json")


def procedure_from_dict(data: dict[str, Any]) -> Procedure:
    fee = data.get("fee") or {"kind": "free"}
    procedure = Procedure(
        code=data["code"].strip(),
        name=nfc(data["name"].strip()),
        name_fold=fold(data["name"]),
        field=nfc(data.get("field", "")),
        time_limit=float(data.get("time_limit", 0)),
        time_unit=data.get("time_unit", "ngay_lam_viec"),
        online_level=data.get("online_level", "khong"),
        fee_kind=fee.get("kind", "free"),
        fee_amount=int(fee.get("amount", 0)),
        fee_first_pages=int(fee.get("first_pages", 0)),
        fee_later_amount=int(fee.get("later_amount", 0)),
        fee_cap=int(fee.get("cap", 0)),
        fee_note=nfc(data.get("fee_note", "")),
        result_is_document=bool(data.get("result_is_document", True)),
        citizen_facing=bool(data.get("citizen_facing", True)),
        active=bool(data.get("active", True)),
    )
    procedure.components = [
        ProcedureComponent(
            name=nfc(component["name"]),
            copy_kind=component.get("copy_kind", "ban_chinh"),
            quantity=int(component.get("quantity", 1)),
            reusable=bool(component.get("reusable", False)),
            sort_order=index,
        )
        for index, component in enumerate(data.get("components", []))
    ]
    return procedure


def seed_catalogue(session: Session, path: Path | None = None) -> int:
    """Add the procedures of the catalogue file that the database does not have yet."""
    existing = set(session.scalars(select(Procedure.code)))
    added = 0
    for item in load_json(path or catalogue_file())["procedures"]:
        if item["code"] not in existing:
            session.add(procedure_from_dict(item))
            added += 1
    return added


def package_holidays(years: range) -> dict[date, tuple[str, str]]:
    """Days off and make-up working days for ``years`` from the ``holidays`` package."""
    vn = holidays_lib.country_holidays("VN", years=list(years), language="vi")
    days: dict[date, tuple[str, str]] = {day: (name, "day_off") for day, name in vn.items()}
    for day in getattr(vn, "weekend_workdays", set()):
        if day.year in years:
            days[day] = ("Ngày làm bù", "working_day")
    return days


def seed_holidays(session: Session, years: range) -> int:
    """Add the package's holidays for the ``years`` not seeded before.

    A year is seeded once, so days the user deleted or changed stay as the user left them.
    """
    existing = set(session.scalars(select(Holiday.day)))
    seeded_years = {day.year for day in session.scalars(select(Holiday.day).where(Holiday.source == "package"))}
    new_years = range(0) if not years else [y for y in years if y not in seeded_years]
    if not new_years:
        return 0
    added = 0
    for day, (name, kind) in sorted(package_holidays(range(min(new_years), max(new_years) + 1)).items()):
        if day.year in new_years and day not in existing:
            session.add(Holiday(day=day, name=nfc(name), kind=kind, source="package"))
            added += 1
    return added


def seed_campaign_presets(session: Session, path: Path | None = None) -> int:
    if session.scalar(select(Campaign.id).limit(1)) is not None:
        return 0
    data = load_json(path or presets_file())
    for preset in data["presets"]:
        session.add(
            Campaign(
                name=nfc(preset["name"]),
                start_date=date.fromisoformat(preset["start_date"]),
                end_date=date.fromisoformat(preset["end_date"]),
                targets=dict(preset.get("targets", {})),
                notes=nfc(preset.get("notes", "")),
            )
        )
    return len(data["presets"])
