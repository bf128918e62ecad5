"""Shared by the main-window tests: a recording message hook and a window factory."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from gobuildgui.ui.mainwindow import MainWindow
from gobuildgui.ui.messages import Messages, UnsavedChoice
from gobuildgui.ui.settings import AppSettings

LATEST_GO = "FROM golang:latest\nWORKDIR /src\nCOPY . .\nRUN go mod download\n"


class RecordingMessages(Messages):
    """Records what the window tells the user and answers from a script, never blocking."""

    def __init__(self) -> None:
        self.warnings: list[str] = []
        self.infos: list[str] = []
        self.questions: list[tuple[str, str]] = []  # (kind, name or text)
        self.unsaved_answers: list[UnsavedChoice] = []
        self.reload_answers: list[bool] = []
        self.encoding_answers: list[bool] = []
        self.file_answers: list[str | None] = []  # a file name to pick, or None to cancel

    def warning(self, parent: QWidget, text: str, *, details: str = "") -> None:
        self.warnings.append(text)

    def info(self, parent: QWidget, text: str, *, details: str = "") -> None:
        self.infos.append(f"{text}\n{details}")

    def ask_unsaved(self, parent: QWidget, name: str) -> UnsavedChoice:
        self.questions.append(("unsaved", name))
        # Unscripted (e.g. the window closing at teardown): lose nothing on disk.
        return self.unsaved_answers.pop(0) if self.unsaved_answers else UnsavedChoice.DISCARD

    def ask_reload(self, parent: QWidget, name: str) -> bool:
        self.questions.append(("reload", name))
        return self.reload_answers.pop(0) if self.reload_answers else False

    def ask_encoding(self, parent: QWidget, text: str) -> bool:
        self.questions.append(("encoding", text))
        return self.encoding_answers.pop(0) if self.encoding_answers else False

    def choose_file(self, parent: QWidget, text: str, files: Sequence[Path]) -> Path | None:
        self.questions.append(("choose", f"{text} {[f.name for f in files]}"))
        name = self.file_answers.pop(0) if self.file_answers else None
        return next((f for f in files if f.name == name), None)


def make_window(qtbot: QtBot, config: Path, messages: RecordingMessages) -> MainWindow:
    """A main window with its settings in ``config`` and ``messages`` as its message hook."""
    win = MainWindow(settings=AppSettings(config), messages=messages)
    qtbot.addWidget(win)
    return win
