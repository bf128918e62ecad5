"""Every question and message box of the window, in one replaceable object.

The window never calls ``QMessageBox`` directly: it asks its :class:`Messages`.
Tests pass a subclass that records the texts and answers from a script, so no modal
box ever blocks a test, and what the user is told can be asserted.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

APP_TITLE = "gobuildgui"


class UnsavedChoice(enum.Enum):
    """The answer to "save your changes?"."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Messages:
    """Modal message boxes, parented to the window."""

    def warning(self, parent: QWidget, text: str, *, details: str = "") -> None:
        """Tell the user something failed (and that nothing was lost)."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_TITLE, text, parent=parent)
        if details:
            box.setInformativeText(details)
        box.exec()

    def info(self, parent: QWidget, text: str, *, details: str = "") -> None:
        """Tell the user something."""
        box = QMessageBox(QMessageBox.Icon.Information, APP_TITLE, text, parent=parent)
        if details:
            box.setInformativeText(details)
        box.exec()

    def ask_unsaved(self, parent: QWidget, name: str) -> UnsavedChoice:
        """Ask whether to save ``name``'s changes before they would be lost."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            APP_TITLE,
            f"{name} has unsaved changes.",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            parent,
        )
        box.setInformativeText("Save them before going on?")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return UnsavedChoice.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return UnsavedChoice.DISCARD
        return UnsavedChoice.CANCEL

    def ask_reload(self, parent: QWidget, name: str) -> bool:
        """Ask whether to replace unsaved edits with ``name``'s new content on disk."""
        box = QMessageBox(QMessageBox.Icon.Question, APP_TITLE, f"{name} changed on disk.")
        box.setParent(parent, box.windowFlags())
        box.setInformativeText(
            "You have unsaved changes. Reload the file and lose them, or keep your"
            " version (saving it will overwrite the file on disk)?"
        )
        reload = box.addButton("Reload", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep my version", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is reload

    def ask_encoding(self, parent: QWidget, text: str) -> bool:
        """Offer to open a file that is not UTF-8 as Latin-1; True means yes."""
        box = QMessageBox(QMessageBox.Icon.Question, APP_TITLE, text)
        box.setParent(parent, box.windowFlags())
        box.setInformativeText(
            "Open it as Latin-1 (ISO-8859-1)? Saving keeps Latin-1. Choose Cancel to"
            " keep what is open now."
        )
        latin1 = box.addButton("Open as Latin-1", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is latin1

    def choose_file(self, parent: QWidget, text: str, files: Sequence[Path]) -> Path | None:
        """Let the user pick one of ``files`` (shown by name); None when cancelled."""
        names = [f.name for f in files]
        name, ok = QInputDialog.getItem(parent, APP_TITLE, text, names, 0, False)
        if not ok or name not in names:
            return None
        return files[names.index(name)]
