"""``gobuildgui fix`` run as a subprocess: dry run, apply, history, undo, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
ORIGINAL = '{\n  "debug": true\n}\n'


def fix(*args: str, tmp_path: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(REPO),
        "HOME": str(tmp_path / "home"),
        "GOBUILDGUI_HISTORY_DIR": str(tmp_path / "history"),
    }
    return subprocess.run(
        [sys.executable, "-m", "gobuildgui", "fix", *args],
        cwd=tmp_path,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_dry_run_prints_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    f = tmp_path / "daemon.json"
    f.write_text(ORIGINAL)
    r = fix(
        "--dry-run",
        "daemon-dns",
        "--file",
        str(f),
        "--set",
        "dns=10.0.0.2,10.0.0.3",
        tmp_path=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert '-  "debug": true\n+  "debug": true,\n+  "dns": [\n' in r.stdout
    assert "sudo systemctl restart docker" in r.stdout
    assert f.read_text() == ORIGINAL
    assert not (tmp_path / "history").exists()


def test_secrets_are_masked_in_the_output(tmp_path: Path) -> None:
    r = fix(
        "--dry-run",
        "client-proxy",
        "--set",
        "http-proxy=http://me:Pa55-word@proxy.corp:3128",
        tmp_path=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    assert "me:****@proxy.corp:3128" in r.stdout
    assert "Pa55-word" not in r.stdout + r.stderr


def test_apply_history_and_undo(tmp_path: Path) -> None:
    f = tmp_path / "daemon.json"
    f.write_text(ORIGINAL)
    r = fix("daemon-mtu", "--file", str(f), "--set", "mtu=1400", "--yes", tmp_path=tmp_path)
    assert r.returncode == 0, r.stderr
    assert '"mtu": 1400' in f.read_text()
    assert "undo with: gobuildgui fix --undo " in r.stdout
    h = fix("--history", tmp_path=tmp_path)
    assert "applied  daemon-mtu" in h.stdout
    u = fix("--undo", tmp_path=tmp_path)
    assert u.returncode == 0, u.stderr
    assert f.read_text() == ORIGINAL
    again = fix("--undo", tmp_path=tmp_path)
    assert again.returncode == 1
    assert "nothing to undo" in again.stderr


def test_without_yes_and_without_a_terminal_nothing_is_applied(tmp_path: Path) -> None:
    f = tmp_path / "daemon.json"
    f.write_text(ORIGINAL)
    r = fix("daemon-mtu", "--file", str(f), "--set", "mtu=1400", tmp_path=tmp_path)
    assert r.returncode == 1
    assert "confirm with --yes" in r.stderr
    assert f.read_text() == ORIGINAL


def test_exit_codes(tmp_path: Path) -> None:
    f = tmp_path / "daemon.json"
    f.write_text("{ not json")
    refused = fix(
        "daemon-dns", "--file", str(f), "--set", "dns=10.0.0.2", "--yes", tmp_path=tmp_path
    )
    assert refused.returncode == 1
    assert "not valid JSON" in refused.stderr
    assert "nothing was changed" in refused.stderr
    bad_value = fix("--dry-run", "daemon-dns", "--set", "dns=not-an-ip", tmp_path=tmp_path)
    assert bad_value.returncode == 2
    assert "not-an-ip is not an ip address" in bad_value.stderr
    unknown = fix("--dry-run", "deamon-dns", tmp_path=tmp_path)
    assert unknown.returncode == 2
    assert "did you mean daemon-dns" in unknown.stderr
    assert fix(tmp_path=tmp_path).returncode == 2
    assert fix("--dry-run", "daemon-dns", "--set", "dns", tmp_path=tmp_path).returncode == 2


def test_list_names_every_fix(tmp_path: Path) -> None:
    r = fix("--list", tmp_path=tmp_path)
    assert r.returncode == 0
    assert "dockerfile-lint-fix" in r.stdout
    assert "--set dns=..." in r.stdout
