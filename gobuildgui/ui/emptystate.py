"""What the window shows when no Dockerfile is open: a drop target, Open, and recent files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

EMPTY_STATE_TEXT = "Drop a Dockerfile here or open one"
EMPTY_STATE_HINT = (
    "A Dockerfile, a Containerfile, a Dockerfile.* or *.Dockerfile, or a project folder"
    " that holds one. go.mod and .dockerignore beside it are read too."
)


class EmptyState(QWidget):
    """The centre of the window while nothing is open."""

    open_requested = Signal()
    recent_activated = Signal(object)  # Path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(EMPTY_STATE_TEXT)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel(EMPTY_STATE_HINT)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        # A fixed width, so the wrapped text's height is known to the layout (no clipping).
        self.hint.setFixedWidth(max(self.hint.fontMetrics().averageCharWidth() * 70, 420))
        self.hint.setMinimumHeight(self.hint.heightForWidth(self.hint.width()))
        self.hint.setEnabled(False)  # the palette's muted text colour
        self.open_button = QPushButton("Open Dockerfile…")
        self.open_button.setDefault(True)
        self.open_button.setToolTip("File › Open (Ctrl+O)")
        self.open_button.clicked.connect(self.open_requested)
        self.recent_label = QLabel("Recent files")
        self.recent_list = QListWidget()
        self.recent_list.setFrameShape(QFrame.Shape.StyledPanel)
        self.recent_list.itemActivated.connect(self._on_recent_list_item_activated)
        self.recent_list.setMaximumWidth(640)

        column = QVBoxLayout()
        column.setSpacing(12)
        column.addStretch(2)
        column.addWidget(self.title)
        column.addWidget(self.hint, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addSpacing(6)
        column.addWidget(self.open_button, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addSpacing(18)
        column.addWidget(self.recent_label, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addWidget(self.recent_list, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(3)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 20, 40, 20)
        outer.addLayout(column)
        self.set_recent_files(())

    def set_recent_files(self, files: Sequence[Path]) -> None:
        """List ``files`` (newest first) under the Open button; hidden when there are none."""
        self.recent_list.clear()
        for path in files:
            item = QListWidgetItem(f"{path.name}   —   {path.parent}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            self.recent_list.addItem(item)
        rows = min(len(files), 6)
        row_height = self.recent_list.sizeHintForRow(0) if files else 0
        self.recent_list.setFixedHeight(rows * row_height + 2 * self.recent_list.frameWidth() + 4)
        self.recent_list.setMinimumWidth(480)
        self.recent_label.setVisible(bool(files))
        self.recent_list.setVisible(bool(files))

    @Slot(QListWidgetItem)
    def _on_recent_list_item_activated(self, item: QListWidgetItem) -> None:
        self.recent_activated.emit(Path(str(item.data(Qt.ItemDataRole.UserRole))))
