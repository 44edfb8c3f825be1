"""Set everything up, then serve the dashboard or run the tests.

    python3 dev.py serve   # venv + pinned packages + Debian packages + demo database, then the dashboard
    python3 dev.py test    # the same set-up, then ruff and the whole pytest suite (browser tests included),
                           # on one pytest-xdist worker per core; extra arguments go to pytest

Standard library only, so it runs on a machine that has nothing but Python 3.11. Every step checks
before it acts, so running it again is cheap and safe.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PY = VENV / "bin" / "python"
REQUIREMENTS = ROOT / "requirements.txt"
# package → a file it installs: browser tests and figure export, Chinese fonts, PPTX → PDF, PDF → PNG
DEBIAN_PACKAGES = {"chromium": "/usr/bin/chromium", "fonts-noto-cjk": "/usr/share/fonts/opentype/noto",
                   "libreoffice-impress": "/usr/bin/soffice", "poppler-utils": "/usr/bin/pdftoppm"}


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def run(cmd: list[str], **kw) -> int:
    say(" ".join(str(c) for c in cmd))
    return subprocess.call(cmd, cwd=ROOT, **kw)


def ensure_debian_packages() -> None:
    """Chromium drives the browser tests and figure export; Noto CJK renders Chinese in them;
    LibreOffice turns the meeting deck into PDF; poppler renders PDF pages in the tests."""
    missing = [pkg for pkg, path in DEBIAN_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    if not shutil.which("apt-get"):
        say(f"warning: cannot install {missing} (no apt-get); browser tests and exports need them")
        return
    prefix: list[str] = []
    if os.geteuid() != 0:
        if not shutil.which("sudo") or subprocess.call(["sudo", "-n", "true"]) != 0:
            say(f"warning: {missing} missing and no root rights; install them with apt-get")
            return
        prefix = ["sudo", "-n"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run([*prefix, "apt-get", "update", "-qq"], env=env)
    if run([*prefix, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], env=env) != 0:
        sys.exit(f"[dev] apt-get install {' '.join(missing)} failed")


def ensure_venv() -> None:
    if not PY.exists() and run([sys.executable, "-m", "venv", str(VENV)]) != 0:
        sys.exit("[dev] could not create .venv")
    stamp = VENV / ".requirements-sha256"
    want = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if stamp.exists() and stamp.read_text().strip() == want:
        return
    if run([str(PY), "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r", str(REQUIREMENTS)]) != 0:
        sys.exit("[dev] pip install -r requirements.txt failed")
    stamp.write_text(want)


def db_path() -> Path:
    return Path(os.environ.get("TFM_DB") or ROOT / "data" / "tfm.duckdb")


def ensure_demo_db() -> None:
    db = db_path()
    if db.exists():
        return
    say(f"no database at {db}: building the demo database")
    if run([str(PY), "-m", "loaders", "demo", "--db", str(db)]) != 0:
        sys.exit("[dev] building the demo database failed")


def serve() -> int:
    ensure_debian_packages()
    ensure_venv()
    ensure_demo_db()
    say("dashboard: http://localhost:8501")
    return run([str(PY), "-m", "streamlit", "run", "dashboard.py", "--server.port", "8501",
                "--server.headless", "true", "--browser.gatherUsageStats", "false"])


def parallel(args: list[str]) -> list[str]:
    """pytest-xdist options: one worker per core, each test file on one worker (a file's module fixtures, such
    as the meeting outputs or a Streamlit server, are built once). None when the arguments choose for
    themselves (-n N, -p no:xdist)."""
    if "no:xdist" in args or any(a == "--numprocesses" or a.startswith(("-n", "--numprocesses=", "--dist"))
                                 for a in args):
        return []
    # --no-loadscope-reorder: keep tests/conftest.py's order (longest files first) rather than xdist's (most tests first)
    return ["-n", str(max(2, os.cpu_count() or 1)), "--dist", "loadfile", "--no-loadscope-reorder"]


def test() -> int:
    ensure_debian_packages()
    ensure_venv()
    if run([str(PY), "-m", "ruff", "check", "."]) != 0:
        return 1
    rc = run([str(PY), "-m", "pytest", *parallel(sys.argv[2:]), *sys.argv[2:]], stdin=subprocess.DEVNULL)
    if rc == 5:
        say("pytest collected no tests: that is a failure")
        return 1
    return rc


if __name__ == "__main__":
    commands = {"serve": serve, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(__doc__)
    sys.exit(commands[sys.argv[1]]())
