"""Severity colours for light and dark palettes, and the rule documentation dialog."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette, QTextCharFormat
from PySide6.QtWidgets import QTextEdit
from pytestqt.qtbot import QtBot

from gobuildgui.core.dockerfile.rules import ALL_RULES
from gobuildgui.core.model import Severity
from gobuildgui.ui.editor import (
    DockerfileEditor,
    RuleDocDialog,
    is_dark,
    severity_color,
    severity_icon,
    theme_for_palette,
)


def _palette(window: str, base: str, text: str) -> QPalette:
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.Window, QColor(window))
    pal.setColor(QPalette.ColorRole.Base, QColor(base))
    pal.setColor(QPalette.ColorRole.Text, QColor(text))
    return pal


LIGHT = ("#efefef", "#ffffff", "#000000")
DARK = ("#2b2b2b", "#1e1e1e", "#dddddd")


def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("colors", [LIGHT, DARK], ids=["light", "dark"])
def test_severity_colours_are_readable_and_distinct(qtbot: QtBot, colors: tuple[str, ...]) -> None:
    pal = _palette(*colors)
    base = pal.color(QPalette.ColorRole.Base)
    shades = {s: severity_color(s, pal) for s in Severity}
    assert len({c.name() for c in shades.values()}) == len(Severity)
    for severity, color in shades.items():
        # WCAG's 3:1 for graphics and large text: squiggles and markers are both.
        assert _contrast(color, base) >= 3.0, (severity, color.name(), base.name())
    theme = theme_for_palette(pal)
    for name in ("keyword", "directive", "flag", "string", "variable", "comment", "heredoc"):
        assert _contrast(getattr(theme, name), base) >= 3.0, name


def test_dark_palette_gets_lighter_shades(qtbot: QtBot) -> None:
    light, dark = _palette(*LIGHT), _palette(*DARK)
    assert not is_dark(light)
    assert is_dark(dark)
    for s in Severity:
        assert severity_color(s, dark).lightness() > severity_color(s, light).lightness()
    icon = severity_icon(Severity.ERROR, dark, 16)
    assert not icon.isNull()
    image = icon.pixmap(16, 16).toImage()
    assert image.pixelColor(8, 3).alpha() > 0  # a filled disc, not an empty pixmap


def test_editor_follows_a_palette_change(qtbot: QtBot) -> None:
    editor = DockerfileEditor(debounce_ms=0)
    qtbot.addWidget(editor)
    editor.setPalette(_palette(*LIGHT))
    editor.setPlainText("FROM golang:latest\n")
    editor.lint_now()

    def underline_colours() -> set[str]:
        sels: list[QTextEdit.ExtraSelection] = editor.extraSelections()
        wave = QTextCharFormat.UnderlineStyle.WaveUnderline
        return {s.format.underlineColor().name() for s in sels if s.format.underlineStyle() == wave}

    light_colours = underline_colours()
    assert severity_color(Severity.WARNING, _palette(*LIGHT)).name() in light_colours
    editor.setPalette(_palette(*DARK))
    assert editor.theme.dark
    assert severity_color(Severity.WARNING, _palette(*DARK)).name() in underline_colours()


def test_rule_doc_dialog_renders_the_registry(qtbot: QtBot) -> None:
    rule = ALL_RULES[len(ALL_RULES) // 2]
    dialog = RuleDocDialog(rule.code)
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert rule.code in text
    assert rule.name in text
    assert "What it does" in text
    assert rule.code in dialog.windowTitle()
    dialog.show_rule(rule.name)  # names work too
    assert dialog.rule is rule


def test_rule_doc_dialog_unknown_code(qtbot: QtBot) -> None:
    dialog = RuleDocDialog("GB3")
    qtbot.addWidget(dialog)
    assert dialog.rule is None
    text = dialog.browser.toPlainText()
    assert "There is no rule" in text
    assert "GB003" in text  # the likeliest meant code is suggested
