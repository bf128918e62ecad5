"""The main window: opening files (API, drop, folder), problems, navigation, docks, actions."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

import pytest
from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt, QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from gobuildgui.core.ids import PROBE_FAMILIES
from gobuildgui.core.model import Severity
from gobuildgui.ui import app as app_module
from gobuildgui.ui.emptystate import EMPTY_STATE_TEXT
from gobuildgui.ui.mainwindow import APP_TITLE, SYNC_LINT_MAX_LINES, MainWindow
from gobuildgui.ui.palette import THEME_ENV, apply_theme, requested_theme
from gobuildgui.ui.settings import CONFIG_DIR_ENV, AppSettings
from tests.ui.window_helpers import LATEST_GO, RecordingMessages, make_window

CLEAN = "# nothing to build yet\n"


@pytest.fixture(autouse=True)
def _private_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Never read or write the developer's real settings, whatever a test constructs.
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path / "default-config"))


@pytest.fixture
def messages() -> RecordingMessages:
    return RecordingMessages()


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path, messages: RecordingMessages) -> MainWindow:
    return make_window(qtbot, tmp_path / "config", messages)


@pytest.fixture
def dockerfile(tmp_path: Path) -> Path:
    path = tmp_path / "proj" / "Dockerfile"
    path.parent.mkdir()
    path.write_text(LATEST_GO, encoding="utf-8")
    return path


def _rows(win: MainWindow) -> list[list[str]]:
    tree = win.problems_view()
    items = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [[item.text(c) for c in range(tree.columnCount())] for item in items if item]


def _drag_enter(pos: QPointF, mime: QMimeData) -> QDragEnterEvent:
    """A drag-enter event; PySide6 6.12 wants a QPointF position, earlier ones a QPoint."""
    args: tuple[Any, ...] = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    make: Any = QDragEnterEvent
    try:
        return cast(QDragEnterEvent, make(pos, *args))
    except TypeError:
        return cast(QDragEnterEvent, make(pos.toPoint(), *args))


def _drop(qtbot: QtBot, target: QWidget, paths: list[Path]) -> bool:
    """Drag ``paths`` over ``target`` and drop them, as a file manager would."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = QPointF(target.rect().center())
    enter = _drag_enter(pos, mime)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False
    drop = QDropEvent(
        pos,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    return drop.isAccepted()


# -- layout and actions -------------------------------------------------------------------


def test_empty_state_when_nothing_is_open(window: MainWindow) -> None:
    assert window.showing_empty_state
    assert window.empty_state.title.text() == EMPTY_STATE_TEXT
    assert window.empty_state.open_button.isVisibleTo(window)
    assert not window.empty_state.recent_list.isVisibleTo(window)  # no recent files yet
    assert window.current_path() is None
    assert window.problems_view().topLevelItemCount() == 0
    assert window.windowTitle() == APP_TITLE
    assert not window.save_action.isEnabled()
    assert window.open_action.isEnabled()


def test_window_basics(window: MainWindow) -> None:
    assert (window.width(), window.height()) == (1200, 800)
    view = window.problems_view()
    assert [view.headerItem().text(c) for c in range(5)] == [
        "Line",
        "Col",
        "Severity",
        "Code",
        "Message",
    ]
    key = QKeySequence.StandardKey
    assert window.open_action.shortcut() == QKeySequence(key.Open)
    assert window.save_action.shortcut() == QKeySequence(key.Save)
    assert window.save_as_action.shortcut() == QKeySequence("Ctrl+Shift+S")
    assert window.quit_action.shortcut() == QKeySequence(key.Quit)
    assert window.find_action.shortcut() == QKeySequence(key.Find)
    assert window.find_next_action.shortcut() == QKeySequence("F3")
    assert window.find_previous_action.shortcut() == QKeySequence("Shift+F3")
    assert window.next_problem_action.shortcut() == QKeySequence("F8")
    assert window.previous_problem_action.shortcut() == QKeySequence("Shift+F8")
    assert window.quick_fix_action.shortcut() == QKeySequence("Ctrl+.")
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&View", "&Tools", "&Help"]
    assert window.editor().isReadOnly() is False
    # Docks say what is coming instead of showing dead buttons.
    for dock in (window.probes_dock, window.build_log_dock):
        text = dock.widget().findChildren(type(window.position_label))
        assert any("in a later version" in label.text() for label in text)
    assert window.probes_dock.windowTitle() == "Probes"
    assert window.build_log_dock.windowTitle() == "Build log"


def test_open_lists_problems(window: MainWindow, dockerfile: Path, qtbot: QtBot) -> None:
    with qtbot.waitSignal(window.document_opened) as opened:
        window.open_path(dockerfile)
    assert opened.args == [dockerfile]
    assert not window.showing_empty_state
    assert window.current_path() == dockerfile
    assert window.editor().toPlainText() == LATEST_GO
    assert window.windowTitle().startswith("Dockerfile")
    assert APP_TITLE in window.windowTitle()

    diags = window.problems_view().diagnostics
    rows = _rows(window)
    assert rows, "FROM golang:latest should produce findings"
    assert len(rows) == len(diags)
    for row, diag in zip(rows, diags, strict=True):
        assert row == [
            str(diag.span.line),
            str(diag.span.column),
            diag.severity.value,
            diag.code,
            diag.message,
        ]
    assert [d.span.start for d in diags] == sorted(d.span.start for d in diags)
    assert "DL3007" in {d.code for d in diags}
    counts = {s: b.text() for s, b in window.count_buttons.items()}
    for sev in Severity:
        assert counts[sev] == str(sum(1 for d in diags if d.severity is sev))
    assert window.go_label.text() == "no go.mod"
    assert window.format_label.text() == "UTF-8 · LF"
    assert window.position_label.text() == "Ln 1, Col 1"


def test_status_bar_shows_go_mod_and_cursor(window: MainWindow, dockerfile: Path) -> None:
    (dockerfile.parent / "go.mod").write_text(
        "module x\n\ngo 1.22\n\ntoolchain go1.22.3\n", encoding="utf-8"
    )
    window.open_path(dockerfile)
    assert window.go_label.text() == "go 1.22 (toolchain go1.22.3)"
    window.editor().goto_line(3, 4)
    assert window.position_label.text() == "Ln 3, Col 4"


def test_problem_activation_moves_the_cursor(
    window: MainWindow, dockerfile: Path, qtbot: QtBot
) -> None:
    window.show()
    window.open_path(dockerfile)
    view = window.problems_view()
    last_row = view.topLevelItemCount() - 1
    item = view.topLevelItem(last_row)
    assert item is not None
    diag = view.diagnostics[last_row]
    assert diag.span.line > 1
    window.editor().goto_line(1, 1)

    rect = view.visualItemRect(item)
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    cursor = window.editor().textCursor()
    assert cursor.blockNumber() == diag.span.line - 1
    assert cursor.selectionStart() == diag.span.start

    # Enter on a row jumps too.
    first = view.topLevelItem(0)
    assert first is not None
    view.setCurrentItem(first)
    view.setFocus()
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert window.editor().textCursor().selectionStart() == view.diagnostics[0].span.start


def test_severity_filter_hides_rows_and_is_remembered(
    window: MainWindow, dockerfile: Path, qtbot: QtBot, tmp_path: Path
) -> None:
    window.open_path(dockerfile)
    panel = window.problems_panel()
    all_diags = panel.view.all_diagnostics
    present = {d.severity for d in all_diags}
    sev = next(iter(present))
    panel.filter_buttons[sev].setChecked(False)
    assert all(d.severity is not sev for d in panel.view.diagnostics)
    assert len(panel.view.diagnostics) < len(all_diags)
    assert "hidden by the filter" in panel.summary.text()
    again = make_window(qtbot, tmp_path / "config", RecordingMessages())
    assert again.problems_panel().view.hidden_severities == frozenset({sev})
    assert not again.problems_panel().filter_buttons[sev].isChecked()


def test_typing_a_problem_lists_it(window: MainWindow, tmp_path: Path, qtbot: QtBot) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text(CLEAN, encoding="utf-8")
    window.show()
    window.open_path(path)
    assert "DL3007" not in {d.code for d in window.problems_view().diagnostics}
    editor = window.editor()
    editor.moveCursor(editor.textCursor().MoveOperation.End)
    editor.setFocus()
    QTest.keyClicks(editor, "FROM golang:latest")
    qtbot.waitUntil(
        lambda: "DL3007" in {d.code for d in window.problems_view().diagnostics}, timeout=5000
    )
    row = next(r for r in _rows(window) if r[3] == "DL3007")
    assert row[0] == "2"
    assert window.is_modified()
    assert window.windowTitle().startswith("Dockerfile*") or window.isWindowModified()


def test_next_and_previous_problem(window: MainWindow, dockerfile: Path) -> None:
    window.open_path(dockerfile)
    starts = sorted({d.span.start for d in window.problems_view().diagnostics})
    window.editor().goto_line(1, 1)
    window.next_problem_action.trigger()
    first = window.editor().textCursor().selectionStart()
    assert first in starts
    window.previous_problem_action.trigger()
    assert window.editor().textCursor().selectionStart() in starts


def test_find_bar(window: MainWindow, dockerfile: Path, qtbot: QtBot) -> None:
    window.show()
    window.open_path(dockerfile)
    bar = window.find_bar()
    assert not bar.isVisible()
    window.find_action.trigger()
    assert bar.isVisible()
    bar.field.setText("go")
    QTest.keyClick(bar.field, Qt.Key.Key_Return)
    first = window.editor().textCursor().selectionStart()
    assert window.editor().textCursor().selectedText().lower() == "go"
    QTest.keyClick(bar.field, Qt.Key.Key_Return)
    second = window.editor().textCursor().selectionStart()
    assert second > first
    QTest.keyClick(bar.field, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert window.editor().textCursor().selectionStart() == first
    bar.field.setText("no such text")
    assert not bar.find_next()
    assert bar.status.text() == "No matches"
    QTest.keyClick(bar.field, Qt.Key.Key_Escape)
    assert not bar.isVisible()


# -- opening: drop, folder, several files ----------------------------------------------------


def test_drop_a_dockerfile(window: MainWindow, dockerfile: Path, qtbot: QtBot) -> None:
    window.show()
    assert _drop(qtbot, window, [dockerfile])
    assert window.current_path() == dockerfile
    assert window.editor().toPlainText() == LATEST_GO


def test_drop_on_the_editor_opens_instead_of_pasting_the_url(
    window: MainWindow, dockerfile: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    window.show()
    other = tmp_path / "api.Dockerfile"
    other.write_text(CLEAN, encoding="utf-8")
    window.open_path(other)
    assert _drop(qtbot, window.editor().viewport(), [dockerfile])
    assert window.current_path() == dockerfile
    assert window.editor().toPlainText() == LATEST_GO
    assert "file://" not in window.editor().toPlainText()


def test_drop_a_folder_opens_its_dockerfile(
    window: MainWindow, dockerfile: Path, qtbot: QtBot
) -> None:
    window.show()
    assert _drop(qtbot, window, [dockerfile.parent])
    assert window.current_path() == dockerfile


def test_drop_several_files_says_which_one_was_opened(
    window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    window.show()
    readme = tmp_path / "README.md"
    readme.write_text("# hi\n", encoding="utf-8")
    dev = tmp_path / "Dockerfile.dev"
    dev.write_text(LATEST_GO, encoding="utf-8")
    prod = tmp_path / "prod.Dockerfile"
    prod.write_text(CLEAN, encoding="utf-8")
    assert _drop(qtbot, window, [readme, dev, prod])
    assert window.current_path() == dev
    message = window.statusBar().currentMessage()
    assert (
        message
        == "Opened Dockerfile.dev; ignored README.md, prod.Dockerfile (one Dockerfile at a time)"
    )


def test_drop_without_a_dockerfile_explains(
    window: MainWindow, messages: RecordingMessages, tmp_path: Path, qtbot: QtBot
) -> None:
    window.show()
    a = tmp_path / "a.txt"
    b = tmp_path / "b.go"
    a.write_text("x", encoding="utf-8")
    b.write_text("y", encoding="utf-8")
    _drop(qtbot, window, [a, b])
    assert window.showing_empty_state
    assert len(messages.warnings) == 1
    assert "none of the dropped files is a Dockerfile (a.txt, b.go)" in messages.warnings[0]


def test_drop_of_text_is_refused(window: MainWindow) -> None:
    mime = QMimeData()
    mime.setText("FROM scratch")
    enter = _drag_enter(QPointF(10, 10), mime)
    QApplication.sendEvent(window, enter)
    assert not enter.isAccepted()


# -- the docks and tools hooks ---------------------------------------------------------------


class _FakeProbePanel(QWidget):
    fix_requested = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.runs: list[list[str]] = []
        self.dockerfiles: list[Path | None] = []
        self.shut_down = False

    def run_families(self, families: list[str]) -> None:
        self.runs.append(list(families))

    def set_dockerfile(self, path: Path | None) -> None:
        self.dockerfiles.append(path)

    def shutdown(self) -> None:
        self.shut_down = True


class _FakeBuildLog(QWidget):
    probes_requested = Signal(list)
    fix_requested = Signal(str)


def test_wizard_action_explains_until_a_factory_is_set(
    window: MainWindow, messages: RecordingMessages, dockerfile: Path
) -> None:
    window.fix_wizard_action.trigger()
    assert len(messages.infos) == 1
    assert "arrives in a later version" in messages.infos[0]

    made: list[dict[str, Any]] = []

    def factory(parent: QWidget, options: dict[str, Any]) -> QDialog:
        made.append(options)
        return QDialog(parent)

    window.set_wizard_factory(factory)
    window.open_path(dockerfile)
    window.fix_wizard_action.trigger()
    assert made == [{"fix_id": None, "symptom": None, "dockerfile": dockerfile, "diagnostic": None}]
    wizard = window._wizard
    assert wizard is not None
    assert wizard.isVisible()
    wizard.close()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert window._wizard is None


def test_plugged_in_panels_are_wired(
    window: MainWindow, dockerfile: Path, messages: RecordingMessages
) -> None:
    panel = _FakeProbePanel()
    log = _FakeBuildLog()
    wizards: list[dict[str, Any]] = []

    def factory(parent: QWidget, options: dict[str, Any]) -> QDialog:
        wizards.append(options)
        return QDialog(parent)

    window.set_wizard_factory(factory)
    window.set_probe_panel(panel)
    window.set_build_log_pane(log)
    assert window.probes_dock.widget() is panel
    assert window.build_log_dock.widget() is log

    window.open_path(dockerfile)
    assert panel.dockerfiles[-1] == dockerfile

    window.run_probes_action.trigger()
    assert panel.runs == [list(PROBE_FAMILIES)]
    log.probes_requested.emit(["dns", "proxy"])
    assert panel.runs[-1] == ["dns", "proxy"]

    panel.fix_requested.emit("daemon-dns")
    log.fix_requested.emit("go-proxy")
    assert [w["fix_id"] for w in wizards] == ["daemon-dns", "go-proxy"]

    window.close()
    assert panel.shut_down


def test_run_probes_without_a_panel_explains(window: MainWindow) -> None:
    window.show()
    window.probes_dock.hide()
    window.run_probes_action.trigger()
    assert window.probes_dock.isVisible()
    assert "later version" in window.statusBar().currentMessage()


def test_rules_reference_opens_on_the_current_problem(window: MainWindow, dockerfile: Path) -> None:
    window.open_path(dockerfile)
    view = window.problems_view()
    row = next(i for i, d in enumerate(view.diagnostics) if d.code == "DL3007")
    item = view.topLevelItem(row)
    assert item is not None
    view.setCurrentItem(item)
    window.rules_action.trigger()
    dialog = window._rules_dialog
    assert dialog is not None
    assert dialog.isVisible()
    current = dialog.rule_list.currentItem()
    assert current is not None
    assert current.text().startswith("DL3007")
    assert "DL3007" in dialog.browser.toPlainText()
    dialog.close()


# -- app start-up and looks -------------------------------------------------------------------


def test_run_opens_the_file_and_returns_the_exit_code(
    qapp: QApplication, dockerfile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = set(QApplication.topLevelWidgets())
    seen: list[tuple[bool, Path | None]] = []

    def fake_exec() -> int:
        # Stands in for the event loop: a real exec() ended with exit() makes every
        # later nested loop (message boxes) return at once on some Qt versions.
        for w in set(QApplication.topLevelWidgets()) - before:
            if isinstance(w, MainWindow):
                seen.append((w.isVisible(), w.current_path()))
                w.close()
                w.deleteLater()
        return 3

    monkeypatch.setattr(qapp, "exec", fake_exec)
    assert app_module.run(str(dockerfile), theme="light") == 3
    assert seen == [(True, dockerfile)]
    assert QApplication.applicationName() == "gobuildgui"
    assert QApplication.style().name().lower() == "fusion"


def test_themes(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(THEME_ENV, "dark")
    assert requested_theme() == "dark"
    assert requested_theme("light") == "light"
    monkeypatch.setenv(THEME_ENV, "purple")
    assert requested_theme() is None
    try:
        assert apply_theme(qapp, "dark") == "dark"
        pal = qapp.palette()
        assert pal.color(pal.ColorRole.Window).lightness() < 80
        assert pal.color(pal.ColorRole.Text).lightness() > 180
        assert apply_theme(qapp, "light") == "light"
        assert qapp.palette().color(pal.ColorRole.Window).lightness() > 200
    finally:
        apply_theme(qapp, "light")


def test_default_settings_folder_follows_the_environment(tmp_path: Path) -> None:
    settings = AppSettings()
    assert settings.path == tmp_path / "default-config" / "gobuildgui.ini"


def test_undo_and_redo_actions(window: MainWindow, dockerfile: Path) -> None:
    window.open_path(dockerfile)
    assert not window.undo_action.isEnabled()
    cursor = window.editor().textCursor()
    cursor.insertText("# edit\n")
    assert window.undo_action.isEnabled()
    window.undo_action.trigger()
    assert window.editor().toPlainText() == LATEST_GO
    assert not window.is_modified()
    assert window.redo_action.isEnabled()
    window.redo_action.trigger()
    assert window.editor().toPlainText() == "# edit\n" + LATEST_GO


def test_cli_passes_the_theme(monkeypatch: pytest.MonkeyPatch) -> None:
    from gobuildgui import cli

    calls: list[tuple[str | None, str | None]] = []

    def fake_run(path: str | None, *, theme: str | None = None) -> int:
        calls.append((path, theme))
        return 0

    monkeypatch.setattr(app_module, "run", fake_run)
    assert cli.main(["gui", "--theme", "dark", "x/Dockerfile"]) == 0
    assert cli.main(["gui"]) == 0
    assert calls == [("x/Dockerfile", "dark"), (None, None)]


def test_problem_context_menu_applies_the_fix_and_opens_docs(
    window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    path = tmp_path / "Dockerfile"
    text = "FROM alpine:3.19\nRUN apk add git\n"
    path.write_text(text, encoding="utf-8")
    window.open_path(path)
    view = window.problems_view()
    diag = next(d for d in view.diagnostics if d.code == "DL3019")
    menu = view.context_menu_for(diag)
    labels = [a.text() for a in menu.actions()]
    assert labels[0] == "Go to Problem"
    fix_action = next(a for a in menu.actions() if a.text().startswith("Quick fix:"))
    fix_action.trigger()
    assert window.editor().toPlainText() != text
    assert "--no-cache" in window.editor().toPlainText()
    qtbot.waitUntil(lambda: all(d.code != "DL3019" for d in view.diagnostics), timeout=5000)
    window.undo_action.trigger()
    assert window.editor().toPlainText() == text

    docs = next(a for a in menu.actions() if a.text() == "Rule Documentation (DL3019)")
    docs.trigger()
    dialog = window._doc_dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert "DL3019" in dialog.windowTitle()
    dialog.close()

    copy = next(a for a in menu.actions() if a.text() == "Copy Message")
    copy.trigger()
    assert QApplication.clipboard().text().startswith(f"2:{diag.span.column} DL3019 ")


def test_big_file_lints_after_open_returns(
    window: MainWindow, tmp_path: Path, qtbot: QtBot
) -> None:
    path = tmp_path / "Dockerfile"
    lines = ["FROM golang:latest"] + [f"# padding {i}" for i in range(SYNC_LINT_MAX_LINES + 10)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    window.open_path(path)
    # Opening did not wait for the lint: the list says so, then fills in.
    assert window.problems_panel().summary.text() == "Linting…"
    assert window.problems_view().topLevelItemCount() == 0
    qtbot.waitUntil(
        lambda: "DL3007" in {d.code for d in window.problems_view().diagnostics}, timeout=10000
    )


@pytest.mark.parametrize("kind", ["undo", "redo", "previous", "next"])
def test_line_icons_follow_the_palette(qapp: QApplication, kind: str) -> None:
    from gobuildgui.ui.icons import line_icon
    from gobuildgui.ui.palette import dark_palette, light_palette

    for palette, bright in ((dark_palette(), True), (light_palette(), False)):
        image = line_icon(kind, palette).pixmap(18, 18).toImage()
        drawn = [
            image.pixelColor(x, y)
            for x in range(image.width())
            for y in range(image.height())
            if image.pixelColor(x, y).alpha() > 200
        ]
        assert drawn, "the icon draws something"
        assert all((c.lightness() > 150) is bright for c in drawn)


def test_line_icon_rejects_unknown_kinds(qapp: QApplication) -> None:
    from gobuildgui.ui.icons import line_icon
    from gobuildgui.ui.palette import light_palette

    with pytest.raises(ValueError, match="unknown icon"):
        line_icon("sideways", light_palette())
