"""Light and dark looks: Fusion with the system's colour scheme, or one forced for screenshots.

``--theme light|dark`` (``gobuildgui gui``) or ``GOBUILDGUI_THEME`` pick one; otherwise
the window follows the desktop's colour scheme and switches when it does.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

THEME_ENV = "GOBUILDGUI_THEME"
THEMES = ("light", "dark")


def requested_theme(explicit: str | None = None) -> str | None:
    """``explicit``, else ``$GOBUILDGUI_THEME`` when it names a theme, else None (system)."""
    choice = explicit if explicit is not None else os.environ.get(THEME_ENV, "")
    choice = choice.strip().lower()
    return choice if choice in THEMES else None


def system_prefers_dark(app: QApplication) -> bool:
    """Whether the desktop asks for a dark colour scheme."""
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def light_palette() -> QPalette:
    """Fusion's own light palette, with a calmer highlight."""
    pal = QPalette(QColor("#efefef"))
    pal.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.AlternateBase, QColor("#f5f6f8"))
    pal.setColor(QPalette.ColorRole.Text, QColor("#1b1f23"))
    pal.setColor(QPalette.ColorRole.WindowText, QColor("#1b1f23"))
    pal.setColor(QPalette.ColorRole.ButtonText, QColor("#1b1f23"))
    pal.setColor(QPalette.ColorRole.Highlight, QColor("#2f6fd0"))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    pal.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffe8"))
    pal.setColor(QPalette.ColorRole.ToolTipText, QColor("#1b1f23"))
    pal.setColor(QPalette.ColorRole.Link, QColor("#1f5fbf"))
    pal.setColor(QPalette.ColorRole.PlaceholderText, QColor("#6a737d"))
    _disabled(pal, QColor("#8a8f96"))
    return pal


def dark_palette() -> QPalette:
    """A dark palette for Fusion with readable contrast (text ~ 12:1 on base)."""
    window = QColor("#2b2d31")
    base = QColor("#1e1f22")
    text = QColor("#dfe1e5")
    pal = QPalette(window)
    for role, colour in (
        (QPalette.ColorRole.Window, window),
        (QPalette.ColorRole.WindowText, text),
        (QPalette.ColorRole.Base, base),
        (QPalette.ColorRole.AlternateBase, QColor("#25272b")),
        (QPalette.ColorRole.Text, text),
        (QPalette.ColorRole.Button, QColor("#36383d")),
        (QPalette.ColorRole.ButtonText, text),
        (QPalette.ColorRole.BrightText, QColor("#ffffff")),
        (QPalette.ColorRole.Highlight, QColor("#3d6fb4")),
        (QPalette.ColorRole.HighlightedText, QColor("#ffffff")),
        (QPalette.ColorRole.ToolTipBase, QColor("#3a3d42")),
        (QPalette.ColorRole.ToolTipText, text),
        (QPalette.ColorRole.Link, QColor("#7fb2ff")),
        (QPalette.ColorRole.LinkVisited, QColor("#b49cff")),
        (QPalette.ColorRole.PlaceholderText, QColor("#8b9098")),
        (QPalette.ColorRole.Light, QColor("#45484e")),
        (QPalette.ColorRole.Midlight, QColor("#3a3c41")),
        (QPalette.ColorRole.Mid, QColor("#303236")),
        (QPalette.ColorRole.Dark, QColor("#18191b")),
        (QPalette.ColorRole.Shadow, QColor("#0c0c0d")),
    ):
        pal.setColor(role, colour)
    _disabled(pal, QColor("#80848b"))
    return pal


def _disabled(pal: QPalette, colour: QColor) -> None:
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, colour)


def apply_theme(app: QApplication, theme: str | None = None) -> str:
    """Use Fusion with the light or dark palette; returns the theme applied.

    ``theme`` None means :func:`requested_theme` (environment), else the system's scheme.
    """
    app.setStyle("Fusion")
    chosen = requested_theme(theme) or ("dark" if system_prefers_dark(app) else "light")
    app.setPalette(dark_palette() if chosen == "dark" else light_palette())
    app.setProperty("gobuildgui_theme", chosen)
    return chosen
