"""Plug the probe panel, the build log (with Build/Cancel) and the fix wizard into a window.

The main window only knows the contract (``set_probe_panel``, ``set_build_log_pane``,
``set_wizard_factory``); this module builds the real widgets and connects what links
them: a failed probe or a log finding opens the wizard at its fix, a finding's "Run
probes" runs those families, the wizard's verify page re-runs probes through the same
core runner, and a build streams into the build log, which diagnoses it as it runs.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QVBoxLayout, QWidget

from gobuildgui.core.build import BuildOutcome, BuildRequest, default_build_request
from gobuildgui.core.probes import ProbeResult, build_plan, run_plan
from gobuildgui.core.probes.discovered import discovered_target
from gobuildgui.core.reports import (
    FixEntry,
    ProbeEntry,
    ReportData,
    build_html,
    build_markdown,
    environment_section,
    write_report,
)
from gobuildgui.ui.buildlog import BuildLogPane
from gobuildgui.ui.buildrunner import BuildBar, BuildRunner
from gobuildgui.ui.mainwindow import MainWindow
from gobuildgui.ui.probes.panel import ProbePanel
from gobuildgui.ui.wizard.fixwizard import FixWizard

# Probes re-run by the wizard's verify page: long enough for a slow proxy, short enough
# that a black-holed target does not keep the page waiting.
VERIFY_TIMEOUT_S = 5.0


class BuildLogDock(QWidget):
    """The Build log dock's content: the build bar above the log pane.

    Forwards the pane's signals and follows the open Dockerfile, so the window treats it
    as the pane itself (see ``MainWindow.set_build_log_pane``).
    """

    probes_requested = Signal(list)
    fix_requested = Signal(str)
    build_started = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dockerfile: Path | None = None
        self._cached: tuple[tuple[Path, int | None], BuildRequest] | None = None
        self.runner = BuildRunner(self)
        self.pane = BuildLogPane()
        self.bar = BuildBar(self.runner, self._request)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.pane, 1)
        self.pane.probes_requested.connect(self.probes_requested)
        self.pane.fix_requested.connect(self.fix_requested)
        self.runner.started.connect(self._on_runner_started)
        self.runner.line_received.connect(self.pane.append_log_text)
        self.runner.finished.connect(self._on_runner_finished)

    def _request(self) -> BuildRequest | None:
        # The bar asks on every refresh, click and finish; reading and parsing the
        # Dockerfile (for its ARG lines) is redone only when the file changed.
        path = self._dockerfile
        if path is None:
            return None
        try:
            stamp = path.stat().st_mtime_ns
        except OSError:
            stamp = None
        key = (path, stamp)
        if self._cached is None or self._cached[0] != key:
            self._cached = (key, default_build_request(path))
        return self._cached[1]

    def set_dockerfile(self, path: Path | None) -> None:
        """Follow the open Dockerfile (what Build builds, what findings link to)."""
        self._dockerfile = path
        self.pane.set_dockerfile(path)
        self.bar.refresh()

    def _on_runner_started(self, _request: BuildRequest) -> None:
        self.pane.set_log_text("")
        self.build_started.emit()

    def _on_runner_finished(self, _outcome: BuildOutcome) -> None:
        self.pane.finish_log()

    def shutdown(self) -> None:
        """Stop a running build and the diagnosis thread (bounded)."""
        self.runner.shutdown()
        self.pane.shutdown()


def verifier_for(dockerfile: Path | None) -> Any:
    """A verifier for the wizard: runs probe families with the settings now in force.

    Called on a worker thread by the wizard's verify page; discovery happens per call, so
    it sees the files the fix has just written.
    """

    def verify(families: Sequence[str]) -> list[ProbeResult]:
        target = discovered_target(dockerfile)
        return run_plan(build_plan(target, families), timeout=VERIFY_TIMEOUT_S)

    return verify


def wire(window: MainWindow) -> None:
    """Give ``window`` its probe panel, build log and fix wizard."""
    panel = ProbePanel(window)
    window.set_probe_panel(panel)
    dock = BuildLogDock(window)
    window.set_build_log_pane(dock)
    # Bound slots of the dock widget, not a lambda holding the window (see wire()).
    dock.build_started.connect(window.build_log_dock.show)
    dock.build_started.connect(window.build_log_dock.raise_)

    def make_wizard(parent: QWidget, options: dict[str, Any]) -> QDialog:
        dockerfile = options.get("dockerfile")
        families = _families_of(options.get("fix_id"))
        before = [r for r in panel.results() if r.family in families] if families else []
        return FixWizard(
            parent,
            fix_id=options.get("fix_id"),
            symptom=options.get("symptom"),
            diagnostic=options.get("diagnostic"),
            dockerfile=dockerfile,
            verifier=verifier_for(dockerfile),
            before_results=before,
        )

    window.set_wizard_factory(make_wizard)

    exporter = ReportExporter(window)
    action = QAction("&Export Report…", window)
    action.setShortcut("Ctrl+E")
    action.setStatusTip(
        "Save what the app knows (settings in force, problems, probe results, build-log"
        " findings, fixes applied) as Markdown or HTML, with every credential masked"
    )

    def export() -> None:
        name, chosen = QFileDialog.getSaveFileName(
            window, "Export a report", "gobuildgui-report.md", "Markdown (*.md);;HTML (*.html)"
        )
        if name:
            path = Path(name)
            if not path.suffix:
                path = path.with_suffix(".html" if "html" in chosen.lower() else ".md")
            exporter.export(path, report_data(window, panel, dock), window.current_path())

    action.triggered.connect(export)
    # The build log's own Export button writes the same, complete report.
    dock.pane.export_button.clicked.disconnect()
    dock.pane.export_button.clicked.connect(action.trigger)
    exporter.finished.connect(window.statusBar().showMessage)
    _add_to_file_menu(window, action)
    window.report_exporter = exporter  # type: ignore[attr-defined]  # for tests


def report_data(window: MainWindow, panel: ProbePanel, dock: BuildLogDock) -> ReportData:
    """Everything the window knows now, except the environment (found off the UI thread)."""
    from gobuildgui.core.fixes import History

    base = dock.pane.report_data()
    path = window.current_path()
    probes = tuple(
        ProbeEntry(r.title, r.status.value, r.summary, tuple(r.evidence)) for r in panel.results()
    )
    fixes = tuple(
        FixEntry(e.title, tuple(f.path for f in e.files), e.fix_id)
        for e in History().entries()
        if e.state == "applied"
    )
    return dataclasses.replace(
        base,
        dockerfile=str(path) if path is not None else base.dockerfile,
        lint=window.editor().diagnostics() if path is not None else base.lint,
        probes=probes,
        fixes=fixes,
    )


class ReportExporter(QObject):
    """Writes a report on a thread: environment discovery runs ``go env`` and asks the
    daemon (each with a timeout), which must not freeze the window."""

    finished = Signal(str)  # a status message

    def export(self, path: Path, data: ReportData, dockerfile: Path | None) -> threading.Thread:
        """Start writing ``data`` (plus the environment in force) to ``path``."""
        thread = threading.Thread(
            target=self._run, args=(path, data, dockerfile), name="gbg-report", daemon=True
        )
        thread.start()
        return thread

    def _run(self, path: Path, data: ReportData, dockerfile: Path | None) -> None:
        from gobuildgui.core.environment import discover

        try:
            env = environment_section(discover(dockerfile, go_timeout=5.0, docker_timeout=2.0))
        except Exception:  # discovery is best effort: the report says nothing of it
            env = ()
        data = dataclasses.replace(data, environment=env)
        html = path.suffix.lower() in (".html", ".htm")
        text = build_html(data) if html else build_markdown(data)
        try:
            write_report(path, text)
        except OSError as exc:
            self.finished.emit(f"Cannot write {path}: {exc.strerror or exc}. Nothing was changed.")
            return
        self.finished.emit(f"Report saved to {path}")


def _add_to_file_menu(window: MainWindow, action: QAction) -> None:
    """Put ``action`` into File, above Quit (the window builds its menus itself)."""
    for top in window.menuBar().actions():
        menu = top.menu()
        if isinstance(menu, QMenu) and top.text().replace("&", "") == "File":
            quit_action = getattr(window, "quit_action", None)
            actions = menu.actions()
            if quit_action in actions:
                menu.insertAction(actions[actions.index(quit_action) - 1], action)
            else:
                menu.addAction(action)
            return
    window.addAction(action)


def _families_of(fix_id: str | None) -> tuple[str, ...]:
    if fix_id is None:
        return ()
    from gobuildgui.core.fixes import FIXES

    spec = FIXES.get(fix_id)
    return tuple(spec.verify_probes) if spec is not None else ()
