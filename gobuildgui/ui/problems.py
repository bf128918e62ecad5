"""The problems list: every diagnostic of the open Dockerfile, by line, filterable by severity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QIcon, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gobuildgui.core.fixes.catalogue import fixes_for_diagnostic
from gobuildgui.core.model import Diagnostic, Severity, sort_diagnostics
from gobuildgui.core.secrets import redact
from gobuildgui.ui.editor.theme import severity_color, severity_icon
from gobuildgui.ui.editor.widget import applicable, fix_label

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.STYLE)
SEVERITY_PLURALS = {
    Severity.ERROR: "errors",
    Severity.WARNING: "warnings",
    Severity.INFO: "info",
    Severity.STYLE: "style",
}


def count_by_severity(diagnostics: Iterable[Diagnostic]) -> dict[Severity, int]:
    """How many diagnostics there are of each severity (every severity present as a key)."""
    counts = Counter(d.severity for d in diagnostics)
    return {s: counts.get(s, 0) for s in SEVERITY_ORDER}


class ProblemsView(QTreeWidget):
    """Line, Col, Severity, Code, Message of each diagnostic, in the order of the file.

    ``diagnostic_activated`` is emitted on double-click or Enter.
    """

    COLUMNS = ("Line", "Col", "Severity", "Code", "Message")
    diagnostic_activated = Signal(object)  # Diagnostic
    fix_requested = Signal(object)  # Diagnostic whose fix the user chose
    documentation_requested = Signal(str)  # a rule code
    wizard_requested = Signal(object)  # Diagnostic to fix with the fix wizard

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(len(self.COLUMNS))
        self.setHeaderLabels(list(self.COLUMNS))
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setAllColumnsShowFocus(True)
        self.setSelectionMode(QTreeWidget.SelectionMode.SingleSelection)
        header = self.header()
        header.setStretchLastSection(True)
        for col in range(len(self.COLUMNS) - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self._all: tuple[Diagnostic, ...] = ()
        self._shown: tuple[Diagnostic, ...] = ()
        self._hidden: frozenset[Severity] = frozenset()
        self.itemDoubleClicked.connect(self._on_self_item_double_clicked)

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """The diagnostics shown, in row order (the filter applied)."""
        return self._shown

    @property
    def all_diagnostics(self) -> tuple[Diagnostic, ...]:
        """Every diagnostic given, including those the filter hides."""
        return self._all

    @property
    def hidden_severities(self) -> frozenset[Severity]:
        """The severities the filter hides."""
        return self._hidden

    def set_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        """Show ``diagnostics`` ordered by position (worst first on the same spot)."""
        self._all = tuple(sort_diagnostics(diagnostics))
        self._refill()

    def set_hidden_severities(self, hidden: Iterable[Severity]) -> None:
        """Hide the rows of these severities."""
        self._hidden = frozenset(hidden)
        self._refill()

    def diagnostic_at(self, item: QTreeWidgetItem) -> Diagnostic | None:
        """The diagnostic shown by ``item``."""
        row = self.indexOfTopLevelItem(item)
        return self._shown[row] if 0 <= row < len(self._shown) else None

    def current_diagnostic(self) -> Diagnostic | None:
        """The diagnostic of the current row."""
        item = self.currentItem()
        return self.diagnostic_at(item) if item is not None else None

    def refresh_colours(self) -> None:
        """Redraw icons and colours after the palette changed (light/dark)."""
        self._refill()

    def _refill(self) -> None:
        current = self.current_diagnostic()
        shown = tuple(d for d in self._all if d.severity not in self._hidden)
        self._shown = shown
        self.setUpdatesEnabled(False)
        try:
            self.clear()
            palette = self.palette()
            icons: dict[Severity, QIcon] = {s: severity_icon(s, palette) for s in SEVERITY_ORDER}
            items = []
            restore: QTreeWidgetItem | None = None
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            for diag in shown:
                item = QTreeWidgetItem(
                    [
                        str(diag.span.line),
                        str(diag.span.column),
                        diag.severity.value,
                        diag.code,
                        redact(diag.message),
                    ]
                )
                item.setTextAlignment(0, right)
                item.setTextAlignment(1, right)
                item.setIcon(2, icons[diag.severity])
                item.setForeground(2, severity_color(diag.severity, palette))
                tip = redact("\n".join((f"{diag.code} ({diag.name})", diag.message, *diag.notes)))
                for col in range(len(self.COLUMNS)):
                    item.setToolTip(col, tip)
                items.append(item)
                if current is not None and diag == current:
                    restore = item
            self.addTopLevelItems(items)
            if restore is not None:
                self.setCurrentItem(restore)
        finally:
            self.setUpdatesEnabled(True)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter and Return jump to the current problem (on every platform)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            diag = self.current_diagnostic()
            if diag is not None:
                self.diagnostic_activated.emit(diag)
                event.accept()
                return
        super().keyPressEvent(event)

    def context_menu_for(self, diag: Diagnostic) -> QMenu:
        """The row menu: go to the problem, its quick fix, its rule's documentation, copy.

        The menu has no parent, so its lambdas (which refer to this view) make no
        reference cycle; :meth:`contextMenuEvent` deletes it when it closes.
        """
        menu = QMenu()
        go = menu.addAction("Go to Problem")
        go.triggered.connect(lambda: self.diagnostic_activated.emit(diag))
        if applicable(diag):
            fix = menu.addAction(fix_label(diag))
            fix.triggered.connect(lambda: self.fix_requested.emit(diag))
        if fixes_for_diagnostic(diag):
            wizard = menu.addAction("Fix with the Wizard…")
            wizard.triggered.connect(lambda: self.wizard_requested.emit(diag))
        docs = menu.addAction(f"Rule Documentation ({diag.code})")
        docs.triggered.connect(lambda: self.documentation_requested.emit(diag.code))
        menu.addSeparator()
        copy = menu.addAction("Copy Message")
        text = redact(f"{diag.span.line}:{diag.span.column} {diag.code} {diag.message}")
        copy.triggered.connect(lambda: QGuiApplication.clipboard().setText(text))
        return menu

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Right-click on a row: :meth:`context_menu_for`."""
        item = self.itemAt(event.pos())
        if item is None:
            return
        diag = self.diagnostic_at(item)
        if diag is None:
            return
        self.setCurrentItem(item)
        menu = self.context_menu_for(diag)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(event.globalPos())

    @Slot(QTreeWidgetItem, int)
    def _on_self_item_double_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        diag = self.diagnostic_at(item)
        if diag is not None:
            self.diagnostic_activated.emit(diag)


