"""Help › Rules Reference: every lint rule, filterable, with its documentation beside it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gobuildgui.core.dockerfile.rules import ALL_RULES, find_rule
from gobuildgui.ui.editor.ruledoc import rule_markdown


class RulesReferenceDialog(QDialog):
    """A list of rules (code and name) and the selected rule's documentation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rules reference — gobuildgui")
        self.filter_field = QLineEdit()
        self.filter_field.setPlaceholderText("Filter by code, name or text")
        self.filter_field.setClearButtonEnabled(True)
        self.filter_field.textChanged.connect(self._on_filter_field_text_changed)
        self.rule_list = QListWidget()
        for rule in ALL_RULES:
            item = QListWidgetItem(f"{rule.code}  {rule.name}")
            item.setData(Qt.ItemDataRole.UserRole, rule.code)
            item.setToolTip(rule.summary)
            self.rule_list.addItem(item)
        self.rule_list.currentItemChanged.connect(self._on_rule_list_current_item_changed)
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(True)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_field)
        left_layout.addWidget(self.rule_list)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 600])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.resize(960, 640)
        self.rule_list.setCurrentRow(0)

    def show_rule(self, code: str) -> bool:
        """Select rule ``code`` (or name); False when there is no such rule."""
        rule = find_rule(code)
        if rule is None:
            return False
        self.filter_field.clear()
        for row in range(self.rule_list.count()):
            item = self.rule_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == rule.code:
                self.rule_list.setCurrentItem(item)
                return True
        return False

    @Slot(str)
    def _on_filter_field_text_changed(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.rule_list.count()):
            item = self.rule_list.item(row)
            rule = find_rule(str(item.data(Qt.ItemDataRole.UserRole)))
            haystack = f"{item.text()} {rule.summary if rule else ''}".lower()
            item.setHidden(bool(needle) and needle not in haystack)

    @Slot(QListWidgetItem, QListWidgetItem)
    def _on_rule_list_current_item_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        if current is None:
            return
        rule = find_rule(str(current.data(Qt.ItemDataRole.UserRole)))
        if rule is not None:
            self.browser.setMarkdown(rule_markdown(rule))
