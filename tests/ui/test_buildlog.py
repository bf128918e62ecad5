"""The Build Log pane with pytest-qt: paste, drop, findings, highlights and signals."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from gobuildgui.ui.buildlog import EMPTY_TEXT, BuildLogPane

X509 = (
    'go: golang.org/x/net@v0.1.0: Get "https://proxy.golang.org/golang.org/x/net/@v/v0.1.0.mod": '
    "tls: failed to verify certificate: x509: certificate signed by unknown authority"
)
DNS = (
    'go: github.com/google/uuid@v1.6.0: Get "https://proxy.golang.org/github.com/google/uuid/@v/'
    'v1.6.0.mod": dial tcp: lookup proxy.golang.org on 8.8.8.8:53: no such host'
)
LOG = "\n".join(
    [
        "#8 [builder 4/6] RUN go mod download",
        "#8 0.100 go: downloading golang.org/x/net v0.1.0",
        f"#8 0.200 {X509}",
        f"#8 0.300 {DNS}",
        '#8 ERROR: process "/bin/sh -c go mod download" did not complete successfully: '
        "exit code: 1",
    ]
)


@pytest.fixture
def pane(qtbot: QtBot) -> Iterator[BuildLogPane]:
    w = BuildLogPane()
    qtbot.addWidget(w)
    w.resize(1100, 600)
    w.show()
    yield w
    w.shutdown()


def click(button: QWidget) -> None:
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def _drag_event(cls: Any, pos: QPointF, mime: QMimeData) -> Any:
    """A drag event; PySide6 6.12 wants a QPointF position, earlier ones a QPoint."""
    args = (Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton)
    try:
        return cls(pos, *args, Qt.KeyboardModifier.NoModifier)
    except TypeError:
        return cls(pos.toPoint(), *args, Qt.KeyboardModifier.NoModifier)


def drop(pane: BuildLogPane, mime: QMimeData) -> None:
    """Drag ``mime`` over the pane's centre and release it, as Qt delivers a real drop."""
    pos = QPointF(pane.width() / 2, pane.height() / 2)
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = _drag_event(QDragEnterEvent, pos, mime)
    QApplication.sendEvent(pane, enter)
    assert enter.isAccepted()
    move = _drag_event(QDragMoveEvent, pos, mime)
    QApplication.sendEvent(pane, move)
    QApplication.sendEvent(pane, QDropEvent(pos, Qt.DropAction.CopyAction, mime, buttons, mods))


def wait_findings(qtbot: QtBot, pane: BuildLogPane) -> None:
    qtbot.waitUntil(lambda: not pane.is_busy(), timeout=10_000)


def test_empty_state(pane: BuildLogPane) -> None:
    assert pane.stack.currentIndex() == 0
    assert pane.empty_label.text() == EMPTY_TEXT
    assert not pane.clear_button.isEnabled()


def test_set_text_lists_findings_and_highlights_evidence(qtbot: QtBot, pane: BuildLogPane) -> None:
    with qtbot.waitSignal(pane.findings_changed, timeout=10_000) as blocker:
        pane.set_log_text(LOG)
    codes = [f.code for f in blocker.args[0]]
    assert codes == ["GB230", "GB201"]
    assert pane.findings_list.count() == 2
    assert pane.findings_list.currentRow() == 0
    assert pane.highlighted_lines() == [3, 4]
    # The first finding is selected and the cursor is on its evidence line.
    assert pane.log_view.textCursor().blockNumber() + 1 == 3
    assert "GB230" in pane.detail_label.text()
    assert "2 findings" in pane.status_label.text()


def test_click_jumps_and_buttons_emit(qtbot: QtBot, pane: BuildLogPane) -> None:
    pane.set_log_text(LOG)
    wait_findings(qtbot, pane)
    pane.select_finding(1)
    assert pane.log_view.textCursor().blockNumber() + 1 == 4
    assert pane.probes_button.text() == "Run probes: dns, container"
    with qtbot.waitSignal(pane.probes_requested) as probes:
        click(pane.probes_button)
    assert probes.args == [["dns", "container"]]
    buttons = pane.fix_buttons()
    assert buttons[0].text() == "Fix: Set the Docker daemon's DNS servers"
    with qtbot.waitSignal(pane.fix_requested) as fix:
        click(buttons[0])
    assert fix.args == ["daemon-dns"]
    pane.select_finding(0)
    assert [b.objectName() for b in pane.fix_buttons()] == ["buildLogFix-dockerfile-ca-cert"]


