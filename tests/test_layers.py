"""The architecture contracts in pyproject.toml [tool.importlinter] hold (import-linter)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def lint_imports() -> str:
    name = "lint-imports.exe" if os.name == "nt" else "lint-imports"
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which("lint-imports")
    assert found, "lint-imports not found: pip install -e '.[test]'"
    return found


def test_import_contracts_hold() -> None:
    result = subprocess.run(
        [lint_imports(), "--no-cache"],
        cwd=ROOT, check=False, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"lint-imports failed:\n{result.stdout}\n{result.stderr}"
