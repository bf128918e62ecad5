"""The window icon comes from package data, in every rendered size."""

from __future__ import annotations

from PySide6.QtCore import QSize
from pytestqt.qtbot import QtBot

from gobuildgui.ui import appicon
from gobuildgui.ui.app import application


def test_app_icon_has_every_size(qtbot: QtBot) -> None:
    icon = appicon.app_icon()
    assert not icon.isNull()
    assert appicon.icon_sizes(icon) == list(appicon.ICON_SIZES)
    # Small sizes are the rendered PNGs, not a scaled-down 512.
    pixmap = icon.pixmap(QSize(32, 32))
    assert (pixmap.width(), pixmap.height()) == (32, 32)
    image = pixmap.toImage()
    assert image.pixelColor(0, 0).alpha() == 0  # rounded corner: transparent
    assert image.pixelColor(16, 4).alpha() == 255  # inside the tile


def test_application_sets_icon_and_desktop_id(qtbot: QtBot) -> None:
    app = application()
    assert appicon.icon_sizes(app.windowIcon()) == list(appicon.ICON_SIZES)
    assert app.desktopFileName() == appicon.APP_ID
