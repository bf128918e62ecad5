"""The Dockerfile editor widget: highlighting, lint as you type, squiggles and quick fixes.

See the package docstring (:mod:`gobuildgui.ui.editor`) for the public API.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QCursor,
    QFont,
    QFontDatabase,
    QFontMetrics,
    QGuiApplication,
    QHideEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from gobuildgui.core.config import LintConfig, discover_config
from gobuildgui.core.errors import Error
from gobuildgui.core.model import Applicability, Diagnostic, Span, apply_edits
from gobuildgui.core.secrets import redact
from gobuildgui.ui.editor.highlighter import DockerfileHighlighter
from gobuildgui.ui.editor.linting import (
    LintJob,
    LintOutcome,
    LintRequest,
    LintSignals,
    OffsetMap,
    background_lint_finished,
    background_lint_started,
    freeze_startup_heap,
    run_lint,
)
from gobuildgui.ui.editor.theme import (
    EditorTheme,
    lightbulb_pixmap,
    severity_pixmap,
    theme_for_palette,
)

DEFAULT_DEBOUNCE_MS = 200
DOC_LINK = "doc:"  # href prefix of a rule-documentation link in the hover popup
FIX_LINK = "fix:"  # href prefix of a quick-fix link (followed by the diagnostic's index)
_BRACKETS = {"(": ")", "[": "]", "{": "}"}
_CLOSERS = {v: k for k, v in _BRACKETS.items()}
_QUOTES = ('"', "'")
_CODE_RE = re.compile(r"`([^`]+)`")


def applicable(diag: Diagnostic) -> bool:
    """Whether ``diag`` has a fix the editor can apply (safe or unsafe, not display-only)."""
    fix = diag.fix
    return (
        fix is not None and bool(fix.edits) and fix.applicability is not Applicability.DISPLAY_ONLY
    )


def fix_label(diag: Diagnostic) -> str:
    """The menu text of ``diag``'s fix: ``Quick fix: <title>`` plus ``(unsafe)``."""
    assert diag.fix is not None
    label = f"Quick fix: {redact(diag.fix.title)}"
    if diag.fix.applicability is Applicability.UNSAFE:
        label += " (unsafe)"
    return label


class _Anchor:
    """A shown diagnostic and a cursor over its span that follows later edits."""

    __slots__ = ("cursor", "diag")

    def __init__(self, diag: Diagnostic, cursor: QTextCursor) -> None:
        self.diag = diag
        self.cursor = cursor

    @property
    def start(self) -> int:
        return self.cursor.selectionStart()

    @property
    def end(self) -> int:
        return self.cursor.selectionEnd()


