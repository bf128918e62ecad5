"""Clean-up of the test bed's temp dirs never touches anything outside them."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.testbed._util import _alive, _remove_tree, make_tempdir, name, need_binary


def test_removing_a_vanished_dir_leaves_the_parent_alone(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    parent.mkdir(mode=0o755)
    gone = parent / "gone"
    before = stat.S_IMODE(os.stat(parent).st_mode)
    _remove_tree(gone)  # FileNotFoundError goes to the error handler: no chmod of parent
    assert stat.S_IMODE(os.stat(parent).st_mode) == before


def test_read_only_trees_are_removed(tmp_path: Path) -> None:
    root = make_tempdir("util")
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "f").write_text("x")
    os.chmod(root / "a" / "b", 0o500)
    os.chmod(root / "a", 0o500)
    _remove_tree(root)
    assert not root.exists()
    assert root.name.startswith(name("util"))


_CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from tests.testbed.dns import DnsServer
server = DnsServer({{"a.test": ["127.0.0.1"]}}).start()
print(server._proc.pid, server.log_path.parent, flush=True)
time.sleep(60)
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["TERM", "KILL"])
def test_daemons_die_with_the_test_process(sig: signal.Signals) -> None:
    """A test run killed by a timeout (TERM) or the OOM killer (KILL) leaves nothing."""
    need_binary("dnsmasq", package="dnsmasq")
    root = str(Path(__file__).resolve().parents[3])
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD.format(root=root)], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    pid_text, directory = child.stdout.readline().split()
    child.send_signal(sig)
    child.wait(timeout=10)
    child.stdout.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (_alive(int(pid_text)) or Path(directory).exists()):
        time.sleep(0.05)
    assert not _alive(int(pid_text))
    assert not Path(directory).exists()


def test_missing_component_skips_or_fails_when_required(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOBUILDGUI_REQUIRE_TESTBED", raising=False)
    with pytest.raises(pytest.skip.Exception, match="Debian package gbg-none"):
        need_binary("gbg-no-such-program", package="gbg-none")
    monkeypatch.setenv("GOBUILDGUI_REQUIRE_TESTBED", "1")
    with pytest.raises(pytest.fail.Exception, match="GOBUILDGUI_REQUIRE_TESTBED=1"):
        need_binary("gbg-no-such-program", package="gbg-none")
