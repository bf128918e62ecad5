"""The main window: the Dockerfile editor in the centre, problems, probes and build log around it.

The window owns files (open, drop, save, reload, the unsaved-changes guard), the
menus, the status bar and the settings; the editor widget owns text, highlighting,
linting and quick fixes.  The probe panel, the build-log pane and the fix wizard are
plugged in with :meth:`MainWindow.set_probe_panel`, :meth:`MainWindow.set_build_log_pane`
and :meth:`MainWindow.set_wizard_factory`; until then their docks and actions say
what is coming.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QUrl, Signal, Slot
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QDialog,
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QStyle,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

import gobuildgui
from gobuildgui.core.dockerfile.naming import (
    choose_dockerfile,
    folder_dockerfiles,
    go_mod_summary,
)
from gobuildgui.core.dockerfile.source import DEFAULT_MAX_BYTES, find_dockerfile
from gobuildgui.core.errors import InputError
from gobuildgui.core.ids import PROBE_FAMILIES
from gobuildgui.core.model import Diagnostic, Severity
from gobuildgui.core.textfile import (
    NotUtf8Error,
    TextFormat,
    atomic_write,
    digest_bytes,
    encode_text,
    read_text_file,
)
from gobuildgui.ui.editor import DockerfileEditor, RuleDocDialog, severity_icon
from gobuildgui.ui.emptystate import EMPTY_STATE_TEXT, EmptyState
from gobuildgui.ui.filewatch import FileWatcher
from gobuildgui.ui.findbar import FindBar
from gobuildgui.ui.icons import line_icon
from gobuildgui.ui.messages import APP_TITLE, Messages, UnsavedChoice
from gobuildgui.ui.placeholders import (
    BUILD_LOG_PLACEHOLDER,
    PROBES_PLACEHOLDER,
    WIZARD_PLACEHOLDER,
    ComingLater,
)
from gobuildgui.ui.problems import (
    SEVERITY_ORDER,
    SEVERITY_PLURALS,
    ProblemsPanel,
    ProblemsView,
    count_by_severity,
)
from gobuildgui.ui.rulesref import RulesReferenceDialog
from gobuildgui.ui.settings import AppSettings

__all__ = ["APP_TITLE", "EMPTY_STATE_TEXT", "MainWindow", "WizardFactory"]

FILE_FILTER = (
    "Dockerfiles (Dockerfile Dockerfile.* *.Dockerfile *.dockerfile Containerfile"
    " Containerfile.*);;All files (*)"
)
DEFAULT_SIZE = QSize(1200, 800)
# Up to this many lines a file is linted before open_path returns (about 30 ms for 1,000
# lines), so the problems are there at once; bigger files lint on the editor's thread.
SYNC_LINT_MAX_LINES = 1000
STATUS_MS = 15000  # how long a transient status message stays

# (parent, {"fix_id": str | None, "symptom": str | None, "dockerfile": Path | None}) -> dialog
WizardFactory = Callable[[QWidget, dict[str, Any]], QDialog]


def _icon(theme_name: str, fallback: QStyle.StandardPixmap, style: QStyle) -> QIcon:
    return QIcon.fromTheme(theme_name, style.standardIcon(fallback))


class _DropFilter(QObject):
    """Lets file drops on the editor reach the window instead of inserting their URLs."""

    def __init__(self, window: MainWindow) -> None:
        # No reference back to the window: a Python cycle between Qt wrappers is freed by
        # the garbage collector, which may run on a lint thread and crash Qt there.
        super().__init__(window)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragMoveEvent)  # QDragEnterEvent derives from it
            if _local_paths(event.mimeData().urls()):
                event.acceptProposedAction()
                return True
        elif kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            paths = _local_paths(event.mimeData().urls())
            if paths:
                event.acceptProposedAction()
                window = self.parent()
                if isinstance(window, MainWindow):
                    window.open_dropped(paths)
                return True
        return False


def _local_paths(urls: Sequence[QUrl]) -> list[Path]:
    return [Path(u.toLocalFile()) for u in urls if u.isLocalFile() and u.toLocalFile()]


class MainWindow(QMainWindow):
    """The gobuildgui main window.

    Args:
        parent: parent widget.
        settings: where geometry, recent files and the problems filter are kept; the
            platform's config folder (or ``$GOBUILDGUI_CONFIG_DIR``) by default.
        messages: asks the user questions and shows errors; tests pass a recording one.
    """

    document_opened = Signal(object)  # Path of the file just opened (or reloaded)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        settings: AppSettings | None = None,
        messages: Messages | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else AppSettings()
        self.messages = messages if messages is not None else Messages()
        self.max_file_bytes = DEFAULT_MAX_BYTES
        self._path: Path | None = None
        self._format = TextFormat()
        self._wizard_factory: WizardFactory | None = None
        self._wizard: QDialog | None = None
        self._probe_panel: QWidget | None = None
        self._build_log_pane: QWidget | None = None
        self._asking = False  # a reload question is open; do not stack another
        self._doc_dialog: QDialog | None = None
        self._rules_dialog: RulesReferenceDialog | None = None

        self.setObjectName("MainWindow")
        self.setWindowTitle(APP_TITLE)
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)

        self._editor = DockerfileEditor()
        self._editor.setObjectName("editor")
        self._find_bar = FindBar(self._editor)
        self._find_bar.hide()
        editor_page = QWidget()
        page_layout = QVBoxLayout(editor_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.setSpacing(0)
        page_layout.addWidget(self._editor, 1)
        page_layout.addWidget(self._find_bar)
        self._editor_page = editor_page

        self.empty_state = EmptyState()
        self.empty_state.open_requested.connect(self._on_open_action_triggered)
        self.empty_state.recent_activated.connect(self._on_recent_activated)
        self._stack = QStackedWidget()
        self._stack.addWidget(self.empty_state)
        self._stack.addWidget(editor_page)
        self.setCentralWidget(self._stack)

        self._drop_filter = _DropFilter(self)
        self._editor.viewport().installEventFilter(self._drop_filter)

        self._problems_panel = ProblemsPanel()
        self._problems_panel.view.diagnostic_activated.connect(self._on_problems_activated)
        self._problems_panel.view.fix_requested.connect(self._on_problems_fix_requested)
        self._problems_panel.view.wizard_requested.connect(self._on_problems_wizard_requested)
        self._problems_panel.view.documentation_requested.connect(
            self._on_editor_documentation_requested
        )
        self._problems_panel.hidden_severities_changed.connect(self._on_problems_filter_changed)
        self._problems_panel.set_hidden_severities(
            s for s in Severity if s.value in self.settings.hidden_severities()
        )
        self.problems_dock = self._dock("Problems", "problemsDock", self._problems_panel)
        self.build_log_dock = self._dock(
            "Build log",
            "buildLogDock",
            ComingLater("Build-log diagnosis is coming", BUILD_LOG_PLACEHOLDER),
        )
        self.probes_dock = self._dock(
            "Probes", "probesDock", ComingLater("Network probes are coming", PROBES_PLACEHOLDER)
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.problems_dock)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.build_log_dock)
        self.tabifyDockWidget(self.problems_dock, self.build_log_dock)
        self.problems_dock.raise_()
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.probes_dock)
        self.resizeDocks([self.problems_dock], [260], Qt.Orientation.Vertical)
        self.resizeDocks([self.probes_dock], [300], Qt.Orientation.Horizontal)

        self._watcher = FileWatcher(self)
        self._watcher.changed.connect(self._on_watcher_changed)
        self._watcher.removed.connect(self._on_watcher_removed)

        self._create_actions()
        self._create_menus()
        self._create_tool_bar()
        self._create_status_bar()

        self._editor.diagnostics_changed.connect(self._on_editor_diagnostics_changed)
        self._editor.documentation_requested.connect(self._on_editor_documentation_requested)
        self._editor.cursorPositionChanged.connect(self._on_editor_cursor_position_changed)
        self._editor.modificationChanged.connect(self._on_editor_modification_changed)
        self._editor.undoAvailable.connect(self.undo_action.setEnabled)
        self._editor.redoAvailable.connect(self.redo_action.setEnabled)

        self.resize(DEFAULT_SIZE)
        geometry = self.settings.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)
        self._show_empty_state()

    # -- public API ---------------------------------------------------------------------

    def current_path(self) -> Path | None:
        """The open Dockerfile, or None."""
        return self._path

    def editor(self) -> DockerfileEditor:
        """The Dockerfile editor in the centre."""
        return self._editor

    def problems_view(self) -> ProblemsView:
        """The problems list."""
        return self._problems_panel.view

    def problems_panel(self) -> ProblemsPanel:
        """The problems list with its filter buttons."""
        return self._problems_panel

    def find_bar(self) -> FindBar:
        """The find bar under the editor."""
        return self._find_bar

    def text_format(self) -> TextFormat:
        """Encoding, BOM and line ending the open file is saved with."""
        return self._format

    @property
    def showing_empty_state(self) -> bool:
        """Whether the "nothing open" page is shown instead of the editor."""
        return self._stack.currentWidget() is self.empty_state

    def is_modified(self) -> bool:
        """Whether the editor has changes that are not saved."""
        return self._path is not None and self._editor.document().isModified()

    def set_probe_panel(self, widget: QWidget) -> None:
        """Put the real probe panel into the Probes dock (see the UI contract).

        Its ``fix_requested(str)`` opens the fix wizard; ``set_dockerfile(path)`` is
        called whenever a file is opened; ``run_families(families)`` backs Tools › Run
        probes; ``shutdown()`` is called when the window closes.
        """
        self._probe_panel = widget
        self.probes_dock.setWidget(widget)
        fix_requested = getattr(widget, "fix_requested", None)
        if fix_requested is not None:
            fix_requested.connect(self._on_panel_fix_requested)
        self._tell_dockerfile(widget)

    def set_build_log_pane(self, widget: QWidget) -> None:
        """Put the real build-log pane into the Build log dock.

        Its ``probes_requested(list)`` runs those probe families, ``fix_requested(str)``
        opens the fix wizard, ``set_dockerfile(path)`` follows the open file.
        """
        self._build_log_pane = widget
        self.build_log_dock.setWidget(widget)
        probes_requested = getattr(widget, "probes_requested", None)
        if probes_requested is not None:
            probes_requested.connect(self._on_pane_probes_requested)
        fix_requested = getattr(widget, "fix_requested", None)
        if fix_requested is not None:
            fix_requested.connect(self._on_panel_fix_requested)
        self._tell_dockerfile(widget)

    def set_wizard_factory(self, factory: WizardFactory | None) -> None:
        """How Tools › Fix wizard… makes the wizard.

        ``factory(parent, {"fix_id": ..., "symptom": ..., "dockerfile": Path | None})``
        returns the dialog, which the window shows (non-modal).
        """
        self._wizard_factory = factory

    def open_wizard(
        self,
        fix_id: str | None = None,
        symptom: str | None = None,
        diagnostic: Diagnostic | None = None,
    ) -> QDialog | None:
        """Open the fix wizard (or explain that it is coming); the dialog, if any.

        ``diagnostic``: a lint finding of the open file, whose fixes the wizard offers.
        """
        if self._wizard_factory is None:
            self.messages.info(
                self, "The fix wizard is not available yet.", details=WIZARD_PLACEHOLDER
            )
            return None
        options: dict[str, Any] = {
            "fix_id": fix_id,
            "symptom": symptom,
            "dockerfile": self._path,
            "diagnostic": diagnostic,
        }
        dialog = self._wizard_factory(self, options)
        # Each request gets a fresh wizard; a closed one is freed, not kept hidden.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.destroyed.connect(self._on_wizard_destroyed)
        self._wizard = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def run_probes(self, families: Sequence[str] = PROBE_FAMILIES) -> bool:
        """Show the Probes dock and run ``families``; False when no probe panel is plugged in."""
        self.probes_dock.show()
        self.probes_dock.raise_()
        run = getattr(self._probe_panel, "run_families", None)
        if run is None:
            self.statusBar().showMessage(
                "Network probes arrive in a later version; the Probes panel says what they"
                " will check.",
                STATUS_MS,
            )
            return False
        run(list(families))
        return True

    def open_path(self, path: Path, *, encoding: str | None = None) -> Path:
        """Open the Dockerfile at ``path`` (a folder: its Dockerfile) without asking anything.

        Unsaved changes are dropped: callers that must not lose them use
        :meth:`open_interactively`.  Returns the file opened.

        Raises:
            InputError: the file cannot be opened (missing, a folder without a
                Dockerfile, not a regular file, unreadable, too big, binary, or, as
                :class:`NotUtf8Error`, not UTF-8 when no ``encoding`` is given).  The
                window keeps what it showed.
        """
        if path.is_dir():
            path = find_dockerfile(path)
        decoded = read_text_file(path, encoding=encoding, max_bytes=self.max_file_bytes)
        path = path.absolute()
        self._path = path
        self._format = decoded.format
        self._editor.setPlainText(decoded.text)
        self._editor.document().setModified(False)
        self._editor.set_lint_context(path)
        if self._editor.blockCount() <= SYNC_LINT_MAX_LINES:
            self._editor.lint_now()
        else:
            self._problems_panel.set_diagnostics((), has_document=True)
            self._problems_panel.summary.setText("Linting…")
            self._update_counts(())
        self._stack.setCurrentWidget(self._editor_page)
        self._watcher.watch(path, decoded.digest)
        self.settings.add_recent_file(path)
        self._update_recent_menu()
        self._update_title()
        self._update_file_labels()
        self._update_actions()
        self._editor.setFocus()
        notes = []
        if decoded.format.mixed_newlines:
            notes.append(
                f"mixed line endings; saving writes {decoded.format.newline.label} everywhere"
            )
        if self._editor.config_error:
            notes.append(f"configuration ignored: {self._editor.config_error}")
        self.statusBar().showMessage(
            f"Opened {path}" + (f" ({'; '.join(notes)})" if notes else ""), STATUS_MS
        )
        for pane in (self._probe_panel, self._build_log_pane):
            self._tell_dockerfile(pane)
        self.document_opened.emit(path)
        return path

    def open_interactively(self, path: Path) -> bool:
        """Open ``path`` after the unsaved-changes guard, telling the user about failures.

        A file that is not UTF-8 may be opened as Latin-1 if the user agrees.
        """
        if not self._confirm_discard():
            return False
        return self._open_reporting(path)

    def open_dropped(self, paths: Sequence[Path]) -> bool:
        """Open what was dropped: a Dockerfile, a folder, or the first Dockerfile of several."""
        if len(paths) == 1 and paths[0].is_dir():
            return self.open_interactively(paths[0])  # asks when it holds several
        choice = choose_dockerfile(paths)
        if choice.path is None:
            self.messages.warning(self, f"Nothing to open: {choice.reason}.")
            return False
        if not self.open_interactively(choice.path):
            return False
        if choice.ignored:
            opened = self._path.name if self._path is not None else choice.path.name
            ignored = ", ".join(p.name for p in choice.ignored)
            self.statusBar().showMessage(
                f"Opened {opened}; ignored {ignored} (one Dockerfile at a time)", STATUS_MS
            )
        return True

    def save(self) -> bool:
        """Save the open file in its own encoding, BOM and line endings; True on success."""
        if self._path is None:
            return False
        return self._write(self._path)

    def save_as(self, path: Path | None = None) -> bool:
        """Save under a new name (asked for when ``path`` is None); True on success."""
        if self._path is None:
            return False
        if path is None:
            path = self._ask_save_path()
            if path is None:
                return False
        path = path.absolute()
        if not self._write(path):
            return False
        if path != self._path:
            self._path = path
            self._editor.set_lint_context(path)
            self._watcher.watch(path, digest_bytes(path.read_bytes()))
            self.settings.add_recent_file(path)
            self._update_recent_menu()
            self._update_title()
            self._update_file_labels()
            for pane in (self._probe_panel, self._build_log_pane):
                self._tell_dockerfile(pane)
        return True

    def reload(self, *, ask: bool = True) -> bool:
        """Read the open file again; with unsaved changes, ask first (unless ``ask`` is False)."""
        path = self._path
        if path is None:
            return False
        if (
            ask
            and self.is_modified()
            and self.messages.ask_unsaved(self, path.name) is not UnsavedChoice.DISCARD
        ):
            return False
        return self._reload_from_disk(path)

    def close_file(self) -> bool:
        """Close the open file (after the unsaved-changes guard) and show the empty state."""
        if not self._confirm_discard():
            return False
        self._show_empty_state()
        return True

    # -- building the window ------------------------------------------------------------

    def _dock(self, title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        return dock

    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        *,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        tip: str = "",
        icon: QIcon | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(
                f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                if shortcut is not None
                else tip
            )
        if icon is not None:
            action.setIcon(icon)
        action.triggered.connect(slot)
        return action

    def _create_actions(self) -> None:
        style = self.style()
        sp = QStyle.StandardPixmap
        key = QKeySequence.StandardKey
        self.open_action = self._action(
            "&Open…",
            self._on_open_action_triggered,
            shortcut=key.Open,
            tip="Open a Dockerfile, or a folder's Dockerfile",
            icon=_icon("document-open", sp.SP_DialogOpenButton, style),
        )
        self.save_action = self._action(
            "&Save",
            self._on_save_action_triggered,
            shortcut=key.Save,
            tip="Save the Dockerfile (keeps its encoding and line endings)",
            icon=_icon("document-save", sp.SP_DialogSaveButton, style),
        )
        self.save_as_action = self._action(
            "Save &As…",
            self._on_save_as_action_triggered,
            shortcut="Ctrl+Shift+S",
            tip="Save the Dockerfile under another name",
        )
        self.reload_action = self._action(
            "&Reload",
            self._on_reload_action_triggered,
            shortcut=key.Refresh,
            tip="Read the file from disk again",
            icon=_icon("view-refresh", sp.SP_BrowserReload, style),
        )
        self.close_action = self._action(
            "&Close", self._on_close_action_triggered, shortcut=key.Close, tip="Close the file"
        )
        self.quit_action = self._action(
            "&Quit", self._on_quit_action_triggered, shortcut=key.Quit, tip="Quit gobuildgui"
        )
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.clear_recent_action = self._action(
            "&Clear Recent Files", self._on_clear_recent_action_triggered
        )

        self.undo_action = self._action(
            "&Undo",
            self._editor.undo,
            shortcut=key.Undo,
            tip="Undo the last edit",
            icon=line_icon("undo", self.palette()),
        )
        self.redo_action = self._action(
            "&Redo",
            self._editor.redo,
            shortcut=key.Redo,
            tip="Redo the last undone edit",
            icon=line_icon("redo", self.palette()),
        )
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.find_action = self._action(
            "&Find…",
            self._on_find_action_triggered,
            shortcut=key.Find,
            tip="Find text in the Dockerfile",
            icon=_icon("edit-find", sp.SP_FileDialogContentsView, style),
        )
        self.find_next_action = self._action(
            "Find &Next", self._on_find_next_action_triggered, shortcut=key.FindNext
        )
        self.find_previous_action = self._action(
            "Find Pre&vious", self._on_find_previous_action_triggered, shortcut=key.FindPrevious
        )
        # The editor's own action: Ctrl+. works while the editor has the focus.
        self.quick_fix_action = self._editor.quick_fix_action
        self.quick_fix_action.setStatusTip("Show the quick fixes for the problem at the cursor")

        self.next_problem_action = self._action(
            "&Next Problem",
            self._on_next_problem_action_triggered,
            shortcut="F8",
            tip="Go to the next problem",
            icon=line_icon("next", self.palette()),
        )
        self.previous_problem_action = self._action(
            "&Previous Problem",
            self._on_previous_problem_action_triggered,
            shortcut="Shift+F8",
            tip="Go to the previous problem",
            icon=line_icon("previous", self.palette()),
        )

        self.fix_wizard_action = self._action(
            "Fix &wizard…",
            self._on_fix_wizard_action_triggered,
            tip="Guided fixes for proxy, GOPROXY, CA and DNS problems",
            icon=_icon("tools-wizard", sp.SP_DialogApplyButton, style),
        )
        self.run_probes_action = self._action(
            "Run &probes",
            self._on_run_probes_action_triggered,
            tip="Check DNS, proxy, GOPROXY and the Docker daemon from here",
            icon=_icon("network-wired", sp.SP_DriveNetIcon, style),
        )
        self.rules_action = self._action(
            "&Rules Reference",
            self._on_rules_action_triggered,
            shortcut=key.HelpContents,
            tip="Every lint rule with its documentation",
        )
        self.about_action = self._action("&About gobuildgui", self._on_about_action_triggered)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu("Recent &Files", self)
        self.recent_menu.aboutToShow.connect(self._update_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.save_action)
        file_menu.addAction(self.save_as_action)
        file_menu.addAction(self.reload_action)
        file_menu.addAction(self.close_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        edit_menu = bar.addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.find_next_action)
        edit_menu.addAction(self.find_previous_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.quick_fix_action)

        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.next_problem_action)
        view_menu.addAction(self.previous_problem_action)
        view_menu.addSeparator()
        for dock in (self.problems_dock, self.probes_dock, self.build_log_dock):
            view_menu.addAction(dock.toggleViewAction())
        self._view_menu = view_menu

        tools_menu = bar.addMenu("&Tools")
        tools_menu.addAction(self.fix_wizard_action)
        tools_menu.addAction(self.run_probes_action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.rules_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        self._update_recent_menu()

    def _create_tool_bar(self) -> None:
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("mainToolBar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.setIconSize(QSize(18, 18))
        for action in (self.open_action, self.save_action):
            bar.addAction(action)
        bar.addSeparator()
        bar.addAction(self.undo_action)
        bar.addAction(self.redo_action)
        bar.addSeparator()
        bar.addAction(self.find_action)
        bar.addAction(self.previous_problem_action)
        bar.addAction(self.next_problem_action)
        bar.addSeparator()
        bar.addAction(self.fix_wizard_action)
        bar.addAction(self.run_probes_action)
        self.addToolBar(bar)
        self.tool_bar = bar
        self._view_menu.addAction(bar.toggleViewAction())

    def _create_status_bar(self) -> None:
        status = self.statusBar()
        self.position_label = QLabel()
        self.position_label.setToolTip("Cursor line and column")
        self.go_label = QLabel()
        self.format_label = QLabel()
        self.format_label.setToolTip("Encoding and line ending; saving keeps them")
        self.count_buttons: dict[Severity, QToolButton] = {}
        for label in (self.go_label, self.format_label, self.position_label):
            label.setContentsMargins(8, 0, 8, 0)
        status.addPermanentWidget(self.go_label)
        status.addPermanentWidget(self.format_label)
        status.addPermanentWidget(self.position_label)
        for sev in SEVERITY_ORDER:
            button = QToolButton()
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setToolTip(f"{SEVERITY_PLURALS[sev].capitalize()}: show the Problems list")
            button.clicked.connect(self._on_count_button_clicked)
            self.count_buttons[sev] = button
            status.addPermanentWidget(button)
        self._update_counts(())

    # -- state updates -------------------------------------------------------------------

    def _show_empty_state(self) -> None:
        self._path = None
        self._format = TextFormat()
        self._watcher.stop()
        self._editor.set_lint_context(None)
        self._editor.clear()
        self._editor.document().setModified(False)
        self._editor.lint_now()
        self._find_bar.hide()
        self.empty_state.set_recent_files(self.settings.recent_files())
        self._stack.setCurrentWidget(self.empty_state)
        self._problems_panel.set_diagnostics((), has_document=False)
        self._update_counts(())
        self._update_title()
        self._update_file_labels()
        self._update_actions()

    def _update_title(self) -> None:
        if self._path is None:
            self.setWindowTitle(APP_TITLE)
            self.setWindowFilePath("")
            self.setWindowModified(False)
            return
        self.setWindowTitle(f"{self._path.name}[*] — {self._path.parent} — {APP_TITLE}")
        self.setWindowModified(self._editor.document().isModified())

    def _update_file_labels(self) -> None:
        if self._path is None:
            for label in (self.go_label, self.format_label, self.position_label):
                label.clear()
                label.hide()
            return
        self.go_label.setText(go_mod_summary(self._path))
        self.go_label.setToolTip(f"The go line of {self._path.parent / 'go.mod'}")
        fmt = self._format
        self.format_label.setText(fmt.label + (" (mixed)" if fmt.mixed_newlines else ""))
        for label in (self.go_label, self.format_label, self.position_label):
            label.show()
        self._on_editor_cursor_position_changed()

    def _update_actions(self) -> None:
        has_file = self._path is not None
        for action in (
            self.save_action,
            self.save_as_action,
            self.reload_action,
            self.close_action,
            self.find_action,
            self.find_next_action,
            self.find_previous_action,
            self.next_problem_action,
            self.previous_problem_action,
            self.quick_fix_action,
        ):
            action.setEnabled(has_file)
        if not has_file:
            self.undo_action.setEnabled(False)
            self.redo_action.setEnabled(False)

    def _update_counts(self, diagnostics: Sequence[Diagnostic]) -> None:
        counts = count_by_severity(diagnostics)
        palette = self.palette()
        for sev, button in self.count_buttons.items():
            button.setText(str(counts[sev]))
            button.setIcon(severity_icon(sev, palette))
            button.setVisible(self._path is not None)
            button.setAccessibleName(f"{counts[sev]} {SEVERITY_PLURALS[sev]}")

    def _update_recent_menu(self) -> None:
        files = self.settings.recent_files()
        self.recent_menu.clear()
        for number, path in enumerate(files, 1):
            label = f"&{number % 10}  " + f"{path.name}  —  {path.parent}".replace("&", "&&")
            action = self.recent_menu.addAction(label)
            action.setData(str(path))
            action.setStatusTip(str(path))
            action.triggered.connect(self._on_recent_action_triggered)
        if files:
            self.recent_menu.addSeparator()
        else:
            empty = self.recent_menu.addAction("No recent files")
            empty.setEnabled(False)
        self.recent_menu.addAction(self.clear_recent_action)
        self.clear_recent_action.setEnabled(bool(files))
        if self._path is None:
            self.empty_state.set_recent_files(files)

    def _tell_dockerfile(self, widget: QWidget | None) -> None:
        set_dockerfile = getattr(widget, "set_dockerfile", None)
        if set_dockerfile is not None:
            set_dockerfile(self._path)

    # -- files -----------------------------------------------------------------------------

    def _open_reporting(self, path: Path) -> bool:
        if path.is_dir():
            chosen = self._choose_in_folder(path)
            if chosen is None:
                return False
            path = chosen
        try:
            self.open_path(path)
        except NotUtf8Error as exc:
            if not self.messages.ask_encoding(self, exc.message):
                return False
            try:
                self.open_path(path, encoding="latin-1")
            except InputError as again:
                self.messages.warning(self, again.message, details="Nothing was changed.")
                return False
        except InputError as exc:
            self.messages.warning(self, exc.message, details="Nothing was changed.")
            return False
        if self._editor.config_error:
            self.messages.warning(
                self,
                f"The project's gobuildgui configuration was not used: {self._editor.config_error}",
                details="The default rules apply until the file is fixed and the Dockerfile"
                " is opened again.",
            )
        return True

    def _choose_in_folder(self, folder: Path) -> Path | None:
        """The folder's Dockerfile; the user picks when there are several; None: nothing."""
        try:
            return find_dockerfile(folder)
        except InputError as exc:
            candidates = folder_dockerfiles(folder)
            if len(candidates) < 2:
                self.messages.warning(self, exc.message, details="Nothing was changed.")
                return None
        return self.messages.choose_file(
            self,
            f"{folder.name} has several Dockerfiles. Which one do you want to open?",
            candidates,
        )

    def _confirm_discard(self) -> bool:
        """True when it is fine to drop the editor's text (saved, discarded or unchanged)."""
        if not self.is_modified():
            return True
        assert self._path is not None
        choice = self.messages.ask_unsaved(self, self._path.name)
        if choice is UnsavedChoice.SAVE:
            return self.save()
        return choice is UnsavedChoice.DISCARD

    def _write(self, path: Path) -> bool:
        text = self._editor.toPlainText()
        try:
            data = encode_text(text, self._format)
        except UnicodeEncodeError as exc:
            bad = text[exc.start : exc.end]
            line = text.count("\n", 0, exc.start) + 1
            self.messages.warning(
                self,
                f"Cannot save {path.name} as {self._format.encoding.upper()}: line {line} has"
                f" {bad!r}, which that encoding cannot store.",
                details="Remove the character, or convert the file to UTF-8 first."
                " The file on disk was not changed.",
            )
            return False
        try:
            atomic_write(path, data)
        except OSError as exc:
            self.messages.warning(
                self,
                f"Cannot save {path}: {exc.strerror or exc}.",
                details="The file on disk was not changed; your edits are still in the editor.",
            )
            return False
        if path == self._path:
            self._watcher.set_digest(digest_bytes(data))
        self._editor.document().setModified(False)
        self.statusBar().showMessage(f"Saved {path}", STATUS_MS)
        return True

    def _ask_save_path(self) -> Path | None:
        start = str(self._path) if self._path is not None else str(Path.cwd())
        name, _filter = QFileDialog.getSaveFileName(self, "Save Dockerfile As", start, FILE_FILTER)
        return Path(name) if name else None

    def _ask_open_path(self) -> Path | None:
        if self._path is not None:
            start = str(self._path.parent)
        else:
            last = self.settings.last_folder()
            start = str(last) if last is not None else str(Path.home())
        name, _filter = QFileDialog.getOpenFileName(self, "Open Dockerfile", start, FILE_FILTER)
        if not name:
            return None
        self.settings.set_last_folder(Path(name).parent)
        return Path(name)

    def _reload_from_disk(self, path: Path) -> bool:
        """Replace the text with the file's, as one edit: Undo brings the old text back."""
        cursor = self._editor.textCursor()
        line, column = cursor.blockNumber() + 1, cursor.positionInBlock() + 1
        encoding = None if self._format.encoding == "utf-8" else self._format.encoding
        try:
            decoded = read_text_file(path, encoding=encoding, max_bytes=self.max_file_bytes)
        except InputError as exc:
            self.messages.warning(
                self,
                f"Cannot reload {path.name}: {exc.message}",
                details="The editor keeps the text it had.",
            )
            return False
        self._format = decoded.format
        document = self._editor.document()
        if decoded.text != self._editor.toPlainText():
            edit = QTextCursor(document)
            edit.beginEditBlock()
            edit.select(QTextCursor.SelectionType.Document)
            edit.insertText(decoded.text)
            edit.endEditBlock()
        document.setModified(False)
        self._watcher.watch(path, decoded.digest)
        self._update_title()
        self._update_file_labels()
        self._editor.goto_line(line, column)
        self.statusBar().showMessage(f"Reloaded {path} (Undo brings your text back)", STATUS_MS)
        self.document_opened.emit(path)
        return True

    # -- slots: files ------------------------------------------------------------------------

    @Slot()
    def _on_open_action_triggered(self) -> None:
        path = self._ask_open_path()
        if path is not None:
            self.open_interactively(path)

    @Slot(object)
    def _on_recent_activated(self, path: Path) -> None:
        self.open_interactively(path)

    @Slot()
    def _on_recent_action_triggered(self) -> None:
        action = self.sender()
        if isinstance(action, QAction):
            self.open_interactively(Path(str(action.data())))

    @Slot()
    def _on_clear_recent_action_triggered(self) -> None:
        self.settings.clear_recent_files()
        self._update_recent_menu()

    @Slot()
    def _on_save_action_triggered(self) -> None:
        self.save()

    @Slot()
    def _on_save_as_action_triggered(self) -> None:
        self.save_as()

    @Slot()
    def _on_reload_action_triggered(self) -> None:
        self.reload()

    @Slot()
    def _on_close_action_triggered(self) -> None:
        self.close_file()

    @Slot()
    def _on_quit_action_triggered(self) -> None:
        self.close()

    @Slot(object)
    def _on_watcher_changed(self, path: Path) -> None:
        if path != self._path or self._asking:
            return
        if not self._editor.document().isModified():
            if self._reload_from_disk(path):
                self.statusBar().showMessage(f"Reloaded {path.name}: it changed on disk", STATUS_MS)
            return
        self._asking = True
        try:
            reload = self.messages.ask_reload(self, path.name)
        finally:
            self._asking = False
        if reload:
            self._reload_from_disk(path)
        else:
            self.statusBar().showMessage(
                f"Kept your version of {path.name}; saving will overwrite the file on disk",
                STATUS_MS,
            )

    @Slot(object)
    def _on_watcher_removed(self, path: Path) -> None:
        if path != self._path:
            return
        # Marked modified so closing asks: the text now exists only in the editor.
        self._editor.document().setModified(True)
        self.statusBar().showMessage(
            f"{path.name} was deleted or moved on disk; Save writes it again", STATUS_MS
        )

    # -- slots: editing and problems --------------------------------------------------------

    @Slot()
    def _on_find_action_triggered(self) -> None:
        if self._path is not None:
            self._find_bar.open_bar()

    @Slot()
    def _on_find_next_action_triggered(self) -> None:
        if not self._find_bar.field.text():
            self._find_bar.open_bar()
            return
        self._find_bar.find_next()

    @Slot()
    def _on_find_previous_action_triggered(self) -> None:
        if not self._find_bar.field.text():
            self._find_bar.open_bar()
            return
        self._find_bar.find_previous()

    @Slot()
    def _on_next_problem_action_triggered(self) -> None:
        if not self._editor.next_problem():
            self.statusBar().showMessage("No problems", 3000)

    @Slot()
    def _on_previous_problem_action_triggered(self) -> None:
        if not self._editor.previous_problem():
            self.statusBar().showMessage("No problems", 3000)

    @Slot(object)
    def _on_editor_diagnostics_changed(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        has_document = self._path is not None
        shown = diagnostics if has_document else ()
        self._problems_panel.set_diagnostics(shown, has_document=has_document)
        self._update_counts(shown)

    @Slot(object)
    def _on_problems_activated(self, diag: Diagnostic) -> None:
        self._editor.goto_span(diag.span)

    @Slot(object)
    def _on_problems_wizard_requested(self, diag: Diagnostic) -> None:
        self.open_wizard(diagnostic=diag)

    def _on_problems_fix_requested(self, diag: Diagnostic) -> None:
        if self._editor.apply_fix(diag):
            self.statusBar().showMessage(f"Applied the quick fix for {diag.code}", STATUS_MS)
        else:
            self.statusBar().showMessage(
                f"The quick fix for {diag.code} was not applied", STATUS_MS
            )

    @Slot(object)
    def _on_problems_filter_changed(self, hidden: frozenset[Severity]) -> None:
        self.settings.set_hidden_severities(s.value for s in hidden)

    @Slot()
    def _on_count_button_clicked(self) -> None:
        self.problems_dock.show()
        self.problems_dock.raise_()
        self._problems_panel.view.setFocus()

    @Slot()
    def _on_editor_cursor_position_changed(self) -> None:
        if self._path is None:
            return
        cursor = self._editor.textCursor()
        self.position_label.setText(
            f"Ln {cursor.blockNumber() + 1}, Col {cursor.positionInBlock() + 1}"
        )

    @Slot(bool)
    def _on_editor_modification_changed(self, _modified: bool) -> None:
        self._update_title()

    @Slot(str)
    def _on_editor_documentation_requested(self, code: str) -> None:
        dialog = RuleDocDialog(code, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._doc_dialog = dialog
        dialog.show()

    # -- slots: tools and help ----------------------------------------------------------------

    @Slot()
    def _on_fix_wizard_action_triggered(self) -> None:
        self.open_wizard()

    @Slot()
    def _on_wizard_destroyed(self) -> None:
        self._wizard = None

    @Slot(str)
    def _on_panel_fix_requested(self, fix_id: str) -> None:
        self.open_wizard(fix_id=fix_id)

    @Slot(object)
    def _on_pane_probes_requested(self, families: object) -> None:
        names = [str(f) for f in families] if isinstance(families, list | tuple) else []
        self.run_probes(names or PROBE_FAMILIES)

    @Slot()
    def _on_run_probes_action_triggered(self) -> None:
        self.run_probes()

    @Slot()
    def _on_rules_action_triggered(self) -> None:
        if self._rules_dialog is None:
            self._rules_dialog = RulesReferenceDialog(self)
        diag = self._problems_panel.view.current_diagnostic()
        if diag is not None:
            self._rules_dialog.show_rule(diag.code)
        self._rules_dialog.show()
        self._rules_dialog.raise_()

    @Slot()
    def _on_about_action_triggered(self) -> None:
        self.messages.info(
            self,
            f"gobuildgui {gobuildgui.__version__}",
            details="Finds and fixes why go mod download fails inside docker build:"
            " a Dockerfile linter with Go-aware rules, network probes and a fix wizard.",
        )

    # -- Qt events ------------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept drags that carry local files or folders."""
        if _local_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """Keep accepting file drags while they move over the window."""
        if _local_paths(event.mimeData().urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Open the dropped Dockerfile (see :meth:`open_dropped`)."""
        paths = _local_paths(event.mimeData().urls())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_dropped(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Ask about unsaved changes, remember the layout, stop the panels' workers."""
        if not self._confirm_discard():
            event.ignore()
            return
        self.settings.set_window_layout(self.saveGeometry(), self.saveState())
        self._watcher.stop()
        for pane in (self._probe_panel, self._build_log_pane):
            shutdown = getattr(pane, "shutdown", None)
            if shutdown is not None:
                shutdown()
        event.accept()

    def changeEvent(self, event: QEvent) -> None:
        """Redraw severity icons when the palette switches between light and dark."""
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "undo_action"):
            for action, kind in (
                (self.undo_action, "undo"),
                (self.redo_action, "redo"),
                (self.previous_problem_action, "previous"),
                (self.next_problem_action, "next"),
            ):
                action.setIcon(line_icon(kind, self.palette()))
            self._problems_panel.refresh_colours()
            self._update_counts(self._problems_panel.view.all_diagnostics)
        elif event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            # Catch changes the watcher missed (network folders, sleeping laptops).
            self._watcher.check_now()
        super().changeEvent(event)
