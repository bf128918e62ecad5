"""The find bar under the editor: Enter finds the next match, Shift+Enter the previous."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QToolButton,
    QWidget,
)


class FindBar(QWidget):
    """Incremental search in a :class:`QPlainTextEdit`, wrapping around at the ends."""

    closed = Signal()

    def __init__(self, editor: QPlainTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self.field = QLineEdit()
        self.field.setPlaceholderText("Find")
        self.field.setClearButtonEnabled(True)
        self.field.installEventFilter(self)
        self.field.textEdited.connect(self._on_field_text_edited)
        self.case_box = QCheckBox("Match case")
        self.status = QLabel()
        self.previous_button = QToolButton()
        self.previous_button.setText("Previous")
        self.previous_button.setToolTip("Find previous (Shift+Enter, Shift+F3)")
        self.previous_button.clicked.connect(self.find_previous)
        self.next_button = QToolButton()
        self.next_button.setText("Next")
        self.next_button.setToolTip("Find next (Enter, F3)")
        self.next_button.clicked.connect(self.find_next)
        close = QToolButton()
        close.setAutoRaise(True)
        close.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        close.setToolTip("Close the find bar (Esc)")
        close.clicked.connect(self.close_bar)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(QLabel("Find:"))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.next_button)
        layout.addWidget(self.case_box)
        layout.addWidget(self.status)
        layout.addWidget(close)

    def open_bar(self) -> None:
        """Show the bar with the editor's selection (if on one line) as the search text."""
        selected = self._editor.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.status.clear()
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    @Slot()
    def close_bar(self) -> None:
        """Hide the bar and give the editor the focus back."""
        self.hide()
        self._editor.setFocus()
        self.closed.emit()

    @Slot()
    def find_next(self) -> bool:
        """Select the next match after the cursor (wrapping); False when there is none."""
        return self._find(backward=False)

    @Slot()
    def find_previous(self) -> bool:
        """Select the previous match before the cursor (wrapping); False when there is none."""
        return self._find(backward=True)

    def _find(self, *, backward: bool) -> bool:
        text = self.field.text()
        if not text:
            self.status.clear()
            return False
        flags = QTextDocument.FindFlag(0)
        if backward:
            flags |= QTextDocument.FindFlag.FindBackward
        if self.case_box.isChecked():
            flags |= QTextDocument.FindFlag.FindCaseSensitively
        # QTextDocument.find, not the editor's find(): this bar works with any QPlainTextEdit.
        doc = self._editor.document()
        found = doc.find(text, self._editor.textCursor(), flags)
        wrapped = False
        if found.isNull():
            start = QTextCursor(doc)
            if backward:
                start.movePosition(QTextCursor.MoveOperation.End)
            found = doc.find(text, start, flags)
            wrapped = True
        if found.isNull():
            self.status.setText("No matches")
            return False
        self._editor.setTextCursor(found)
        self._editor.ensureCursorVisible()
        self.status.setText("Wrapped around" if wrapped else "")
        return True

    @Slot(str)
    def _on_field_text_edited(self, _text: str) -> None:
        # Search as you type, from the start of the current selection.
        cursor = self._editor.textCursor()
        cursor.setPosition(cursor.selectionStart())
        self._editor.setTextCursor(cursor)
        self.find_next()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter / Shift+Enter / Esc in the search field."""
        if watched is self.field and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                    self.find_previous()
                else:
                    self.find_next()
                return True
            if key == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(watched, event)