def test_paste_shortcut_and_button(qtbot: QtBot, pane: BuildLogPane) -> None:
    QGuiApplication.clipboard().setText(DNS)
    pane.setFocus()
    QTest.keyClick(pane, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    wait_findings(qtbot, pane)
    assert [f.code for f in pane.findings()] == ["GB201"]
    QGuiApplication.clipboard().setText(X509)
    click(pane.paste_button)
    wait_findings(qtbot, pane)
    assert [f.code for f in pane.findings()] == ["GB230"]
    assert pane.log_text() == X509


def test_drop_a_log_file(qtbot: QtBot, pane: BuildLogPane, tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_bytes(LOG.replace("\n", "\r\n").encode())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(log))])
    drop(pane, mime)
    wait_findings(qtbot, pane)
    assert [f.code for f in pane.findings()] == ["GB230", "GB201"]
    assert "\r" not in pane.log_text()
    assert pane.highlighted_lines() == [3, 4]


def test_drop_text(qtbot: QtBot, pane: BuildLogPane) -> None:
    mime = QMimeData()
    mime.setText(DNS)
    drop(pane, mime)
    wait_findings(qtbot, pane)
    assert [f.code for f in pane.findings()] == ["GB201"]


def test_unreadable_drop_keeps_the_log(qtbot: QtBot, pane: BuildLogPane, tmp_path: Path) -> None:
    pane.set_log_text(LOG)
    wait_findings(qtbot, pane)
    assert not pane.load_file(tmp_path / "missing.log")
    assert "Cannot read" in pane.status_label.text()
    assert pane.log_text().startswith("#8 [builder")


def test_streaming_append(qtbot: QtBot, pane: BuildLogPane) -> None:
    for piece in ("#8 [builder 4/6] RUN go mod", " download\n#8 0.2 ", X509[:30], X509[30:] + "\n"):
        pane.append_log_text(piece)
    qtbot.waitUntil(lambda: [f.code for f in pane.findings()] == ["GB230"], timeout=10_000)
    assert pane.stack.currentIndex() == 1
    assert pane.highlighted_lines() == [2]
    pane.append_log_text(f"\x1b[31m#8 0.3 {DNS}\x1b[0m")  # no newline yet
    pane.finish_log()
    qtbot.waitUntil(lambda: len(pane.findings()) == 2, timeout=10_000)
    assert pane.log_text().endswith(f"#8 0.3 {DNS}")


def test_clear(qtbot: QtBot, pane: BuildLogPane) -> None:
    pane.set_log_text(LOG)
    wait_findings(qtbot, pane)
    click(pane.clear_button)
    assert pane.stack.currentIndex() == 0
    assert pane.findings() == []
    assert pane.log_text() == ""


def test_newer_log_wins_over_a_late_result(qtbot: QtBot, pane: BuildLogPane) -> None:
    pane.set_log_text("\n".join([DNS] * 5_000))
    pane.set_log_text(X509)
    wait_findings(qtbot, pane)
    assert [f.code for f in pane.findings()] == ["GB230"]


def test_big_log_does_not_block(qtbot: QtBot, pane: BuildLogPane) -> None:
    noise = "#8 1.0 go: downloading github.com/foo/bar v1.2.3\n" * 100_000  # ~5 MB
    pane.set_log_text(noise + f"#8 2.0 {DNS}\n")
    assert pane.is_busy()
    wait_findings(qtbot, pane)
    (f,) = pane.findings()
    assert f.line == 100_001
    assert pane.highlighted_lines() == [100_001]


def test_set_dockerfile_shown(pane: BuildLogPane, tmp_path: Path) -> None:
    pane.set_dockerfile(tmp_path / "Dockerfile")
    assert pane.dockerfile() == tmp_path / "Dockerfile"
    assert "Dockerfile:" in pane.status_label.text()


def test_secret_in_log_is_masked_in_details(qtbot: QtBot, pane: BuildLogPane) -> None:
    line = DNS + " HTTPS_PROXY=http://bob:hunter2-secret@proxy.corp:3128"
    pane.set_log_text(line)
    wait_findings(qtbot, pane)
    assert "hunter2-secret" not in pane.detail_label.text()
    assert "hunter2-secret" not in pane.findings_list.item(0).toolTip()


