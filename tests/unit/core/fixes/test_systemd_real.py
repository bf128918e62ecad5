"""systemd reads the proxy drop-in we write without complaint (``systemd-analyze verify``).

The check that matters: a ``%`` in a percent-encoded password must be doubled, or systemd
drops the whole line ("Failed to resolve specifiers ... ignoring").
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from gobuildgui.core.fixes.daemon import edit_proxy_dropin


def _verify(unit_dir: Path) -> str:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        if os.environ.get("GOBUILDGUI_REQUIRE_TESTBED") == "1":
            pytest.fail("systemd-analyze not found (Debian package systemd)")
        pytest.skip("systemd-analyze not found (Debian package systemd)")
    proc = subprocess.run(
        [tool, "verify", str(unit_dir / "docker.service")],
        env={"PATH": os.environ.get("PATH", ""), "SYSTEMD_UNIT_PATH": f"{unit_dir}:"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    return proc.stdout + proc.stderr


def _unit(tmp_path: Path) -> Path:
    unit_dir = tmp_path / "units"
    (unit_dir / "docker.service.d").mkdir(parents=True)
    (unit_dir / "docker.service").write_text(
        "[Unit]\nDescription=d\n[Service]\nExecStart=/bin/true\n"
    )
    return unit_dir


def test_systemd_accepts_the_dropin_we_write(tmp_path: Path) -> None:
    unit_dir = _unit(tmp_path)
    dropin = unit_dir / "docker.service.d" / "http-proxy.conf"
    change = edit_proxy_dropin(
        dropin,
        {"http": "http://dom%5Cme:p%40ss%23w@proxy.corp:3128", "https": "http://proxy.corp:3128",
         "no": 'localhost,.corp,"odd"'},
    )  # fmt: skip
    dropin.write_text(change.new_text)
    out = _verify(unit_dir)
    assert "http-proxy.conf" not in out, out


def test_systemd_drops_an_undoubled_percent(tmp_path: Path) -> None:
    unit_dir = _unit(tmp_path)
    dropin = unit_dir / "docker.service.d" / "http-proxy.conf"
    dropin.write_text('[Service]\nEnvironment="HTTP_PROXY=http://me:p%40ss@proxy.corp:3128"\n')
    assert "Failed to resolve specifiers" in _verify(unit_dir)
