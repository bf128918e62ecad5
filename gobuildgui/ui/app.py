"""Start the desktop application."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import gobuildgui
from gobuildgui.ui.appicon import APP_ID, app_icon
from gobuildgui.ui.mainwindow import MainWindow
from gobuildgui.ui.palette import apply_theme, requested_theme

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


def _follow_system_scheme(app: QApplication) -> None:
    """Switch between light and dark when the desktop does (unless a theme was forced)."""

    def on_scheme_changed(_scheme: Qt.ColorScheme) -> None:
        apply_theme(app, None)

    app.styleHints().colorSchemeChanged.connect(on_scheme_changed)


def run(path: str | None, *, theme: str | None = None) -> int:
    """Show the main window, with the Dockerfile at ``path`` open if given.

    ``theme`` is ``"light"``, ``"dark"`` or None (``$GOBUILDGUI_THEME``, else the
    desktop's colour scheme).  Returns the application's exit code when the last
    window closes.
    """
    app = application()
    apply_theme(app, theme)
    if requested_theme(theme) is None:
        _follow_system_scheme(app)
    window = main_window()
    window.show()
    if path is not None:
        window.open_interactively(Path(path))
    return app.exec()


def main_window() -> MainWindow:
    """The main window with its probe panel, build log and fix wizard plugged in."""
    from gobuildgui.ui.wiring import wire

    window = MainWindow()
    wire(window)
    return window
