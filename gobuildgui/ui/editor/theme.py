"""Colours and icons for the editor, picked from the current palette (light or dark).

The window reuses :func:`severity_color` and :func:`severity_icon` for its problems
list so a severity looks the same everywhere.  Colours are chosen for contrast on the
palette's base colour: the saturated shades that read well on white are too dark on
a dark background, so dark palettes get lighter tints of the same hues.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
    QScreen,
)

from gobuildgui.core.model import Severity

# (light, dark) per severity: error red, warning amber, info blue, style green-grey.
_SEVERITY_RGB: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: ("#d32f2f", "#f2736b"),
    Severity.WARNING: ("#c77700", "#f0b429"),
    Severity.INFO: ("#1f6fd1", "#6cb6ff"),
    Severity.STYLE: ("#5b7f5b", "#9fbf9f"),
}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (the application's by default) is a dark one."""
    pal = palette if palette is not None else QGuiApplication.palette()
    return pal.color(QPalette.ColorRole.Window).lightness() < 128


def severity_color(severity: Severity, palette: QPalette | None = None) -> QColor:
    """The colour of ``severity`` for squiggles, markers and icons on ``palette``."""
    light, dark = _SEVERITY_RGB[severity]
    return QColor(dark if is_dark(palette) else light)


def severity_icon(severity: Severity, palette: QPalette | None = None, size: int = 16) -> QIcon:
    """A small drawn icon for ``severity``: a disc (error), a triangle (warning),
    an "i" disc (info) or a diamond (style), in the severity's colour."""
    return QIcon(severity_pixmap(severity, palette, size))


def severity_pixmap(severity: Severity, palette: QPalette | None = None, size: int = 16) -> QPixmap:
    """The pixmap of :func:`severity_icon` (at the screen's device pixel ratio)."""
    return _severity_pixmap(severity, severity_color(severity, palette).name(), size, _dpr())


def _dpr() -> float:
    screen: QScreen | None = QGuiApplication.primaryScreen()
    # None before the application exists or without screens (the stubs say otherwise).
    return screen.devicePixelRatio() if screen is not None else 1.0


@lru_cache(maxsize=64)
def _severity_pixmap(severity: Severity, color: str, size: int, dpr: float) -> QPixmap:
    pix = QPixmap(round(size * dpr), round(size * dpr))
    pix.setDevicePixelRatio(dpr)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = QColor(color)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(fill))
    m = size * 0.08
    r = QRectF(m, m, size - 2 * m, size - 2 * m)
    glyph = ""
    if severity is Severity.ERROR:
        p.drawEllipse(r)
        glyph = "!"
    elif severity is Severity.WARNING:
        tri = QPolygonF(
            [
                QPointF(r.center().x(), r.top()),
                QPointF(r.right(), r.bottom()),
                QPointF(r.left(), r.bottom()),
            ]
        )
        path = QPainterPath()
        path.addPolygon(tri)
        path.closeSubpath()
        p.drawPath(path)
        glyph = "!"
    elif severity is Severity.INFO:
        p.drawEllipse(r)
        glyph = "i"
    else:
        c = r.center()
        half = r.width() * 0.42
        p.drawPolygon(
            QPolygonF(
                [
                    QPointF(c.x(), c.y() - half),
                    QPointF(c.x() + half, c.y()),
                    QPointF(c.x(), c.y() + half),
                    QPointF(c.x() - half, c.y()),
                ]
            )
        )
    if glyph:
        font = QFont()
        font.setBold(True)
        font.setPixelSize(max(int(size * 0.62), 6))
        p.setFont(font)
        # White on the light theme's dark fills, near-black on the dark theme's light fills.
        p.setPen(QPen(QColor("#ffffff" if fill.lightness() < 150 else "#1b1b1b")))
        text_rect = QRectF(r)
        if severity is Severity.WARNING:
            text_rect.adjust(0, r.height() * 0.18, 0, 0)
        p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, glyph)
    p.end()
    return pix


def lightbulb_pixmap(palette: QPalette | None = None, size: int = 16) -> QPixmap:
    """The quick-fix lightbulb drawn in the gutter."""
    return _lightbulb_pixmap("#f5c518" if is_dark(palette) else "#e0a800", size, _dpr())


@lru_cache(maxsize=8)
def _lightbulb_pixmap(color: str, size: int, dpr: float) -> QPixmap:
    pix = QPixmap(round(size * dpr), round(size * dpr))
    pix.setDevicePixelRatio(dpr)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#6b5200"), max(size / 16, 1.0)))
    p.setBrush(QColor(color))
    bulb = QRectF(size * 0.2, size * 0.06, size * 0.6, size * 0.6)
    p.drawEllipse(bulb)
    p.setBrush(QColor("#8a8a8a"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(size * 0.34, size * 0.66, size * 0.32, size * 0.26), 1.5, 1.5)
    p.end()
    return pix


@dataclass(frozen=True, slots=True)
class EditorTheme:
    """Every colour the editor draws with, for one palette."""

    dark: bool
    keyword: QColor
    directive: QColor
    flag: QColor
    string: QColor
    variable: QColor
    comment: QColor
    heredoc: QColor
    heredoc_marker: QColor
    current_line: QColor
    bracket_match: QColor
    gutter_background: QColor
    gutter_text: QColor
    gutter_current_text: QColor

    def severity(self, severity: Severity) -> QColor:
        """The squiggle and marker colour of ``severity``."""
        light, dark = _SEVERITY_RGB[severity]
        return QColor(dark if self.dark else light)


def theme_for_palette(palette: QPalette | None = None) -> EditorTheme:
    """The editor theme that suits ``palette`` (the application's by default)."""
    pal = palette if palette is not None else QGuiApplication.palette()
    dark = is_dark(pal)
    base = pal.color(QPalette.ColorRole.Base)
    text = pal.color(QPalette.ColorRole.Text)
    window = pal.color(QPalette.ColorRole.Window)
    gutter_bg = window.darker(106) if not dark else window.lighter(112)
    mid_text = _mix(text, base, 0.45)
    if dark:
        return EditorTheme(
            dark=True,
            keyword=QColor("#79b8ff"),
            directive=QColor("#d2a8ff"),
            flag=QColor("#ffab70"),
            string=QColor("#9ecb7c"),
            variable=QColor("#e6c07b"),
            comment=QColor("#8b949e"),
            heredoc=QColor("#7fcfc4"),
            heredoc_marker=QColor("#d2a8ff"),
            current_line=_mix(base, QColor("#ffffff"), 0.06),
            bracket_match=QColor(80, 110, 150, 150),
            gutter_background=gutter_bg,
            gutter_text=mid_text,
            gutter_current_text=text,
        )
    return EditorTheme(
        dark=False,
        keyword=QColor("#0b4fa8"),
        directive=QColor("#8a2be2"),
        flag=QColor("#a0521b"),
        string=QColor("#2e7d32"),
        variable=QColor("#8c6200"),
        comment=QColor("#6a737d"),
        heredoc=QColor("#00695c"),
        heredoc_marker=QColor("#8a2be2"),
        current_line=_mix(base, QColor("#3070ff"), 0.07),
        bracket_match=QColor(120, 170, 255, 110),
        gutter_background=gutter_bg,
        gutter_text=mid_text,
        gutter_current_text=text,
    )


def _mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` of the way towards ``b``."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * t),
        round(a.green() + (b.green() - a.green()) * t),
        round(a.blue() + (b.blue() - a.blue()) * t),
    )
