"""Render the application icon's PNG sizes from its SVG (run after editing the SVG).

    QT_QPA_PLATFORM=offscreen python packaging/render_icons.py

Writes ``resources/icons/png/gobuildgui-<N>.png`` and the same files as package data under
``gobuildgui/resources/icons/`` (the window icon), plus a copy of the SVG there. With
Pillow installed it also writes ``packaging/windows/gobuildgui.ico`` and
``packaging/macos/gobuildgui.icns`` for the PyInstaller spec; without it those are skipped.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "gobuildgui.svg"
SIZES = (16, 32, 48, 64, 128, 256, 512)
PNG_DIR = ROOT / "resources" / "icons" / "png"
PACKAGE_DIR = ROOT / "gobuildgui" / "resources" / "icons"
ICO = ROOT / "packaging" / "windows" / "gobuildgui.ico"
ICNS = ROOT / "packaging" / "macos" / "gobuildgui.icns"


def png_name(size: int) -> str:
    return f"gobuildgui-{size}.png"


def render() -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {SVG} is not a valid SVG")
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    PACKAGE_DIR.mkdir(parents=True, exist_ok=True)
    written = []
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter)
        painter.end()
        out = PNG_DIR / png_name(size)
        if not image.save(str(out)):
            raise SystemExit(f"render_icons: cannot write {out}")
        shutil.copyfile(out, PACKAGE_DIR / out.name)
        written.append(out)
    shutil.copyfile(SVG, PACKAGE_DIR / SVG.name)
    return written


def platform_icons() -> None:
    try:
        from PIL import Image
    except ImportError:
        print("render_icons: Pillow not installed; .ico/.icns not written")
        return
    big = Image.open(PNG_DIR / png_name(512))
    ICO.parent.mkdir(parents=True, exist_ok=True)
    big.save(ICO, sizes=[(s, s) for s in SIZES if s <= 256])
    ICNS.parent.mkdir(parents=True, exist_ok=True)
    big.save(ICNS)
    print(f"render_icons: wrote {ICO.relative_to(ROOT)} and {ICNS.relative_to(ROOT)}")


def main() -> int:
    for path in render():
        print(f"render_icons: wrote {path.relative_to(ROOT)}")
    if "--platform-icons" in sys.argv[1:]:
        platform_icons()
    return 0


if __name__ == "__main__":
    sys.exit(main())
