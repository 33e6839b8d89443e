"""The PyInstaller one-folder build (build.spec) builds and the frozen program runs."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_frozen_build_runs(tmp_path: Path) -> None:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    dist = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(tmp_path / "build"), "build.spec"],
        cwd=ROOT, check=False, capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, f"PyInstaller failed:\n{build.stdout}\n{build.stderr}"

    program = dist / "SoMotCua" / ("SoMotCua.exe" if os.name == "nt" else "SoMotCua")
    assert program.is_file(), f"{program} was not built"
    # the files the program reads at run time travel with it: the PDF fonts, Qt's Vietnamese
    # strings, the migrations, the catalogue
    shipped = {path.relative_to(dist).as_posix().split("resources/", 1)[-1]
               for path in dist.rglob("*") if "resources" in path.parts and path.is_file()}
    for wanted in ("translations/qt_vi.qm", "fonts/LiberationSerif-Regular.ttf"):
        assert wanted in shipped, f"{wanted} is not in the build"
    assert any(dist.rglob("0001_*.py")), "the Alembic migrations are not in the build"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [str(program), "--version"], cwd=tmp_path, env=env,
        check=False, capture_output=True, text=True, timeout=120,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, f"exit {run.returncode}:\n{output}"
    assert version in output
