"""The lint helper process: same results as in-process, no Qt in it, falls back when broken."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from gobuildgui.core.dockerfile.lint import lint
from gobuildgui.ui.editor import DockerfileEditor
from gobuildgui.ui.editor.lintproc import LintProcess

TEXT = "FROM golang:latest\nRUN apk add git\n"


@pytest.fixture
def proc() -> Iterator[LintProcess]:
    p = LintProcess()
    p.start()
    yield p
    p.shutdown()


def _wait_ready(p: LintProcess) -> None:
    deadline = time.monotonic() + 60
    while not p.ready:
        assert time.monotonic() < deadline, "the lint process did not start in 60 s"
        time.sleep(0.05)


def test_process_lints_like_the_library(proc: LintProcess) -> None:
    _wait_ready(proc)
    got = proc.lint(TEXT, None, None)
    assert got is not None
    assert got == lint(TEXT).diagnostics


def test_a_killed_process_means_none_then_a_new_process(proc: LintProcess) -> None:
    _wait_ready(proc)
    executor = proc._executor
    assert executor is not None
    for pid in list(executor._processes):
        os.kill(pid, signal.SIGKILL)
    time.sleep(0.5)
    assert proc.lint(TEXT, None, None) is None  # the caller lints on its own thread
    assert proc.available  # one failure: it tries a fresh process next time
    assert proc.lint(TEXT, None, None) is None  # starting the new one: do not wait
    _wait_ready(proc)
    assert proc.lint(TEXT, None, None) == lint(TEXT).diagnostics


def test_the_process_module_does_not_import_qt() -> None:
    code = (
        "import sys, gobuildgui.ui.editor.lintproc\n"
        "assert 'PySide6' not in sys.modules, sorted(m for m in sys.modules if 'Side' in m)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.parametrize("isolated", [True, False], ids=["process", "thread"])
def test_typing_lints_in_either_mode(qtbot: QtBot, isolated: bool) -> None:
    editor = DockerfileEditor(debounce_ms=20, isolated_lint=isolated)
    qtbot.addWidget(editor)
    editor.show()
    editor.setFocus()
    QTest.keyClicks(editor, "FROM golang:latest")
    qtbot.waitUntil(lambda: not editor.lint_pending() and bool(editor.diagnostics()), timeout=10000)
    assert any(d.code == "DL3007" for d in editor.diagnostics())


UNGUARDED_SCRIPT = """\
import os, sys, time
with open(sys.argv[1], "a") as fh:
    fh.write(f"{os.getpid()}\\n")
from gobuildgui.ui.editor.lintproc import LintProcess
p = LintProcess()
p.start()
deadline = time.monotonic() + 60
while not p.ready and time.monotonic() < deadline:
    time.sleep(0.05)
assert p.lint("FROM golang:latest\\n", None, None), "no lint from the helper process"
p.shutdown()
"""


def test_helper_does_not_rerun_an_unguarded_main_script(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text(UNGUARDED_SCRIPT, encoding="utf-8")
    log = tmp_path / "runs.log"
    subprocess.run([sys.executable, str(script), str(log)], check=True, timeout=120)
    assert len(log.read_text(encoding="utf-8").splitlines()) == 1
