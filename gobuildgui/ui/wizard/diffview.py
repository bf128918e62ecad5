"""A read-only, colour-coded view of the diffs of a fix plan: unified or side by side.

The view renders what it is given and nothing else: the preview page passes the plan's own
unified diff (``gobuildgui.core.fixes.unified_diff``) for the unified mode and the core's
``side_by_side()`` rows for the two-column mode, both masked, and :func:`file_diff` passes
them through ``redact()`` once more. Every line keeps its ``+``/``-`` marker (or its line
numbers) so the diff reads without colour too.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gobuildgui.core.secrets import redact


class DiffMode(enum.Enum):
    """How the diff is laid out."""

    UNIFIED = "unified"
    SIDE_BY_SIDE = "side-by-side"


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the side-by-side layout; ``None`` text on a side means a filler.

    ``tag`` is ``equal``, ``replace``, ``delete``, ``insert`` or ``skip`` (a fold of
    unchanged lines, numbered by its first line).
    """

    tag: str
    old_line: int | None
    old_text: str | None
    new_line: int | None
    new_text: str | None


class RowLike(Protocol):
    """The core's ``DiffRow`` (or anything shaped like it)."""

    @property
    def tag(self) -> str: ...
    @property
    def old_line(self) -> int | None: ...
    @property
    def old_text(self) -> str | None: ...
    @property
    def new_line(self) -> int | None: ...
    @property
    def new_text(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class FileDiff:
    """One file of a plan, ready to show (every text redacted by :func:`file_diff`)."""

    path: str
    unified: str
    rows: tuple[Row, ...] = ()
    badges: tuple[str, ...] = ()


def _masked(text: str | None) -> str | None:
    return None if text is None else redact(text)


def file_diff(
    path: str, unified: str, rows: Sequence[RowLike] = (), badges: Sequence[str] = ()
) -> FileDiff:
    """A :class:`FileDiff` with every text passed through ``redact()`` (secrets masked)."""
    return FileDiff(
        path=redact(path),
        unified=redact(unified),
        rows=tuple(
            Row(r.tag, r.old_line, _masked(r.old_text), r.new_line, _masked(r.new_text))
            for r in rows
        ),
        badges=tuple(badges),
    )


@dataclass(frozen=True, slots=True)
class DiffColours:
    """Backgrounds and foregrounds for one palette (light or dark)."""

    text: QColor
    added_bg: QColor
    removed_bg: QColor
    hunk_bg: QColor
    hunk_fg: QColor
    meta_fg: QColor
    header_bg: QColor
    filler_bg: QColor
    badge_bg: QColor
    badge_fg: QColor
    warn_badge_bg: QColor
    warn_badge_fg: QColor


def is_dark(palette: QPalette) -> bool:
    """Whether ``palette`` draws light text on a dark base."""
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def diff_colours(palette: QPalette) -> DiffColours:
    """Colours that keep a contrast ratio above 7:1 for the text on either palette."""
    if is_dark(palette):
        return DiffColours(
            text=QColor("#e6edf3"),
            added_bg=QColor("#1d4428"),
            removed_bg=QColor("#5a1e24"),
            hunk_bg=QColor("#162c47"),
            hunk_fg=QColor("#9ecbff"),
            meta_fg=QColor("#b1bac4"),
            header_bg=QColor("#2d333b"),
            filler_bg=QColor("#22272e"),
            badge_bg=QColor("#1f4a7a"),
            badge_fg=QColor("#e6f1ff"),
            warn_badge_bg=QColor("#6b4b00"),
            warn_badge_fg=QColor("#fff3c4"),
        )
    return DiffColours(
        text=QColor("#1f2328"),
        added_bg=QColor("#dafbe1"),
        removed_bg=QColor("#ffe0dd"),
        hunk_bg=QColor("#ddf4ff"),
        hunk_fg=QColor("#0550ae"),
        meta_fg=QColor("#57606a"),
        header_bg=QColor("#eaeef2"),
        filler_bg=QColor("#f3f4f6"),
        badge_bg=QColor("#cfe4ff"),
        badge_fg=QColor("#0a3069"),
        warn_badge_bg=QColor("#fff1c2"),
        warn_badge_fg=QColor("#6b3e00"),
    )


# Badges that warn get the amber colours; the others are informational.
WARNING_BADGES = frozenset({"needs root"})


def fixed_font() -> QFont:
    """The system's monospace font."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    return font


def short_path(path: str) -> str:
    """``path`` with the home folder written as ``~`` (headers only; diffs stay exact)."""
    home = os.path.expanduser("~")
    if home not in {"", "/", "~"} and path.startswith(home + os.sep):
        return "~" + path[len(home) :]
    return path


def _text_pane(parent: QWidget | None) -> QTextEdit:
    pane = QTextEdit(parent)
    pane.setReadOnly(True)
    pane.setLineWrapMode(QTextEdit.LineWrapMode.NoWrap)
    pane.setFont(fixed_font())
    # Tabs as 4 columns: JSON files indented with tabs stay readable.
    pane.setTabStopDistance(4 * pane.fontMetrics().horizontalAdvance(" "))
    flags = Qt.TextInteractionFlag
    pane.setTextInteractionFlags(flags.TextSelectableByMouse | flags.TextSelectableByKeyboard)
    return pane


class _Writer:
    """Appends coloured, full-width lines to a QTextDocument."""

    def __init__(self, document: QTextDocument, colours: DiffColours) -> None:
        document.setUndoRedoEnabled(False)  # a view: no undo stack to fill
        document.clear()
        self._cursor = QTextCursor(document)
        self._cursor.beginEditBlock()  # one layout pass at the end, not one per line
        self._colours = colours
        self._first = True

    def finish(self) -> None:
        """Lay the document out once."""
        self._cursor.endEditBlock()

    def line(
        self,
        text: str,
        *,
        background: QColor | None = None,
        foreground: QColor | None = None,
        bold: bool = False,
    ) -> None:
        block = QTextBlockFormat()
        if background is not None:
            block.setBackground(background)
        char = QTextCharFormat()
        char.setForeground(foreground or self._colours.text)
        if bold:
            char.setFontWeight(QFont.Weight.Bold)
        if self._first:
            self._cursor.setBlockFormat(block)
            self._cursor.setCharFormat(char)
            self._first = False
        else:
            self._cursor.insertBlock(block, char)
        self._cursor.insertText(text, char)

    def header(self, diff: FileDiff) -> None:
        """The file path, bold on the header colour, then its badges as coloured chips."""
        c = self._colours
        self.line(short_path(diff.path), background=c.header_bg, bold=True)
        for badge in diff.badges:
            warn = badge in WARNING_BADGES
            char = QTextCharFormat()
            char.setBackground(c.warn_badge_bg if warn else c.badge_bg)
            char.setForeground(c.warn_badge_fg if warn else c.badge_fg)
            char.setFontWeight(QFont.Weight.Bold)
            plain = QTextCharFormat()
            plain.setForeground(c.text)
            self._cursor.insertText("  ", plain)
            self._cursor.insertText(f" {badge} ", char)


def _unified_line_colours(line: str, c: DiffColours) -> tuple[QColor | None, QColor | None]:
    if line.startswith(("+++", "---")):
        return None, c.meta_fg
    if line.startswith("+"):
        return c.added_bg, None
    if line.startswith("-"):
        return c.removed_bg, None
    if line.startswith("@@"):
        return c.hunk_bg, c.hunk_fg
    if line.startswith("\\"):
        return None, c.meta_fg
    return None, None


class DiffView(QWidget):
    """Every file of a plan, unified or side by side (toggle), colour-coded."""

    mode_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._diffs: tuple[FileDiff, ...] = ()
        self._mode = DiffMode.UNIFIED
        self._stale: set[DiffMode] = set(DiffMode)  # layouts to rebuild before they show

        self.unified_button = QToolButton(self)
        self.unified_button.setText("Unified")
        self.side_button = QToolButton(self)
        self.side_button.setText("Side by side")
        self._buttons = QButtonGroup(self)
        self._buttons.setExclusive(True)
        for button in (self.unified_button, self.side_button):
            button.setCheckable(True)
            button.setAutoRaise(True)
            self._buttons.addButton(button)
        self.unified_button.setChecked(True)
        self.unified_button.toggled.connect(self._on_unified_button_toggled)
        self.stats_label = QLabel(self)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.stats_label, 1)
        bar.addWidget(QLabel("View:", self))
        bar.addWidget(self.unified_button)
        bar.addWidget(self.side_button)

        self.unified_pane = _text_pane(self)
        self.old_pane = _text_pane(self)
        self.new_pane = _text_pane(self)
        self.old_pane.setAccessibleName("Before")
        self.new_pane.setAccessibleName("After")
        # One scroll position for both halves, so rows stay side by side.
        for old_bar, new_bar in (
            (self.old_pane.verticalScrollBar(), self.new_pane.verticalScrollBar()),
            (self.old_pane.horizontalScrollBar(), self.new_pane.horizontalScrollBar()),
        ):
            old_bar.valueChanged.connect(new_bar.setValue)
            new_bar.valueChanged.connect(old_bar.setValue)
        # Same scroll bars on both halves, or their last rows drift apart.
        for pane in (self.old_pane, self.new_pane):
            pane.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._split = QSplitter(Qt.Orientation.Horizontal, self)
        self._split.addWidget(self.old_pane)
        self._split.addWidget(self.new_pane)
        self._split.setChildrenCollapsible(False)

        self._stack = QStackedWidget(self)
        self._stack.addWidget(self.unified_pane)
        self._stack.addWidget(self._split)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self._stack, 1)
        self._render()

    # --- public API ----------------------------------------------------------------------
    def set_diffs(self, diffs: Sequence[FileDiff]) -> None:
        """Show ``diffs`` (redacted :class:`FileDiff` objects, see :func:`file_diff`)."""
        self._diffs = tuple(diffs)
        self._render()

    def diffs(self) -> tuple[FileDiff, ...]:
        """The files shown."""
        return self._diffs

    def mode(self) -> DiffMode:
        """The current layout."""
        return self._mode

    def set_mode(self, mode: DiffMode) -> None:
        """Switch between the unified and the side-by-side layout."""
        (self.unified_button if mode is DiffMode.UNIFIED else self.side_button).setChecked(True)

    def unified_text(self) -> str:
        """The unified diffs exactly as shown, file after file."""
        return "".join(d.unified for d in self._diffs)

    # --- rendering -------------------------------------------------------------------------
    @Slot(bool)
    def _on_unified_button_toggled(self, checked: bool) -> None:
        self._mode = DiffMode.UNIFIED if checked else DiffMode.SIDE_BY_SIDE
        self._render_current()
        self._stack.setCurrentIndex(0 if checked else 1)
        self.mode_changed.emit(self._mode.value)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._render()  # the colours follow a light/dark switch

    def _render(self) -> None:
        added = sum(
            1
            for d in self._diffs
            for ln in d.unified.splitlines()
            if ln.startswith("+") and not ln.startswith("+++")
        )
        removed = sum(
            1
            for d in self._diffs
            for ln in d.unified.splitlines()
            if ln.startswith("-") and not ln.startswith("---")
        )
        files = len(self._diffs)
        if files:
            self.stats_label.setText(
                f"{files} file{'s' if files != 1 else ''} \u00b7 {added} added, "
                f"{removed} removed line{'s' if removed != 1 else ''}"
            )
        else:
            self.stats_label.setText("Nothing to change")
        # Only the layout on screen is built now; the other when the user switches to it.
        self._stale = set(DiffMode)
        self._render_current()

    def _render_current(self) -> None:
        mode = self._mode
        if mode not in self._stale:
            return
        self._stale.discard(mode)
        colours = diff_colours(self.palette())
        if mode is DiffMode.UNIFIED:
            self._render_unified(colours)
        else:
            self._render_side_by_side(colours)

    def _render_unified(self, c: DiffColours) -> None:
        out = _Writer(self.unified_pane.document(), c)
        if not self._diffs:
            out.line("No file changes.", foreground=c.meta_fg)
            out.finish()
            return
        for n, diff in enumerate(self._diffs):
            if n:
                out.line("")
            out.header(diff)
            lines = diff.unified.splitlines()
            if not lines:
                out.line("(no change to this file)", foreground=c.meta_fg)
            for line in lines:
                background, foreground = _unified_line_colours(line, c)
                out.line(line, background=background, foreground=foreground)
        out.finish()
        self.unified_pane.moveCursor(QTextCursor.MoveOperation.Start)

    def _render_side_by_side(self, c: DiffColours) -> None:
        left = _Writer(self.old_pane.document(), c)
        right = _Writer(self.new_pane.document(), c)
        if not self._diffs:
            left.line("No file changes.", foreground=c.meta_fg)
            right.line("", foreground=c.meta_fg)
            left.finish()
            right.finish()
            return
        for n, diff in enumerate(self._diffs):
            if n:
                left.line("")
                right.line("")
            left.header(diff)
            right.header(FileDiff(diff.path, ""))  # badges once, on the left
            old_caption = "(new file)" if "new file" in diff.badges else "before"
            left.line(old_caption, foreground=c.meta_fg)
            right.line("after", foreground=c.meta_fg)
            rows = diff.rows
            biggest = max((max(r.old_line or 0, r.new_line or 0) for r in rows), default=0)
            width = max(len(str(biggest)), 2)
            if not rows:
                left.line("(no change to this file)", foreground=c.meta_fg)
                right.line("", foreground=c.meta_fg)
            for row in rows:
                if row.tag == "skip":
                    for out in (left, right):
                        out.line("\u22ef", background=c.hunk_bg, foreground=c.hunk_fg)
                    continue
                self._side(left, row.old_line, row.old_text, row.tag, c.removed_bg, c, width)
                self._side(right, row.new_line, row.new_text, row.tag, c.added_bg, c, width)
        left.finish()
        right.finish()
        self.old_pane.moveCursor(QTextCursor.MoveOperation.Start)
        self.new_pane.moveCursor(QTextCursor.MoveOperation.Start)

    @staticmethod
    def _side(
        out: _Writer,
        number: int | None,
        text: str | None,
        kind: str,
        changed_bg: QColor,
        c: DiffColours,
        width: int,
    ) -> None:
        if text is None:
            out.line("", background=c.filler_bg)
            return
        background = None if kind == "equal" else changed_bg
        out.line(f"{number:>{width}}  {text}", background=background)