class DockerfileEditor(QPlainTextEdit):
    """A plain-text editor for one Dockerfile that lints as the user types.

    Args:
        parent: the parent widget.
        confirm_unsafe: asked before an unsafe fix is applied; returns whether to go on.
            None asks the user with a message box.
        debounce_ms: quiet time after the last keystroke before a lint starts.
    """

    diagnostics_changed = Signal(object)  # tuple[Diagnostic, ...], sorted, after every lint
    documentation_requested = Signal(str)  # a rule code

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        confirm_unsafe: Callable[[Diagnostic], bool] | None = None,
        debounce_ms: int = DEFAULT_DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self.confirm_unsafe = confirm_unsafe
        self._path: Path | None = None
        self._config: LintConfig | None = None
        self._config_error: str | None = None
        self._diagnostics: tuple[Diagnostic, ...] = ()
        self._anchors: list[_Anchor] = []
        self._lint_text = ""
        self._offsets = OffsetMap("")
        self._generation = 0  # bumped by every change of the text or of the lint context
        self._shown_generation = 0
        self._job: LintJob | None = None
        self._retired_job: LintJob | None = None
        self._diag_selections: list[QTextEdit.ExtraSelection] = []
        self._line_marks: dict[int, list[Diagnostic]] | None = None  # block number -> diags
        self._fix_menu: QMenu | None = None

        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(monospace_font())
        self.setTabStopDistance(self.fontMetrics().horizontalAdvance(" ") * 4)
        self.setMouseTracking(True)

        self._theme = theme_for_palette(self.palette())
        self._highlighter = DockerfileHighlighter(self.document(), self._theme)
        self._gutter = _Gutter(self)
        self._popup = _HoverPopup(self)

        # The pool is created before the signal carrier: children die in creation order,
        # so the pool's destructor waits for a running lint while the carrier still exists.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = LintSignals(self)
        self._signals.finished.connect(self._on_lint_finished)

        self._lint_timer = QTimer(self)
        self._lint_timer.setSingleShot(True)
        self._lint_timer.setInterval(debounce_ms)
        self._lint_timer.timeout.connect(self._on_lint_timer_timeout)

        self.quick_fix_action = QAction("Quick Fix…", self)
        self.quick_fix_action.setShortcut("Ctrl+.")
        self.quick_fix_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.quick_fix_action.triggered.connect(self._on_quick_fix_action_triggered)
        self.addAction(self.quick_fix_action)

        self.blockCountChanged.connect(self._on_editor_block_count_changed)
        self.updateRequest.connect(self._on_editor_update_request)
        self.cursorPositionChanged.connect(self._on_editor_cursor_position_changed)
        self.textChanged.connect(self._on_editor_text_changed)
        self.document().contentsChange.connect(self._on_document_contents_change)
        self._update_gutter_width()
        self._update_extra_selections()
        freeze_startup_heap()

    # -- lint context and results -------------------------------------------------------

    @property
    def path(self) -> Path | None:
        """The Dockerfile's path given to :meth:`set_lint_context`, or None."""
        return self._path

    @property
    def config_error(self) -> str | None:
        """Why the project's configuration could not be read (defaults are used), or None."""
        return self._config_error

    def set_lint_context(self, path: Path | None, config: LintConfig | None = None) -> None:
        """Lint as the Dockerfile at ``path`` (its folder gives go.mod, go.sum,
        .dockerignore and, when ``config`` is None, the configuration); re-lints now."""
        self._path = path
        self._config_error = None
        if config is None and path is not None:
            try:
                config = discover_config(path.parent)
            except Error as exc:
                self._config_error = str(exc)
                config = None
        self._config = config
        self._generation += 1
        self._lint_timer.start(0)

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The diagnostics shown (sorted), from the latest finished lint."""
        return self._diagnostics

    def lint_pending(self) -> bool:
        """Whether the shown diagnostics are older than the text (a lint is due or running)."""
        return (
            self._lint_timer.isActive()
            or self._job is not None
            or self._shown_generation != self._generation
        )

    def lint_now(self) -> None:
        """Lint the current text on this thread and show the result at once."""
        self._lint_timer.stop()
        request = LintRequest(self._generation, self.toPlainText(), self._path, self._config)
        self._show_outcome(run_lint(request))

    def set_debounce(self, ms: int) -> None:
        """Quiet time after a keystroke before linting (milliseconds)."""
        self._lint_timer.setInterval(ms)

    def _on_document_contents_change(self, position: int, removed: int, added: int) -> None:
        if position == 0 and added == self.document().characterCount() and self._anchors:
            # The whole text was replaced (setPlainText, reload): the old squiggles
            # would all collapse onto line 1, so drop them until the new lint lands.
            self._anchors = []
            self._diag_selections = []
            self._update_extra_selections()
            self._lint_timer.start(0)

    def _on_editor_text_changed(self) -> None:
        self._generation += 1
        self._line_marks = None
        self._popup.hide()
        self._lint_timer.start(self._lint_timer.interval())

    def _on_lint_timer_timeout(self) -> None:
        self._start_lint()

    def _start_lint(self) -> None:
        if self._job is not None:
            return  # one at a time: _on_lint_finished starts the next one
        # The snapshot is taken here, on the UI thread; the job only sees this string.
        request = LintRequest(self._generation, self.toPlainText(), self._path, self._config)
        self._job = LintJob(request, self._signals)
        background_lint_started()
        self._pool.start(self._job)

    def _on_lint_finished(self, outcome: object) -> None:
        assert isinstance(outcome, LintOutcome)
        # Keep the finished job alive until the next one finishes: its run() may still be
        # unwinding on the pool thread when this queued slot runs.
        self._retired_job = self._job
        self._job = None
        background_lint_finished()
        if outcome.generation == self._generation:
            if outcome.generation != self._shown_generation:
                self._show_outcome(outcome)
        elif not self._lint_timer.isActive():
            self._start_lint()  # stale: the text changed while it ran and is quiet now

    def _show_outcome(self, outcome: LintOutcome) -> None:
        self._shown_generation = outcome.generation
        self._lint_text = outcome.text
        self._offsets = OffsetMap(outcome.text)
        self._diagnostics = outcome.diagnostics
        self._rebuild_anchors()
        self.diagnostics_changed.emit(self._diagnostics)

    def _rebuild_anchors(self) -> None:
        doc = self.document()
        size = doc.characterCount() - 1
        to_qt = self._offsets.to_qt
        anchors: list[_Anchor] = []
        for diag in self._diagnostics:
            start = min(to_qt(diag.span.start), size)
            end = min(to_qt(diag.span.end), size)
            cursor = QTextCursor(doc)
            if end <= start:
                # Zero-width span: underline the character after it (or before, at a
                # line end) so there is something to see and to hover.
                cursor.setPosition(start)
                cursor.movePosition(
                    QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor
                )
                if cursor.selectedText() in ("", "\u2029"):
                    cursor.setPosition(start)
                    if not cursor.atBlockStart():
                        cursor.movePosition(
                            QTextCursor.MoveOperation.PreviousCharacter,
                            QTextCursor.MoveMode.KeepAnchor,
                        )
            else:
                cursor.setPosition(start)
                cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            anchors.append(_Anchor(diag, cursor))
        self._anchors = anchors
        self._line_marks = None
        # Worst severity drawn last, so it wins where squiggles overlap.
        selections: list[QTextEdit.ExtraSelection] = []
        for anchor in sorted(anchors, key=lambda a: a.diag.severity.rank):
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            fmt.setUnderlineColor(self._theme.severity(anchor.diag.severity))
            sel.format = fmt
            sel.cursor = QTextCursor(anchor.cursor)
            selections.append(sel)
        self._diag_selections = selections
        self._update_extra_selections()
        self._gutter.update()

    # -- navigation ------------------------------------------------------------------------

    def goto_span(self, span: Span) -> None:
        """Select ``span`` (offsets into the linted text), scroll to it and focus.

        The span of a shown diagnostic follows the edits made since its lint.
        """
        for anchor in self._anchors:
            if anchor.diag.span is span:
                self._select(anchor.start, anchor.end)
                return
        size = self.document().characterCount() - 1
        start = min(self._offsets.to_qt(span.start), size)
        end = min(self._offsets.to_qt(span.end), size)
        self._select(start, end)

    def goto_line(self, line: int, column: int = 1) -> None:
        """Put the cursor at 1-based ``line`` and ``column`` (clamped) and scroll to it."""
        doc = self.document()
        block = doc.findBlockByNumber(min(max(line, 1), doc.blockCount()) - 1)
        pos = block.position() + min(max(column, 1) - 1, max(block.length() - 1, 0))
        self._select(pos, pos)

    def _select(self, start: int, end: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(end)
        cursor.setPosition(start, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def next_problem(self) -> bool:
        """Select the next problem after the cursor (wrapping); False if there is none."""
        starts = sorted({(a.start, a.end) for a in self._anchors})
        if not starts:
            return False
        here = self.textCursor().selectionStart()
        target = next((s for s in starts if s[0] > here), starts[0])
        self._select(*target)
        return True

    def previous_problem(self) -> bool:
        """Select the problem before the cursor (wrapping); False if there is none."""
        starts = sorted({(a.start, a.end) for a in self._anchors})
        if not starts:
            return False
        here = self.textCursor().selectionStart()
        target = next((s for s in reversed(starts) if s[0] < here), starts[-1])
        self._select(*target)
        return True

    def find(  # type: ignore[override]
        self, text: str, *, backward: bool = False, case_sensitive: bool = False
    ) -> bool:
        """Select the next (or previous) occurrence of ``text``, wrapping around."""
        if not text:
            return False
        flags = QTextDocument.FindFlag(0)
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        if case_sensitive:
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        doc = self.document()
        found = doc.find(text, self.textCursor(), flags)
        if found.isNull():
            wrap = QTextCursor(doc)
            if backward:
                wrap.movePosition(QTextCursor.MoveOperation.End)
            found = doc.find(text, wrap, flags)
        if found.isNull():
            return False
        self.setTextCursor(found)
        self.ensureCursorVisible()
        return True

    # -- fixes -----------------------------------------------------------------------------

    def fixes_at(self, position: int) -> list[Diagnostic]:
        """Diagnostics with an applicable fix whose span overlaps document ``position``
        (the cursor just after a span counts)."""
        return [
            a.diag
            for a in self._anchors
            if applicable(a.diag) and a.start <= position <= max(a.end, a.start + 1)
        ]

    def fixes_on_line(self, position: int) -> list[Diagnostic]:
        """Diagnostics with an applicable fix starting on the line of ``position``."""
        block = self.document().findBlock(position).blockNumber()
        return [
            a.diag
            for a in self._anchors
            if applicable(a.diag) and self.document().findBlock(a.start).blockNumber() == block
        ]

    def fixes_for_cursor(self) -> list[Diagnostic]:
        """The fixes offered at the text cursor: at its position, else on its line."""
        pos = self.textCursor().position()
        return self.fixes_at(pos) or self.fixes_on_line(pos)

    def apply_fix(self, diagnostic: Diagnostic) -> bool:
        """Apply ``diagnostic``'s fix as one undoable edit; False if nothing changed.

        An unsafe fix is applied only when :attr:`confirm_unsafe` (or the user, when it
        is None) agrees.  A diagnostic from an older text is looked up again in a fresh
        lint, and is not applied if it is gone.
        """
        diag = diagnostic
        if not applicable(diag):
            return False
        if self.toPlainText() != self._lint_text:
            self.lint_now()
            same = [
                d
                for d in self._diagnostics
                if d.code == diag.code and d.fix is not None and d.fix.title == diag.fix.title  # type: ignore[union-attr]
            ]
            if not same:
                return False
            diag = min(same, key=lambda d: abs(d.span.start - diagnostic.span.start))
        fix = diag.fix
        assert fix is not None
        try:
            apply_edits(self._lint_text, fix.edits)  # rejects overlapping or outside edits
        except ValueError:
            return False
        if fix.applicability is Applicability.UNSAFE:
            confirm = self.confirm_unsafe or self._ask_unsafe
            if not confirm(diag):
                return False
        to_qt = self._offsets.to_qt
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for edit in sorted(fix.edits, key=lambda e: (e.start, e.end), reverse=True):
            cursor.setPosition(to_qt(edit.start))
            cursor.setPosition(to_qt(edit.end), QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(edit.replacement)
        cursor.endEditBlock()
        self._lint_timer.start(0)  # relint at once: the user waits for the squiggle to go
        return True

    def _ask_unsafe(self, diag: Diagnostic) -> bool:
        assert diag.fix is not None
        answer = QMessageBox.question(
            self,
            "Apply unsafe fix?",
            f"{redact(diag.fix.title)}\n\nThis fix changes what the build does "
            f"({diag.code} {diag.name}). Review the result before you build. Apply it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def quick_fix_menu(self, diagnostics: Sequence[Diagnostic]) -> QMenu:
        """A menu with one "Quick fix" action per diagnostic (parented to the editor)."""
        menu = QMenu(self)
        self._add_fix_actions(menu, diagnostics)
        if not menu.actions():
            none = menu.addAction("No quick fixes here")
            none.setEnabled(False)
        return menu

    def show_quick_fix_menu(self, global_pos: QPoint | None = None) -> QMenu:
        """Pop up the quick fixes for the cursor (Ctrl+.); returns the shown menu."""
        if self.lint_pending():
            self.lint_now()  # offer fixes for the text on screen, not an older one
        if self._fix_menu is not None:
            self._fix_menu.deleteLater()
        menu = self.quick_fix_menu(self.fixes_for_cursor())
        self._fix_menu = menu
        if global_pos is None:
            rect = self.cursorRect()
            global_pos = self.viewport().mapToGlobal(rect.bottomLeft())
        menu.popup(global_pos)
        return menu

    def _on_quick_fix_action_triggered(self) -> None:
        self.show_quick_fix_menu()

    def _add_fix_actions(self, menu: QMenu, diagnostics: Sequence[Diagnostic]) -> None:
        for diag in diagnostics:
            if not applicable(diag):
                continue
            action = menu.addAction(fix_label(diag))
            action.setData(diag.code)
            action.triggered.connect(lambda _checked=False, d=diag: self.apply_fix(d))

    # -- context menu, keys ----------------------------------------------------------------

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.context_menu_at(self.cursorForPosition(event.pos()).position())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def context_menu_at(self, position: int) -> QMenu:
        """The context menu for document ``position``: its quick fixes and rule docs first."""
        menu = self.createStandardContextMenu()
        here = [a.diag for a in self._anchors if a.start <= position <= a.end]
        fixes = [d for d in here if applicable(d)] or self.fixes_on_line(position)
        first = menu.actions()[0] if menu.actions() else None
        extra: list[QAction] = []
        for diag in fixes:
            action = QAction(fix_label(diag), menu)
            action.triggered.connect(lambda _checked=False, d=diag: self.apply_fix(d))
            extra.append(action)
        for code in dict.fromkeys(d.code for d in here):
            diag = next(d for d in here if d.code == code)
            action = QAction(f"Documentation: {code} {diag.name}", menu)
            action.triggered.connect(
                lambda _checked=False, c=code: self.documentation_requested.emit(c)
            )
            extra.append(action)
        if extra:
            menu.insertActions(first, extra)  # type: ignore[arg-type]
            menu.insertSeparator(first)  # type: ignore[arg-type]
        return menu

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (
            event.key() == Qt.Key.Key_Period
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.show_quick_fix_menu()
            return
        if event.key() == Qt.Key.Key_Escape and self._popup.isVisible():
            self._popup.hide()
            return
        super().keyPressEvent(event)

    # -- hover popup -------------------------------------------------------------------------

    def diagnostics_at(self, position: int) -> list[Diagnostic]:
        """The shown diagnostics whose (underlined) span contains document ``position``."""
        return [a.diag for a in self._anchors if a.start <= position < a.end]

    def hover_html(self, diagnostics: Sequence[Diagnostic]) -> str:
        """The rich text of the hover popup for ``diagnostics`` (links: docs and fixes)."""
        parts: list[str] = []
        for diag in diagnostics:
            color = self._theme.severity(diag.severity).name()
            head = (
                f'<span style="color:{color}"><b>{diag.severity.value.capitalize()}</b></span>'
                f" &nbsp;<code>{diag.code}</code> {html.escape(diag.name)}"
                f' &nbsp;<a href="{DOC_LINK}{diag.code}">Docs</a>'
            )
            body = [f"<div>{_rich(diag.message)}</div>"]
            body += [f"<div><i>{_rich(n)}</i></div>" for n in diag.notes]
            if diag.fix is not None:
                title = html.escape(redact(diag.fix.title))
                if applicable(diag):
                    idx = self._diagnostics.index(diag) if diag in self._diagnostics else -1
                    unsafe = (
                        " <i>(unsafe)</i>" if diag.fix.applicability is Applicability.UNSAFE else ""
                    )
                    body.append(
                        f'<div>Quick fix: <a href="{FIX_LINK}{idx}">{title}</a>{unsafe}</div>'
                    )
                else:
                    body.append(f"<div>Suggested fix (apply by hand): {title}</div>")
            parts.append(f"<div>{head}</div>" + "".join(body))
        return "<hr>".join(parts)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            self.show_hover_at(pos)
            return True
        if event.type() == QEvent.Type.Leave:
            self._popup.schedule_hide()
        return super().viewportEvent(event)

    def show_hover_at(self, viewport_pos: QPoint) -> bool:
        """Show the popup for the squiggle under ``viewport_pos``; False if there is none."""
        cursor = self.cursorForPosition(viewport_pos)
        pos = cursor.position()
        rect = self.cursorRect(cursor)
        # cursorForPosition snaps to the nearest character: make sure the mouse is on it.
        char_w = self.fontMetrics().horizontalAdvance("M")
        if abs(rect.center().x() - viewport_pos.x()) > char_w or not (
            rect.top() - 2 <= viewport_pos.y() <= rect.bottom() + 2
        ):
            self._popup.hide()
            return False
        # The character under the mouse is either after or before the snapped position.
        diags = self.diagnostics_at(pos if rect.x() <= viewport_pos.x() else max(pos - 1, 0))
        if not diags:
            self._popup.hide()
            return False
        self._popup.show_html(self.hover_html(diags), self.viewport().mapToGlobal(viewport_pos))
        return True

    def _on_popup_link_activated(self, link: str) -> None:
        if link.startswith(DOC_LINK):
            self._popup.hide()
            self.documentation_requested.emit(link[len(DOC_LINK) :])
        elif link.startswith(FIX_LINK):
            self._popup.hide()
            idx = int(link[len(FIX_LINK) :])
            if 0 <= idx < len(self._diagnostics):
                self.apply_fix(self._diagnostics[idx])

    # -- extra selections -------------------------------------------------------------------

    def _on_editor_cursor_position_changed(self) -> None:
        self._update_extra_selections()
        self._gutter.update()

    def _update_extra_selections(self) -> None:
        line = QTextEdit.ExtraSelection()
        fmt = QTextCharFormat()
        fmt.setBackground(self._theme.current_line)
        fmt.setProperty(QTextFormat.Property.FullWidthSelection, True)
        line.format = fmt
        cursor = self.textCursor()
        cursor.clearSelection()
        line.cursor = cursor
        self.setExtraSelections([line, *self._bracket_selections(), *self._diag_selections])

    def _bracket_selections(self) -> list[QTextEdit.ExtraSelection]:
        cursor = self.textCursor()
        if cursor.hasSelection():
            return []
        block = cursor.block()
        text = block.text()
        col = cursor.positionInBlock()
        pair = _match_in_line(text, col)
        if pair is None:
            return []
        out = []
        for c in pair:
            sel = QTextEdit.ExtraSelection()
            fmt = QTextCharFormat()
            fmt.setBackground(self._theme.bracket_match)
            sel.format = fmt
            cur = QTextCursor(block)
            cur.setPosition(block.position() + c)
            cur.setPosition(block.position() + c + 1, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cur
            out.append(sel)
        return out

    # -- gutter -------------------------------------------------------------------------------

    def gutter(self) -> QWidget:
        """The line-number gutter (markers, lightbulb)."""
        return self._gutter

    def gutter_width(self) -> int:
        """The gutter's width for the current number of lines."""
        digits = max(len(str(max(self.blockCount(), 1))), 2)
        fm = self.fontMetrics()
        return 6 + fm.horizontalAdvance("9") * digits + 4 + 2 * self._icon_size() + 4

    def _icon_size(self) -> int:
        return max(self.fontMetrics().height() - 2, 10)

    def line_diagnostics(self) -> dict[int, list[Diagnostic]]:
        """Shown diagnostics by the 0-based block number where their span starts."""
        if self._line_marks is None:
            marks: dict[int, list[Diagnostic]] = {}
            doc = self.document()
            for a in self._anchors:
                marks.setdefault(doc.findBlock(a.start).blockNumber(), []).append(a.diag)
            self._line_marks = marks
        return self._line_marks

    def _update_gutter_width(self) -> None:
        self.setViewportMargins(self.gutter_width(), 0, 0, 0)

    def _on_editor_block_count_changed(self, _count: int) -> None:
        self._update_gutter_width()

    def _on_editor_update_request(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
            self._popup.hide()
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_gutter_width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        cr = self.contentsRect()
        self._gutter.setGeometry(QRect(cr.left(), cr.top(), self.gutter_width(), cr.height()))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._theme = theme_for_palette(self.palette())
            self._highlighter.set_theme(self._theme)
            self._rebuild_anchors()
        elif event.type() == QEvent.Type.FontChange:
            self._update_gutter_width()

    @property
    def highlighter(self) -> DockerfileHighlighter:
        """The syntax highlighter of the document."""
        return self._highlighter

    @property
    def theme(self) -> EditorTheme:
        """The colours in use (follow the palette)."""
        return self._theme

    def _paint_gutter(self, event: QPaintEvent) -> None:
        gutter = self._gutter
        painter = QPainter(gutter)
        theme = self._theme
        painter.fillRect(event.rect(), theme.gutter_background)
        fm = self.fontMetrics()
        icon = self._icon_size()
        number_right = gutter.width() - 2 * icon - 8
        cursor_block = self.textCursor().blockNumber()
        marks = self.line_diagnostics()
        bulb_line = cursor_block if self.fixes_for_cursor() else -1
        block = self.firstVisibleBlock()
        number = block.blockNumber()
        offset = self.contentOffset()
        top = round(self.blockBoundingGeometry(block).translated(offset).top())
        bottom = top + round(self.blockBoundingRect(block).height())
        font = painter.font()
        font.setFamily(self.font().family())
        font.setPointSizeF(self.font().pointSizeF())
        painter.setFont(font)
        line_h = fm.height()
        while block.isValid() and top <= event.rect().bottom():
            if block.isVisible() and bottom >= event.rect().top():
                painter.setPen(
                    theme.gutter_current_text if number == cursor_block else theme.gutter_text
                )
                painter.drawText(
                    0,
                    top,
                    number_right,
                    line_h,
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    str(number + 1),
                )
                y = top + (line_h - icon) // 2
                diags = marks.get(number)
                if diags:
                    worst = max(diags, key=lambda d: d.severity.rank).severity
                    painter.drawPixmap(
                        number_right + 4, y, severity_pixmap(worst, self.palette(), icon)
                    )
                if number == bulb_line:
                    painter.drawPixmap(
                        number_right + 4 + icon, y, lightbulb_pixmap(self.palette(), icon)
                    )
            block = block.next()
            top = bottom
            bottom = top + round(self.blockBoundingRect(block).height())
            number += 1
        painter.end()

    def block_at_gutter_y(self, y: int) -> int:
        """The 0-based block number drawn at gutter height ``y`` (-1 if none)."""
        block = self.firstVisibleBlock()
        offset = self.contentOffset()
        while block.isValid():
            geo = self.blockBoundingGeometry(block).translated(offset)
            if geo.top() > y:
                break
            if geo.top() <= y < geo.bottom():
                return block.blockNumber()
            block = block.next()
        return -1

    def _gutter_tooltip(self, pos: QPoint) -> str:
        number = self.block_at_gutter_y(pos.y())
        diags = self.line_diagnostics().get(number, [])
        return "\n".join(
            f"{d.severity.value.capitalize()} {d.code}: {redact(d.message)}" for d in diags
        )

    def _gutter_clicked(self, pos: QPoint) -> None:
        icon = self._icon_size()
        number = self.block_at_gutter_y(pos.y())
        if number < 0:
            return
        on_bulb = pos.x() >= self._gutter.width() - icon - 4
        if on_bulb and number == self.textCursor().blockNumber() and self.fixes_for_cursor():
            self.show_quick_fix_menu(self._gutter.mapToGlobal(QPoint(pos.x(), pos.y())))
            return
        self.goto_line(number + 1)


def _is_monospaced(font: QFont) -> bool:
    # By the glyphs, not QFontInfo.fixedPitch(): fontconfig reports Noto Sans Mono (the
    # "monospace" of many Linux desktops) as proportional although it is not.
    fm = QFontMetrics(font)
    return len({fm.horizontalAdvance(c) for c in "iMW.l"}) == 1


def monospace_font() -> QFont:
    """The system's fixed-width font, or the first monospaced fallback that is."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    if _is_monospaced(font):
        return font
    for family in ("DejaVu Sans Mono", "Liberation Mono", "Noto Mono", "Courier New"):
        candidate = QFont(family, font.pointSize())
        if _is_monospaced(candidate):
            return candidate
    return font


def _rich(text: str) -> str:
    """Redacted, escaped ``text`` with Markdown-style `code` spans in a monospace font."""
    return _CODE_RE.sub(r"<code>\1</code>", html.escape(redact(text), quote=False))


def _match_in_line(text: str, col: int) -> tuple[int, int] | None:
    """Columns of a bracket or quote next to ``col`` and its partner on the same line."""
    for c in (col, col - 1):
        if not 0 <= c < len(text):
            continue
        ch = text[c]
        if ch in _BRACKETS:
            depth = 0
            for i in range(c, len(text)):
                if text[i] == ch:
                    depth += 1
                elif text[i] == _BRACKETS[ch]:
                    depth -= 1
                    if depth == 0:
                        return (c, i)
            return None
        if ch in _CLOSERS:
            depth = 0
            for i in range(c, -1, -1):
                if text[i] == ch:
                    depth += 1
                elif text[i] == _CLOSERS[ch]:
                    depth -= 1
                    if depth == 0:
                        return (i, c)
            return None
        if ch in _QUOTES:
            positions = [
                i for i, x in enumerate(text) if x == ch and (i == 0 or text[i - 1] != "\\")
            ]
            if c not in positions:
                return None
            k = positions.index(c)
            partner = k + 1 if k % 2 == 0 else k - 1
            if 0 <= partner < len(positions):
                return (min(c, positions[partner]), max(c, positions[partner]))
            return None
    return None


class _Gutter(QWidget):
    """Line numbers, one severity marker per line and the quick-fix lightbulb."""

    def __init__(self, editor: DockerfileEditor) -> None:
        super().__init__(editor)
        self._editor = editor
        self.setMouseTracking(True)

    def sizeHint(self) -> QSize:
        return QSize(self._editor.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._editor._paint_gutter(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._editor._gutter_clicked(event.position().toPoint())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            tip = self._editor._gutter_tooltip(pos)
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)


class _HoverPopup(QFrame):
    """A tooltip-like window whose links can be clicked (QToolTip's cannot)."""

    def __init__(self, editor: DockerfileEditor) -> None:
        super().__init__(editor, Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self._editor = editor
        self.setFrameShape(QFrame.Shape.Box)
        self.setAutoFillBackground(True)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.label.linkActivated.connect(editor._on_popup_link_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.label)
        self._hide_timer = QTimer(self)
        self._hide_timer.setInterval(400)
        self._hide_timer.timeout.connect(self._on_hide_timer_timeout)

    def show_html(self, text: str, global_pos: QPoint) -> None:
        # Follow the editor's palette: a tooltip window otherwise gets the platform's
        # tooltip colours, which stay light on a dark application palette.
        pal = QPalette(self._editor.palette())
        pal.setColor(QPalette.ColorRole.Window, pal.color(QPalette.ColorRole.ToolTipBase))
        pal.setColor(QPalette.ColorRole.WindowText, pal.color(QPalette.ColorRole.ToolTipText))
        self.setPalette(pal)
        self.label.setPalette(pal)
        self.label.setText(text)
        # QLabel's word wrap picks a narrow column; size it from the text instead.
        measure = QTextDocument()
        measure.setDefaultFont(self.label.font())
        measure.setHtml(text)
        self.label.setFixedWidth(min(max(round(measure.idealWidth()) + 8, 260), 600))
        self.adjustSize()
        pos = global_pos + QPoint(2, 16)
        screen = QGuiApplication.screenAt(global_pos)
        if screen is not None:
            area = screen.availableGeometry()
            if pos.x() + self.width() > area.right():
                pos.setX(max(area.left(), area.right() - self.width()))
            if pos.y() + self.height() > area.bottom():
                pos.setY(max(area.top(), global_pos.y() - self.height() - 4))
        self.move(pos)
        self.show()
        self._hide_timer.start()

    def schedule_hide(self) -> None:
        if self.isVisible():
            self._hide_timer.start()

    def _on_hide_timer_timeout(self) -> None:
        # Stay while the mouse is over the popup (to click a link) or over the editor
        # text; the editor hides it when the mouse leaves the squiggle.
        where = QCursor.pos()
        if self.geometry().adjusted(-8, -24, 8, 8).contains(where):
            return
        vp = self._editor.viewport()
        local = vp.mapFromGlobal(where)
        if vp.rect().contains(local) and self._editor.diagnostics_at(
            self._editor.cursorForPosition(local).position()
        ):
            return
        self.hide()

    def hideEvent(self, event: QHideEvent) -> None:
        self._hide_timer.stop()
        super().hideEvent(event)
