"""A root-owned daemon.json, the wizard run by an ordinary user: pkexec and commands to copy.

The test process runs as root, for which every file is writable; the scenario therefore runs
in a child process as ``nobody`` (``setpriv``), against a daemon.json owned by root.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.ui.wizard.conftest import DAEMON_JSON

NOBODY = 65534
SCENARIO = Path(__file__).with_name("root_scenario.py")
REPO = Path(__file__).resolve().parents[3]


def _as_nobody(setpriv: str) -> list[str]:
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def child_python(setpriv: str) -> tuple[str, str]:
    """An interpreter ``nobody`` can run with this test's packages: (executable, PYTHONPATH).

    A Python installed under /root (pyenv) is reached, but its libpython is not: the loader
    then takes the system's libpython of another patch release, and PySide6 crashes in it.
    The system interpreter of the same minor version, given our site-packages, is sound.
    """
    site = next(p for p in sys.path if p.endswith("site-packages"))
    probe = "import sys; print(sys.version)"
    for exe in (sys.executable, f"/usr/bin/python{sys.version_info[0]}.{sys.version_info[1]}"):
        if not Path(exe).exists():
            continue
        seen = subprocess.run(
            [*_as_nobody(setpriv), exe, "-c", probe],
            capture_output=True,
            text=True,
            timeout=60,
            env={"PATH": "/usr/bin:/bin"},
        ).stdout.strip()
        if exe == sys.executable and seen == sys.version:
            return exe, str(REPO)
        if exe != sys.executable and seen.startswith(sys.version.split()[0].rsplit(".", 1)[0]):
            return exe, f"{REPO}{os.pathsep}{site}"
    pytest.skip("no Python that the user nobody can run with this test's packages")


@pytest.fixture
def world(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        if os.environ.get("GOBUILDGUI_REQUIRE_TESTBED") == "1":
            pytest.fail("needs root and setpriv to run the wizard as an ordinary user")
        pytest.skip("needs root and setpriv (util-linux) to run the wizard as an ordinary user")
    root = Path(tempfile.mkdtemp(prefix="gbg-root-"))
    root.chmod(0o755)  # nobody may look in, not write
    yield root
    shutil.rmtree(root)


def test_root_owned_file_offers_pkexec_and_commands_and_cancel_leaves_no_history(
    world: Path,
) -> None:
    etc = world / "etc" / "docker"
    etc.mkdir(parents=True)
    target = etc / "daemon.json"
    target.write_bytes(DAEMON_JSON.encode())
    target.chmod(0o644)
    user = world / "user"
    for d in (user, user / "home", user / "history"):
        d.mkdir()
        os.chown(d, NOBODY, NOBODY)
    setpriv = str(shutil.which("setpriv"))
    python, pythonpath = child_python(setpriv)
    out = user / "report.json"
    env = {
        "PATH": str(user),  # no pkexec on it: the elevated run fails the way a missing one does
        "HOME": str(user / "home"),
        "PYTHONPATH": pythonpath,
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(user),
        "PYTHONFAULTHANDLER": "1",
    }
    run = subprocess.run(
        [
            *_as_nobody(setpriv),
            python,
            str(SCENARIO),
            str(target),
            str(user / "history"),
            str(user / "home"),
            str(out),
        ],
        env=env,
        timeout=120,
        cwd=user,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    report = json.loads(out.read_text())
    assert report["option_needs_root"] is True
    assert report["badges"] == [["needs root"]]
    assert report["root_box"] is True
    assert report["pkexec_enabled"] is True
    assert f"sudo mv -f {target}.gbg-new {target}" in report["commands"]
    assert report["pending_entries"] == ["pending"]  # the backups wait for the elevated copy
    assert "pkexec" in report["after_pkexec"]
    assert report["applied"] is False
    assert report["entries_after_cancel"] == []
    assert report["history_files"] == ["index.json"]  # an empty index: no backups, no staging
    assert target.read_bytes() == DAEMON_JSON.encode()
