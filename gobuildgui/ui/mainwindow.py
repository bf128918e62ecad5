"""The main window: the opened Dockerfile and the linter's problems under it.

The text view is read-only for now; editing, squiggles, quick fixes, drag and drop
and the probe panel come with their own issues.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QAction, QFont, QFontDatabase, QKeySequence, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gobuildgui.core.config import discover_config
from gobuildgui.core.dockerfile.lint import lint
from gobuildgui.core.dockerfile.source import load_dockerfile
from gobuildgui.core.errors import Error
from gobuildgui.core.model import Diagnostic, Severity, sort_diagnostics

APP_TITLE = "gobuildgui"
# Drag and drop arrives with the editor; until then say only what works.
EMPTY_STATE_TEXT = "Open a Dockerfile with File \u203a Open (Ctrl+O)"
FILE_FILTER = "Dockerfiles (Dockerfile Dockerfile.* *.Dockerfile *.dockerfile);;All files (*)"

_SEVERITY_ICONS = {
    Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
    Severity.STYLE: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


class ProblemsView(QTreeWidget):
    """The list of diagnostics: Line, Severity, Code, Message."""

    COLUMNS = ("Line", "Severity", "Code", "Message")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(self.COLUMNS))
        self.setHeaderLabels(list(self.COLUMNS))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(True)
        for col in range(len(self.COLUMNS) - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self._diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The diagnostics shown, in row order."""
        return self._diagnostics

    def set_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        """Replace the rows with ``diagnostics`` (ordered by position, worst first)."""
        ordered = tuple(sort_diagnostics(diagnostics))
        self._diagnostics = ordered
        self.clear()
        style = self.style()
        items = []
        for diag in ordered:
            item = QTreeWidgetItem(
                [str(diag.span.line), diag.severity.value, diag.code, diag.message]
            )
            item.setTextAlignment(0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setIcon(1, style.standardIcon(_SEVERITY_ICONS[diag.severity]))
            item.setToolTip(3, "\n".join((diag.message, *diag.notes)))
            items.append(item)
        self.addTopLevelItems(items)

    def diagnostic_at(self, item: QTreeWidgetItem) -> Diagnostic | None:
        """The diagnostic shown by ``item``."""
        row = self.indexOfTopLevelItem(item)
        return self._diagnostics[row] if 0 <= row < len(self._diagnostics) else None


class MainWindow(QMainWindow):
    """A Dockerfile on top, its problems below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._path: Path | None = None
        self.setWindowTitle(APP_TITLE)
        self.resize(1100, 750)

        self.editor = QPlainTextEdit()
        self.editor.setReadOnly(True)
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setStyleHint(QFont.StyleHint.Monospace)  # where "monospace" is no font alias
        self.editor.setFont(mono)
        # Keep the caret visible in the read-only view, so jumping to a problem shows where.
        self.editor.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )

        self.empty_state = QLabel(EMPTY_STATE_TEXT)
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_state.setEnabled(False)  # drawn in the palette's muted text colour
        font = self.empty_state.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.empty_state.setFont(font)

        self._stack = QStackedWidget()
        self._stack.addWidget(self.empty_state)
        self._stack.addWidget(self.editor)

        self.problems = ProblemsView()
        self.problems.itemActivated.connect(self._on_problems_item_activated)
        self.problems_label = QLabel()
        self.problems_label.setIndent(6)
        problems_box = QWidget()
        box_layout = QVBoxLayout(problems_box)
        box_layout.setContentsMargins(0, 4, 0, 0)
        box_layout.addWidget(self.problems_label)
        box_layout.addWidget(self.problems)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self._stack)
        splitter.addWidget(problems_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([460, 240])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self._create_actions()
        self._show_diagnostics(())

    # -- public API -------------------------------------------------------------------

    @property
    def path(self) -> Path | None:
        """The open Dockerfile, or None."""
        return self._path

    @property
    def showing_empty_state(self) -> bool:
        """Whether the "nothing open" placeholder is shown instead of a file."""
        return self._stack.currentWidget() is self.empty_state

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The problems currently listed."""
        return self.problems.diagnostics

    def open_path(self, path: Path) -> None:
        """Load, show and lint the Dockerfile at ``path`` (or the Dockerfile of a folder).

        The project's ``.gobuildgui.toml`` / ``[tool.gobuildgui]`` applies, as in the CLI.

        Raises:
            gobuildgui.core.errors.Error: the file cannot be read or the configuration
                is wrong; the window keeps what it showed.
        """
        loaded = load_dockerfile(path)
        config = discover_config(loaded.path.parent)
        result = lint(loaded.text, project=loaded.project, config=config)
        path = loaded.path
        self._path = path
        self.editor.setPlainText(loaded.text)
        self._stack.setCurrentWidget(self.editor)
        self.setWindowTitle(f"{path.name} — {APP_TITLE}")
        self.setWindowFilePath(str(path))
        self._show_diagnostics(result.diagnostics)
        status = str(path)
        if loaded.invalid_utf8:
            status += " (not valid UTF-8: undecodable bytes are shown as \N{REPLACEMENT CHARACTER})"
        self.statusBar().showMessage(status)

    def close_file(self) -> None:
        """Go back to the empty state."""
        self._path = None
        self.editor.clear()
        self._stack.setCurrentWidget(self.empty_state)
        self.setWindowTitle(APP_TITLE)
        self.setWindowFilePath("")
        self._show_diagnostics(())
        self.statusBar().clearMessage()

    def open_interactively(self, path: Path) -> bool:
        """Like :meth:`open_path`, but tell the user in a dialog when it fails."""
        try:
            self.open_path(path)
        except Error as exc:
            QMessageBox.warning(self, APP_TITLE, str(exc))
            return False
        return True

    # -- internals ----------------------------------------------------------------------

    def _create_actions(self) -> None:
        file_menu = self.menuBar().addMenu("&File")

        self.open_action = QAction("&Open…", self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.setStatusTip("Open a Dockerfile and lint it")
        self.open_action.triggered.connect(self._on_open_action_triggered)
        file_menu.addAction(self.open_action)

        file_menu.addSeparator()

        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self._on_quit_action_triggered)
        file_menu.addAction(self.quit_action)

    def _show_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.problems.set_diagnostics(diagnostics)
        count = len(diagnostics)
        if self._path is None:
            self.problems_label.setText("Problems")
        elif count == 0:
            self.problems_label.setText("Problems: none found")
        else:
            self.problems_label.setText(f"Problems: {count}")

    @Slot()
    def _on_open_action_triggered(self) -> None:
        start = str(self._path.parent) if self._path is not None else str(Path.cwd())
        name, _filter = QFileDialog.getOpenFileName(self, "Open Dockerfile", start, FILE_FILTER)
        if name:
            self.open_interactively(Path(name))

    @Slot()
    def _on_quit_action_triggered(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.quit()

    @Slot(QTreeWidgetItem, int)
    def _on_problems_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        diag = self.problems.diagnostic_at(item)
        if diag is None:
            return
        block = self.editor.document().findBlockByNumber(diag.span.line - 1)
        if not block.isValid():
            return
        cursor = QTextCursor(block)
        column = min(max(diag.span.column - 1, 0), max(block.length() - 1, 0))
        cursor.setPosition(block.position() + column)
        self.editor.setTextCursor(cursor)
        self.editor.centerCursor()
        self.editor.setFocus()
