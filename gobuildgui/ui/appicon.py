"""The application icon, read from package data (works from a wheel and a PyInstaller bundle)."""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap

ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)
APP_ID = "io.github.gobuildgui.GoBuildGui"


def _icons() -> resources.abc.Traversable:
    return resources.files("gobuildgui").joinpath("resources", "icons")


def app_icon() -> QIcon:
    """The window icon with every rendered size (an empty icon if the data is missing)."""
    icon = QIcon()
    folder = _icons()
    for size in ICON_SIZES:
        entry = folder.joinpath(f"gobuildgui-{size}.png")
        if entry.is_file():
            pixmap = QPixmap()
            if pixmap.loadFromData(entry.read_bytes(), "PNG"):
                icon.addPixmap(pixmap)
    return icon


def icon_sizes(icon: QIcon) -> list[int]:
    """The square sizes ``icon`` holds (for checks and the smoke test)."""
    return sorted({s.width() for s in icon.availableSizes() if s == QSize(s.width(), s.width())})
