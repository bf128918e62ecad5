"""Start the desktop application."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

import gobuildgui
from gobuildgui.ui.appicon import APP_ID, app_icon
from gobuildgui.ui.mainwindow import MainWindow

APP_NAME = "gobuildgui"


def application() -> QApplication:
    """The process's QApplication, created (and named) on first use."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    if not isinstance(app, QApplication):
        raise RuntimeError("a QCoreApplication without widget support already exists")
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(gobuildgui.__version__)
    # The .desktop file's id (packaging/linux/): Wayland compositors match windows by it.
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(app_icon())
    return app


def run(path: str | None) -> int:
    """Show the main window, with the Dockerfile at ``path`` open if given.

    Returns the application's exit code when the last window closes.
    """
    app = application()
    window = MainWindow()
    window.show()
    if path is not None:
        window.open_interactively(Path(path))
    return app.exec()
