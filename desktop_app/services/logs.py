"""The rotating log file in the data folder. Personal data (names, số định danh, phone
numbers) is never logged: log dossier codes and counts only."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from ..storage.engine import data_dir

LOG_NAME = "motcua.log"


def log_path() -> Path:
    return data_dir() / "logs" / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path:
    path = log_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) and Path(h.baseFilename) == path for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(level)
    return path
