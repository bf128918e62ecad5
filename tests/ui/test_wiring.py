"""The assembled window: probe panel, build log with Build/Cancel, and the fix wizard linked.

The probe runs themselves are tested in tests/ui/probes and tests/unit/core/probes; here
the panel's ``run_families`` is recorded instead of run, because a real run would ask the
host's own resolvers (not on loopback).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from gobuildgui.core.build import PROXY_BUILD_ARGS
from gobuildgui.core.probes import ProbeResult, ProbeTarget, Resolver, Status
from gobuildgui.core.probes.discovered import discovered_target
from gobuildgui.ui.app import main_window
from gobuildgui.ui.buildlog import BuildLogPane
from gobuildgui.ui.mainwindow import MainWindow
from gobuildgui.ui.probes.panel import ProbePanel
from gobuildgui.ui.settings import CONFIG_DIR_ENV
from gobuildgui.ui.wiring import BuildLogDock, verifier_for
from gobuildgui.ui.wizard.fixwizard import FixWizard
from tests.testbed.dns import DnsServer
from tests.testbed.docker import Dockerd, go_build_context

REFUSED_GO_BUILD_LOG = (
    "#8 [4/4] RUN go mod download -x\n"
    '#8 0.412 go: example.com/hello@v1.0.0: Get "http://127.0.0.1:9/example.com/hello/@v/'
    'v1.0.0.mod": dial tcp 127.0.0.1:9: connect: connection refused\n'
    '#8 ERROR: process "/bin/sh -c go mod download -x" did not complete successfully:'
    " exit code: 1\n"
)


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "config"))
    monkeypatch.setenv("GOBUILDGUI_HISTORY_DIR", str(tmp_path / "history"))
    win = main_window()
    qtbot.addWidget(win)
    yield win
    win.close()


@pytest.fixture
def ran(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    calls: list[list[str]] = []
    panel = window.probes_dock.widget()
    assert isinstance(panel, ProbePanel)
    monkeypatch.setattr(panel, "run_families", lambda families: calls.append(list(families)))
    return calls


def _dock(window: MainWindow) -> BuildLogDock:
    dock = window.build_log_dock.widget()
    assert isinstance(dock, BuildLogDock)
    return dock


def test_the_real_widgets_replace_the_placeholders(window: MainWindow) -> None:
    assert isinstance(window.probes_dock.widget(), ProbePanel)
    dock = _dock(window)
    assert isinstance(dock.pane, BuildLogPane)
    assert not dock.bar.build_button.isEnabled()  # nothing open: nothing to build


def test_opening_a_dockerfile_enables_build(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("FROM alpine:3.20\nRUN true\n", encoding="utf-8")
    assert window.open_path(path) == path
    dock = _dock(window)
    assert dock.bar.build_button.isEnabled()
    assert dock.pane.dockerfile() == path


def test_a_log_finding_runs_its_probes_and_opens_the_wizard_at_its_fix(
    qtbot: QtBot, window: MainWindow, ran: list[list[str]]
) -> None:
    pane = _dock(window).pane
    pane.set_log_text(REFUSED_GO_BUILD_LOG)
    qtbot.waitUntil(lambda: bool(pane.findings()), timeout=10_000)
    first = pane.findings()[0]
    assert first.probes
    assert first.fixes

    pane.probes_requested.emit(list(first.probes))
    assert ran == [list(first.probes)]

    pane.select_finding(0)
    buttons = pane.fix_buttons()
    assert buttons
    QTest.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
    wizard = window._wizard
    assert isinstance(wizard, FixWizard)
    assert set(wizard.state.candidates) <= set(first.fixes)
    assert wizard.state.candidates
    wizard.reject()


def test_a_failed_probe_opens_the_wizard_at_its_fix(window: MainWindow) -> None:
    panel = window.probes_dock.widget()
    assert isinstance(panel, ProbePanel)
    panel.fix_requested.emit("daemon-dns")
    wizard = window._wizard
    assert isinstance(wizard, FixWizard)
    assert wizard.state.candidates == ("daemon-dns",)
    assert wizard.verifier is not None
    wizard.reject()


def test_the_verifier_runs_real_probes_against_the_bed(
    dns_server: DnsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = discovered_target

    def loopback_only(dockerfile: Path | None) -> ProbeTarget:
        # The bed's resolver only: discovery alone would pick the host's own resolvers.
        bed = Resolver("test bed", dns_server.address, dns_server.port)
        return dataclasses.replace(real(dockerfile), resolvers=(bed,), hosts=("proxy.golang.org",))

    monkeypatch.setattr("gobuildgui.ui.wiring.discovered_target", loopback_only)
    results: Sequence[ProbeResult] = verifier_for(None)(["dns"])
    assert [r.family for r in results] == ["dns"] * len(results)
    assert results
    assert all(r.status is Status.OK for r in results), [r.summary for r in results]


def test_build_from_the_window_streams_and_diagnoses_live(
    qtbot: QtBot,
    window: MainWindow,
    dockerd_bridge: Dockerd,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in PROXY_BUILD_ARGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DOCKER_HOST", dockerd_bridge.host)
    # The daemon (in its own namespace) has the default bridge; nothing listens on port 9
    # inside the build container, so go fails with "connection refused".
    monkeypatch.setenv("GOPROXY", "http://127.0.0.1:9")
    ctx = go_build_context(tmp_path / "app")
    window.show()
    window.open_path(ctx / "Dockerfile")
    dock = _dock(window)
    assert "GOPROXY=http://127.0.0.1:9" in dock.bar.args_label.toolTip() + dock.bar.command_tip

    with qtbot.waitSignal(dock.runner.finished, timeout=240_000) as blocker:
        QTest.mouseClick(dock.bar.build_button, Qt.MouseButton.LeftButton)
    outcome = blocker.args[0]
    assert outcome.rc != 0
    assert not outcome.cancelled
    assert window.build_log_dock.isVisible()
    qtbot.waitUntil(lambda: bool(dock.pane.findings()), timeout=20_000)
    assert "go mod download" in dock.pane.log_text()
    categories = {f.category for f in dock.pane.findings()}
    assert categories & {"goproxy_blocked_or_slow", "proxy_unreachable"}, categories


def test_export_report_holds_everything_and_no_secret(
    qtbot: QtBot,
    window: MainWindow,
    dns_server: DnsServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gobuildgui.core.fixes import FIXES, FixContext, History, Target, apply_plan
    from gobuildgui.core.probes import build_plan, run_plan

    secrets = {
        "proxy": "S3cret-proxy-pw",
        "token": "ghp_abcdefghijklmnopqrstuvwxyz012345",
        "dockerfile": "Hunter2-in-env",
        "log": "Bearer-tok-998877",
        "goproxy": "Go-proxy-pw-4455",
    }
    monkeypatch.setenv("HTTPS_PROXY", f"http://alice:{secrets['proxy']}@proxy.corp.test:3128")
    monkeypatch.setenv("GITHUB_TOKEN", secrets["token"])
    monkeypatch.setenv("GOENV", str(tmp_path / "goenv"))
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")  # no daemon asked
    project = tmp_path / "proj"
    project.mkdir()
    dockerfile = project / "Dockerfile"
    dockerfile.write_text(
        "FROM golang:1.22 AS build\n"
        f"ENV HTTP_PROXY=http://bob:{secrets['dockerfile']}@proxy.corp.test:3128\n"
        "RUN go mod download\n",
        encoding="utf-8",
    )
    window.open_path(dockerfile)
    pane = _dock(window).pane
    pane.set_log_text(REFUSED_GO_BUILD_LOG + f"#8 0.5 > Authorization: Bearer {secrets['log']}\n")
    qtbot.waitUntil(lambda: bool(pane.findings()), timeout=10_000)

    # Real probe results (the bed's resolver), shown in the panel as after a run.
    target = dataclasses.replace(
        discovered_target(None),
        resolvers=(Resolver("test bed", dns_server.address, dns_server.port),),
        hosts=("proxy.golang.org",),
    )
    results = run_plan(build_plan(target, ["dns"]), timeout=5.0)
    panel = window.probes_dock.widget()
    assert isinstance(panel, ProbePanel)
    monkeypatch.setattr(panel, "results", lambda: results)

    # A fix applied for real, its password in the new file.
    goenv = tmp_path / "goenv"
    ctx = FixContext(
        platform="linux", env={"HOME": str(tmp_path)}, overrides={Target.GO_ENV: goenv}
    )
    plan = FIXES["go-proxy"].build(
        {"GOPROXY": f"https://u:{secrets['goproxy']}@goproxy.corp.test,direct"}, ctx
    )
    apply_plan(plan, history=History())

    exporter = window.report_exporter  # type: ignore[attr-defined]
    from gobuildgui.ui.wiring import report_data

    dock = _dock(window)
    for name in ("report.md", "report.html"):
        out = tmp_path / name
        with qtbot.waitSignal(exporter.finished, timeout=30_000) as blocker:
            exporter.export(out, report_data(window, panel, dock), dockerfile)
        assert blocker.args == [f"Report saved to {out}"]
        text = out.read_text(encoding="utf-8")
        for what, value in secrets.items():
            assert value not in text, f"{what} secret leaked into {name}"
        for expected in ("GB126", "GB2", "proxy.golang.org", plan.title, "HTTPS_PROXY"):
            assert expected in text, f"{expected!r} missing from {name}"


def test_a_problem_opens_the_wizard_with_its_fixes(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("FROM golang:1.22\nENV GOPROXY=off\nRUN go mod download\n", encoding="utf-8")
    window.open_path(path)
    view = window.problems_view()
    diag = next(d for d in view.diagnostics if d.code == "GB110")
    menu = view.context_menu_for(diag)
    action = next(a for a in menu.actions() if a.text() == "Fix with the Wizard…")
    action.trigger()
    wizard = window._wizard
    assert isinstance(wizard, FixWizard)
    assert "dockerfile-goproxy" in wizard.state.candidates
    wizard.reject()
    menu.deleteLater()
