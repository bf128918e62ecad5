"""Make the README's main-window screenshots, the same way every time.

    Xvfb :92 -screen 0 1400x900x24 &
    DISPLAY=:92 python packaging/screenshots.py

Writes ``resources/screenshots/main-window-{light,dark,empty}.png``: the window at its
default size with ``resources/samples/corp-service/Dockerfile`` open (light and dark,
the problems list filled, GB115 selected) and the empty state.  Settings go
to a temporary folder, so the screenshots never show your recent files.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "resources" / "samples" / "corp-service" / "Dockerfile"
OUT = ROOT / "resources" / "screenshots"


def main() -> int:
    """Take the three screenshots; return the exit status."""
    if "DISPLAY" not in os.environ and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
        print("screenshots: set DISPLAY (e.g. an Xvfb) first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="gbg-shots-") as tmp:
        os.environ["GOBUILDGUI_CONFIG_DIR"] = tmp
        from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

        from gobuildgui.ui.app import application
        from gobuildgui.ui.mainwindow import MainWindow
        from gobuildgui.ui.palette import apply_theme
        from gobuildgui.ui.settings import AppSettings
        from gobuildgui.ui.wiring import wire

        app = application()
        OUT.mkdir(parents=True, exist_ok=True)

        def settle(ms: int = 300) -> None:
            loop = QEventLoop()
            QTimer.singleShot(ms, loop.quit)
            loop.exec()
            QCoreApplication.processEvents()

        for theme in ("light", "dark"):
            apply_theme(app, theme)
            window = MainWindow(settings=AppSettings(Path(tmp) / theme))
            wire(window)
            window.show()
            window.open_path(SAMPLE)
            settle()
            view = window.problems_view()
            # Select the image-older-than-go.mod problem, as a user would.
            for row, diag in enumerate(view.diagnostics):
                if diag.code == "GB115":
                    view.setCurrentItem(view.topLevelItem(row))
                    window.editor().goto_span(diag.span)
                    break
            settle()
            window.grab().save(str(OUT / f"main-window-{theme}.png"))
            window.editor().document().setModified(False)
            window.close()

        apply_theme(app, "light")
        settings = AppSettings(Path(tmp) / "empty")
        settings.add_recent_file(SAMPLE)
        window = MainWindow(settings=settings)
        wire(window)
        window.show()
        settle()
        window.grab().save(str(OUT / "main-window-empty.png"))
        window.close()
    for name in ("light", "dark", "empty"):
        print(OUT / f"main-window-{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