def test_export_report(qtbot: QtBot, pane: BuildLogPane, tmp_path: Path) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("FROM golang:1.22\nENV HTTPS_PROXY=http://a:S3cretPw99@p.corp:3128\n")
    pane.set_dockerfile(dockerfile)
    pane.set_log_text(LOG + "\n#8 0.4 HTTPS_PROXY=http://a:S3cretPw99@p.corp:3128\n")
    wait_findings(qtbot, pane)
    md, page = tmp_path / "r.md", tmp_path / "r.html"
    assert pane.export_report(md)
    assert pane.export_report(page)
    text = md.read_text()
    assert "GB230" in text
    assert "## Dockerfile lint" in text
    assert "GB126" in text  # the lint finding about the proxy password in ENV
    assert page.read_text().startswith("<!DOCTYPE html>")
    for out in (md, page):
        assert "S3cretPw99" not in out.read_text()
    assert not pane.export_report(tmp_path / "no-such-dir" / "r.md")
    assert "Cannot write" in pane.status_label.text()


def test_huge_log_shows_its_end_with_true_line_numbers(
    qtbot: QtBot, pane: BuildLogPane, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gobuildgui.ui.buildlog as buildlog

    monkeypatch.setattr(buildlog, "MAX_SHOWN_CHARS", 10_000)
    noise = "#8 1.0 go: downloading github.com/foo/bar v1.2.3\n" * 1000  # ~50 kB
    pane.set_log_text(f"#8 0.5 {X509}\n" + noise + f"#8 2.0 {DNS}\n")
    wait_findings(qtbot, pane)
    assert [f.line for f in pane.findings()] == [1, 1002]
    first = pane.shown_from_line()
    assert first > 1
    assert pane.log_text().count("\n") == 1002 - first + 1
    assert pane.highlighted_lines() == [1002]  # line 1 is not in the view
    pane.select_finding(1)
    assert pane.log_view.textCursor().blockNumber() + first == 1002
    assert f"from line {first}" in pane.status_label.text()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_huge_file_is_streamed(
    qtbot: QtBot,
    pane: BuildLogPane,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    encoding: str,
) -> None:
    import gobuildgui.ui.buildlog as buildlog

    monkeypatch.setattr(buildlog, "MAX_SHOWN_CHARS", 10_001)
    noise = "#8 1.0 go: downloading github.com/foo/bar v1.2.3\n" * 1000
    log = tmp_path / "huge.log"
    log.write_bytes((f"#8 0.5 {X509}\n" + noise + f"#8 2.0 {DNS}\n").encode(encoding))
    assert pane.load_file(log)
    wait_findings(qtbot, pane)
    assert [f.line for f in pane.findings()] == [1, 1002]
    assert pane.highlighted_lines() == [1002]
    first = pane.shown_from_line()
    assert pane.log_text().split("\n")[1002 - first] == f"#8 2.0 {DNS}"


def test_paste_with_focus_in_the_log_view(qtbot: QtBot, pane: BuildLogPane) -> None:
    pane.set_log_text(LOG)
    wait_findings(qtbot, pane)
    QGuiApplication.clipboard().setText(DNS)
    pane.log_view.setFocus()
    QTest.keyClick(pane.log_view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    wait_findings(qtbot, pane)
    assert pane.log_text() == DNS
    assert [f.code for f in pane.findings()] == ["GB201"]


def test_live_log_view_stays_bounded(
    qtbot: QtBot, pane: BuildLogPane, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gobuildgui.ui.buildlog as buildlog

    monkeypatch.setattr(buildlog, "MAX_SHOWN_LINES", 100)
    pane.append_log_text(f"#8 0.1 {X509}\n")
    for i in range(300):
        pane.append_log_text(f"#8 1.{i:03d} go: downloading github.com/foo/bar{i} v1.2.3\n")
    pane.append_log_text(f"#8 2.0 {DNS}\n")
    pane.finish_log()
    qtbot.waitUntil(lambda: len(pane.findings()) == 2, timeout=10_000)
    assert pane.log_view.document().blockCount() <= 121
    assert [f.line for f in pane.findings()] == [1, 302]
    assert pane.highlighted_lines() == [302]  # line 1 left the view
    first = pane.shown_from_line()
    assert pane.log_text().split("\n")[302 - first] == f"#8 2.0 {DNS}"
