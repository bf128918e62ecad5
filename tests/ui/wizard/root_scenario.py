"""Run the wizard as an unprivileged user on a root-owned daemon.json (for test_needs_root).

Usage: python root_scenario.py MODE TARGET HISTORY_DIR HOME OUT_JSON. Writes what the wizard
showed to OUT_JSON. Run with ``setpriv`` as ``nobody`` by the test.

MODE ``cancel``: pkexec is missing, then the user cancels. MODE ``elevate``: "pkexec" is a
relay: the command line goes to ``HOME/../pkexec-request.json`` and the test, running as
root, runs it and answers in ``pkexec-response.json`` (what pkexec does after the password).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from gobuildgui.core.fixes import FixContext, History, Target
from gobuildgui.ui.wizard.fixwizard import FixWizard


def relay(folder: Path) -> object:
    """A ``subprocess.run`` stand-in that hands the command line to the root test process."""

    def run(argv: list[str], *, timeout: float, capture_output: bool) -> object:
        del capture_output
        request, response = folder / "pkexec-request.json", folder / "pkexec-response.json"
        tmp = folder / "pkexec-request.tmp"
        tmp.write_text(json.dumps(list(argv)), encoding="utf-8")
        tmp.rename(request)
        deadline = time.monotonic() + min(timeout, 60)
        while not response.exists():
            if time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(argv, timeout)
            time.sleep(0.05)
        answer = json.loads(response.read_text(encoding="utf-8"))
        return subprocess.CompletedProcess(argv, answer["returncode"], b"", b"")

    return run


def main(mode: str, target: Path, history_dir: Path, home: Path, out: Path) -> None:
    app = QApplication([])
    ctx = dataclasses.replace(
        FixContext.discover(env={"HOME": str(home)}, platform="linux"), service_files=()
    )
    wizard = FixWizard(
        None,
        fix_id="daemon-dns",
        history=History(history_dir),
        fix_context=ctx,
        paths={Target.DAEMON_JSON: target},
        elevation_runner=relay(home.parent) if mode == "elevate" else None,  # type: ignore[arg-type]  # a Runner
    )
    wizard.show()
    app.processEvents()  # as a user would: the event loop runs between the clicks
    report: dict[str, object] = {}
    wizard.next()
    app.processEvents()
    chosen = wizard.options_page().chosen()
    report["option_needs_root"] = chosen is not None and chosen[1].needs_root
    wizard.next()
    app.processEvents()
    wizard.settings_page().editors["dns"].set_value("10.20.1.2")
    wizard.next()
    app.processEvents()
    report["badges"] = [list(d.badges) for d in wizard.preview_page().diff_view.diffs()]
    wizard.next()
    page = wizard.apply_page()
    page.apply_button.click()
    app.processEvents()
    report["root_box"] = page.root_box.isVisibleTo(wizard)
    report["commands"] = page.root_commands.text.toPlainText()
    report["pkexec_enabled"] = page.pkexec_button.isEnabled()
    report["pending_entries"] = [e.state for e in History(history_dir).entries()]
    page.pkexec_button.click()
    deadline = time.monotonic() + 60
    while wizard.is_elevating() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()
    report["after_pkexec"] = page.status_banner.text()
    report["applied"] = wizard.state.applied
    report["entries_after_pkexec"] = [e.state for e in History(history_dir).entries()]
    if mode == "elevate":
        report["undone"] = wizard.undo()
        report["undo_message"] = page.undo_banner.text() + page.status_banner.text()
    wizard.reject()
    report["entries_after_cancel"] = [e.state for e in History(history_dir).entries()]
    report["history_files"] = sorted(
        str(p.relative_to(history_dir)) for p in history_dir.rglob("*") if p.is_file()
    )
    out.write_text(json.dumps(report), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], *(Path(a) for a in sys.argv[2:6]))
