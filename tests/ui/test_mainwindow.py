"""The main window: empty state, opening a Dockerfile, the problems list."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFontInfo, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from gobuildgui.core.errors import InputError
from gobuildgui.ui import app as app_module
from gobuildgui.ui.mainwindow import APP_TITLE, EMPTY_STATE_TEXT, MainWindow

LATEST_GO = "FROM golang:latest\nWORKDIR /src\nCOPY . .\nRUN go mod download\n"


@pytest.fixture
def window(qtbot: QtBot) -> MainWindow:
    win = MainWindow()
    qtbot.addWidget(win)
    return win


@pytest.fixture
def dockerfile(tmp_path: Path) -> Path:
    path = tmp_path / "Dockerfile"
    path.write_text(LATEST_GO, encoding="utf-8")
    return path


def _rows(win: MainWindow) -> list[list[str]]:
    tree = win.problems
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [[item.text(c) for c in range(tree.columnCount())] for item in items if item]


def test_empty_state_when_nothing_is_open(window: MainWindow) -> None:
    assert window.showing_empty_state
    assert window.empty_state.text() == EMPTY_STATE_TEXT
    assert window.path is None
    assert window.problems.topLevelItemCount() == 0
    assert window.windowTitle() == APP_TITLE


def test_window_basics(window: MainWindow) -> None:
    assert (window.width(), window.height()) == (1100, 750)
    assert [window.problems.headerItem().text(c) for c in range(4)] == [
        "Line",
        "Severity",
        "Code",
        "Message",
    ]
    assert window.open_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Open)
    assert window.quit_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    assert window.editor.isReadOnly()
    assert QFontInfo(window.editor.font()).fixedPitch()


def test_open_lists_problems_of_latest_tag(window: MainWindow, dockerfile: Path) -> None:
    window.open_path(dockerfile)

    assert not window.showing_empty_state
    assert window.path == dockerfile
    assert window.editor.toPlainText() == LATEST_GO
    assert dockerfile.name in window.windowTitle()
    assert APP_TITLE in window.windowTitle()

    rows = _rows(window)
    assert rows, "FROM golang:latest should produce at least one finding"
    assert len(rows) == len(window.diagnostics)
    for row, diag in zip(rows, window.diagnostics, strict=True):
        assert row == [str(diag.span.line), diag.severity.value, diag.code, diag.message]
    # At least one finding points at the FROM line.
    assert "1" in [row[0] for row in rows]


def test_activating_a_problem_moves_the_cursor(window: MainWindow, dockerfile: Path) -> None:
    window.open_path(dockerfile)
    tree = window.problems
    last = tree.topLevelItem(tree.topLevelItemCount() - 1)
    assert last is not None
    diag = window.diagnostics[-1]

    tree.itemActivated.emit(last, 0)

    assert window.editor.textCursor().blockNumber() == diag.span.line - 1


def test_open_a_folder_finds_its_dockerfile(window: MainWindow, dockerfile: Path) -> None:
    window.open_path(dockerfile.parent)
    assert window.path == dockerfile
    assert window.problems.topLevelItemCount() > 0


def test_failed_open_keeps_the_empty_state(window: MainWindow, tmp_path: Path) -> None:
    with pytest.raises(InputError):
        window.open_path(tmp_path / "missing" / "Dockerfile")
    assert window.showing_empty_state
    assert window.path is None


def test_open_interactively_reports_errors_in_a_dialog(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def fake_warning(parent: QWidget, title: str, text: str) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", fake_warning)
    assert not window.open_interactively(tmp_path / "nope")
    assert len(shown) == 1
    assert "nope" in shown[0]
    assert window.showing_empty_state


def test_close_file_returns_to_the_empty_state(window: MainWindow, dockerfile: Path) -> None:
    window.open_path(dockerfile)
    window.close_file()
    assert window.showing_empty_state
    assert window.problems.topLevelItemCount() == 0
    assert window.windowTitle() == APP_TITLE


def test_clean_dockerfile_lists_nothing(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("# nothing to build yet\n", encoding="utf-8")
    window.open_path(path)
    assert not window.showing_empty_state
    assert window.problems.topLevelItemCount() == len(window.diagnostics)


def test_run_opens_the_file_and_returns_the_exit_code(qapp: QApplication, dockerfile: Path) -> None:
    before = set(QApplication.topLevelWidgets())
    seen: list[tuple[bool, Path | None]] = []

    def inspect_then_quit() -> None:
        for w in set(QApplication.topLevelWidgets()) - before:
            if isinstance(w, MainWindow):
                seen.append((w.isVisible(), w.path))
        QApplication.exit(3)

    QTimer.singleShot(0, inspect_then_quit)
    assert app_module.run(str(dockerfile)) == 3
    assert seen == [(True, dockerfile)]
    assert QApplication.applicationName() == "gobuildgui"
    assert QApplication.organizationName() == "gobuildgui"
