"""Where the shipped files (resources/, db/) are: beside the package, or inside the frozen build."""

from __future__ import annotations

import sys
from pathlib import Path


def bundle_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def resource_path(*parts: str) -> Path:
    return bundle_root().joinpath("resources", *parts)


def migrations_path() -> Path:
    return bundle_root() / "db"
