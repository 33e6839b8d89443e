#!/usr/bin/env python3
"""Set up a development copy of Sổ Một Cửa, then start the app or run the tests.

    python3 scripts/bootstrap.py start [ARGS...]   # set up, then run the app with ARGS
    python3 scripts/bootstrap.py test [ARGS...]    # set up, then run pytest offscreen with ARGS
    python3 scripts/bootstrap.py bench [ARGS...]   # set up, then run the benchmark (bench/run.py)

Set-up: on Debian/Ubuntu as root, apt-get installs the system libraries Qt needs (elsewhere the
missing ones are only listed); then `.venv/` is created in the repository root and the project is
installed into it with `pip install -e ".[test,build]"`. The pip step is skipped while
`.venv/.installed-<sha256 of pyproject.toml>` exists. Standard library only; Linux and Windows.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
WINDOWS = os.name == "nt"
VENV_PYTHON = VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")

# What Qt needs offscreen, then what it needs on a real X display (xcb).
QT_OFFSCREEN = (
    "libgl1 libegl1 libxkbcommon0 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 "
    "fonts-dejavu-core"
).split()
QT_XCB = (
    "libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 "
    "libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxcb-randr0 "
    "libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libx11-xcb1"
).split()
# Tests also render PDFs to PNG, read QR codes, build the frozen app and may use Xvfb; the
# storage and service suites also run on a throw-away PostgreSQL server (tests/pg.py).
TEST_TOOLS = "poppler-utils binutils zbar-tools xvfb xauth postgresql".split()

DEB_PACKAGES = {
    "start": QT_OFFSCREEN + QT_XCB,
    "test": QT_OFFSCREEN + TEST_TOOLS + QT_XCB,
    "bench": QT_OFFSCREEN,
}


def say(msg: str) -> None:
    print(f"==> {msg}", flush=True)


def run(cmd: list[str], **kwargs) -> None:
    subprocess.run([str(c) for c in cmd], check=True, **kwargs)


def debian_packages(command: str) -> list[str]:
    wanted = list(DEB_PACKAGES[command])
    if importlib.util.find_spec("ensurepip") is None:  # Debian's python3 without python3-venv
        wanted.append("python3-venv")
    if command == "test" and sys.executable.startswith("/usr/bin/"):
        # PyInstaller needs the shared libpython, which Debian ships separately.
        wanted.append(f"libpython{sys.version_info.major}.{sys.version_info.minor}")
    return wanted


def is_installed(pkg: str) -> bool:
    result = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", pkg], check=False, capture_output=True, text=True
    )
    return result.returncode == 0 and result.stdout.strip().endswith(" installed")


def install_system_packages(command: str) -> None:
    if not sys.platform.startswith("linux"):
        return
    wanted = debian_packages(command)
    if not shutil.which("dpkg-query"):
        say("not a Debian-like system; Qt may need (names as on Debian): " + " ".join(wanted))
        return
    missing = [p for p in wanted if not is_installed(p)]
    if not missing:
        say("system packages: all present")
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        say("system packages that may be needed: sudo apt-get install " + " ".join(missing))
        return
    say("apt-get install " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(["apt-get", "update", "-q"], env=env, stdin=subprocess.DEVNULL)
    run(["apt-get", "install", "-y", "-q", "-o", "Dpkg::Use-Pty=0", "--no-install-recommends",
         *missing], env=env, stdin=subprocess.DEVNULL)


def venv_works() -> bool:
    if not VENV_PYTHON.exists():
        return False
    probe = subprocess.run([VENV_PYTHON, "-c", "import sys"], check=False, capture_output=True)
    return probe.returncode == 0


def ensure_venv() -> None:
    if venv_works():
        return
    if VENV.exists():
        say(f"{VENV} is broken; recreating it")
        shutil.rmtree(VENV)
    say(f"creating {VENV}")
    run([sys.executable, "-m", "venv", VENV])


def ensure_installed() -> None:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    stamp = VENV / f".installed-{digest}"
    if stamp.exists():
        say("python packages: up to date")
        return
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1")
    quiet = [] if sys.stdout.isatty() else ["--progress-bar", "off"]
    say("upgrading pip")
    run([VENV_PYTHON, "-m", "pip", "install", "-q", "--upgrade", "pip"], env=env)
    say('pip install -e ".[test,build]"')
    run([VENV_PYTHON, "-m", "pip", "install", *quiet, "-e", ".[test,build]"], cwd=ROOT, env=env)
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.touch()


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in DEB_PACKAGES:
        print(__doc__.strip(), file=sys.stderr)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    command, extra = argv[0], argv[1:]
    if extra[:1] == ["--"]:
        extra = extra[1:]

    install_system_packages(command)
    ensure_venv()
    ensure_installed()

    env = dict(os.environ)
    if command == "test":
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        cmd = [str(VENV_PYTHON), "-m", "pytest", "-q", *extra]
    elif command == "bench":
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        cmd = [str(VENV_PYTHON), "-m", "bench", *extra]
    else:
        if (sys.platform.startswith("linux") and "QT_QPA_PLATFORM" not in env
                and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY")):
            say("no DISPLAY: Qt will fail; try `xvfb-run -a ...` or QT_QPA_PLATFORM=offscreen")
        cmd = [str(VENV_PYTHON), "-m", "desktop_app", *extra]
    say(" ".join(cmd))
    os.chdir(ROOT)
    if WINDOWS:  # os.exec* on Windows detaches from the console; wait instead
        return subprocess.call(cmd, env=env)
    os.execve(cmd[0], cmd, env)
    return 0  # not reached


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as exc:
        say(f"failed ({exc.returncode}): {' '.join(map(str, exc.cmd))}")
        sys.exit(exc.returncode or 1)
