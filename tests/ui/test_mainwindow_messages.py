"""The real message boxes behind the window's questions, answered by clicking their buttons."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QInputDialog,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from gobuildgui.ui.messages import Messages, UnsavedChoice


def _click_later(label: str, seen: list[str]) -> None:
    """Once the modal box is up, record its text and click the button called ``label``."""

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, click)
            return
        seen.append(f"{box.text()}\n{box.informativeText()}")
        for button in box.findChildren(QAbstractButton):
            if button.text().replace("&", "") == label:
                button.click()
                return
        raise AssertionError(f"no button {label!r} in {[b.text() for b in box.buttons()]}")

    QTimer.singleShot(0, click)


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Save", UnsavedChoice.SAVE),
        ("Discard", UnsavedChoice.DISCARD),
        ("Cancel", UnsavedChoice.CANCEL),
    ],
)
def test_ask_unsaved(parent: QWidget, label: str, expected: UnsavedChoice) -> None:
    seen: list[str] = []
    _click_later(label, seen)
    assert Messages().ask_unsaved(parent, "Dockerfile") is expected
    assert seen[0].startswith("Dockerfile has unsaved changes.")


@pytest.mark.parametrize(("label", "expected"), [("Reload", True), ("Keep my version", False)])
def test_ask_reload(parent: QWidget, label: str, expected: bool) -> None:
    seen: list[str] = []
    _click_later(label, seen)
    assert Messages().ask_reload(parent, "Dockerfile") is expected
    assert "changed on disk" in seen[0]


@pytest.mark.parametrize(("label", "expected"), [("Open as Latin-1", True), ("Cancel", False)])
def test_ask_encoding(parent: QWidget, label: str, expected: bool) -> None:
    seen: list[str] = []
    _click_later(label, seen)
    assert Messages().ask_encoding(parent, "x is not valid UTF-8") is expected
    assert "Latin-1" in seen[0]


@pytest.mark.parametrize("show", ["warning", "info"])
def test_warning_and_info(parent: QWidget, show: str) -> None:
    seen: list[str] = []
    _click_later("OK", seen)
    method: Callable[..., None] = getattr(Messages(), show)
    method(parent, "Something happened.", details="Nothing was changed.")
    assert seen == ["Something happened.\nNothing was changed."]


@pytest.mark.parametrize("accept", [True, False])
def test_choose_file(parent: QWidget, accept: bool) -> None:
    files = [Path("/x/Dockerfile.dev"), Path("/x/prod.Dockerfile")]

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QInputDialog):
            QTimer.singleShot(20, answer)
            return
        assert dialog.comboBoxItems() == ["Dockerfile.dev", "prod.Dockerfile"]
        dialog.setTextValue("prod.Dockerfile")
        if accept:
            dialog.accept()
        else:
            dialog.reject()

    QTimer.singleShot(0, answer)
    chosen = Messages().choose_file(parent, "Which one?", files)
    assert chosen == (files[1] if accept else None)
