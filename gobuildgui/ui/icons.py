"""Small line icons drawn in the palette's text colour, so they read in light and dark themes.

Qt's built-in arrow pixmaps are black whatever the palette; on a dark toolbar they
vanish.  These are redrawn whenever the palette changes.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPalette, QPen, QPixmap

KINDS = ("undo", "redo", "previous", "next")


def line_icon(kind: str, palette: QPalette, size: int = 18) -> QIcon:
    """An icon for ``kind`` (``undo``, ``redo``, ``previous``, ``next``) in ``palette``'s colours.

    The disabled state uses the palette's disabled text colour.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown icon {kind!r}; expected one of {', '.join(KINDS)}")
    icon = QIcon()
    normal = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.ButtonText)
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText)
    for scale in (1, 2):
        icon.addPixmap(_draw(kind, normal, size, scale), QIcon.Mode.Normal)
        icon.addPixmap(_draw(kind, disabled, size, scale), QIcon.Mode.Disabled)
    return icon


def _draw(kind: str, color: QColor, size: int, scale: int) -> QPixmap:
    pixmap = QPixmap(size * scale, size * scale)
    pixmap.setDevicePixelRatio(scale)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(color, size / 9)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    s = float(size)
    if kind in ("previous", "next"):
        # A chevron with a bar: "go to the previous / next one".
        up = kind == "previous"
        y_tip, y_base = (0.3 * s, 0.62 * s) if up else (0.7 * s, 0.38 * s)
        path = QPainterPath(QPointF(0.22 * s, y_base))
        path.lineTo(QPointF(0.5 * s, y_tip))
        path.lineTo(QPointF(0.78 * s, y_base))
        painter.drawPath(path)
        bar_y = 0.16 * s if up else 0.84 * s
        painter.drawLine(QPointF(0.25 * s, bar_y), QPointF(0.75 * s, bar_y))
    else:
        # A curved arrow: an arc ending in an arrowhead, mirrored for redo.
        if kind == "redo":
            painter.translate(s, 0)
            painter.scale(-1, 1)
        arc = QPainterPath()
        rect = QRectF(0.22 * s, 0.3 * s, 0.58 * s, 0.5 * s)
        arc.arcMoveTo(rect, 90)
        arc.arcTo(rect, 90, -200)
        painter.drawPath(arc)
        start = QPointF(0.51 * s, 0.3 * s)
        head = QPainterPath(QPointF(start.x() + 0.0 * s, start.y() - 0.16 * s))
        head.lineTo(QPointF(start.x() - 0.2 * s, start.y()))
        head.lineTo(QPointF(start.x() + 0.0 * s, start.y() + 0.16 * s))
        painter.drawPath(head)
    painter.end()
    return pixmap