class ProblemsPanel(QWidget):
    """The problems list under a row of severity filter buttons with counts."""

    hidden_severities_changed = Signal(object)  # frozenset[Severity]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._has_document = False
        self.view = ProblemsView()
        self.summary = QLabel()
        self.summary.setIndent(4)
        self.filter_buttons: dict[Severity, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 2)
        bar.setSpacing(4)
        bar.addWidget(self.summary)
        bar.addStretch(1)
        bar.addWidget(QLabel("Show:"))
        for sev in SEVERITY_ORDER:
            button = QToolButton()
            button.setCheckable(True)
            button.setChecked(True)
            button.setAutoRaise(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setToolTip(f"Show or hide {SEVERITY_PLURALS[sev]}")
            button.toggled.connect(self._on_filter_button_toggled)
            self.filter_buttons[sev] = button
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view)
        self.set_diagnostics((), has_document=False)

    def set_diagnostics(
        self, diagnostics: Sequence[Diagnostic], *, has_document: bool = True
    ) -> None:
        """Show ``diagnostics``; ``has_document`` False means nothing is open."""
        self.view.set_diagnostics(diagnostics)
        self._update_labels(has_document)

    def set_hidden_severities(self, hidden: Iterable[Severity]) -> None:
        """Hide these severities (and untick their buttons)."""
        hidden = frozenset(hidden)
        for sev, button in self.filter_buttons.items():
            button.blockSignals(True)
            button.setChecked(sev not in hidden)
            button.blockSignals(False)
        self.view.set_hidden_severities(hidden)
        self._update_labels(True)

    def refresh_colours(self) -> None:
        """Redraw icons after a palette change."""
        self.view.refresh_colours()
        self._update_labels(bool(self.view.all_diagnostics) or self._has_document)

    def _update_labels(self, has_document: bool) -> None:
        self._has_document = has_document
        diags = self.view.all_diagnostics
        counts = count_by_severity(diags)
        palette = self.palette()
        for sev, button in self.filter_buttons.items():
            button.setText(f"{SEVERITY_PLURALS[sev].capitalize()} {counts[sev]}")
            button.setIcon(severity_icon(sev, palette))
        if not has_document:
            self.summary.setText("No file open")
        elif not diags:
            self.summary.setText("No problems found")
        else:
            hidden = len(diags) - len(self.view.diagnostics)
            text = f"{len(diags)} problem{'s' if len(diags) != 1 else ''}"
            if hidden:
                text += f" ({hidden} hidden by the filter)"
            self.summary.setText(text)

    @Slot(bool)
    def _on_filter_button_toggled(self, _checked: bool) -> None:
        hidden = frozenset(s for s, b in self.filter_buttons.items() if not b.isChecked())
        self.view.set_hidden_severities(hidden)
        self._update_labels(self._has_document)
        self.hidden_severities_changed.emit(hidden)
