"""The preview of a two-file plan (daemon.json DNS + client proxy with a password).

The same scene makes the README screenshots: with ``GOBUILDGUI_SCREENSHOT_DIR`` set, the light
and dark captures are saved there as ``wizard-preview-light.png`` / ``wizard-preview-dark.png``
(run under Xvfb with ``QT_QPA_PLATFORM=xcb`` for the committed images).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot

from gobuildgui.core import fixes
from gobuildgui.core.fixes import Target
from gobuildgui.ui.wizard import catalogue
from gobuildgui.ui.wizard.diffview import DiffMode, diff_colours
from gobuildgui.ui.wizard.fixwizard import FixWizard
from tests.ui.wizard.conftest import DAEMON_JSON, TargetFiles, visible_texts

PASSWORD = "w1nter-Is-c0ming"
PROXY = f"http://jdoe:{PASSWORD}@proxy.corp.example:3128"


def dark_palette() -> QPalette:
    """A dark palette like the desktop's dark themes."""
    p = QPalette()
    role = QPalette.ColorRole
    for r, colour in (
        (role.Window, "#1e1f22"),
        (role.WindowText, "#e6e6e6"),
        (role.Base, "#16171a"),
        (role.AlternateBase, "#24262b"),
        (role.Text, "#e6e6e6"),
        (role.Button, "#2b2d31"),
        (role.ButtonText, "#e6e6e6"),
        (role.Highlight, "#2f6fdb"),
        (role.HighlightedText, "#ffffff"),
        (role.ToolTipBase, "#2b2d31"),
        (role.ToolTipText, "#e6e6e6"),
        (role.PlaceholderText, "#8a8f98"),
        (role.Light, "#3a3d42"),
        (role.Midlight, "#303236"),
        (role.Mid, "#26282c"),
        (role.Dark, "#111214"),
        (role.Shadow, "#000000"),
    ):
        p.setColor(r, QColor(colour))
    p.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor("#9aa0a6"))
    p.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor("#9aa0a6"))
    p.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor("#7d828a"))
    return p


@pytest.fixture
def short_root(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A short temp folder, so the paths in the screenshots read like a machine's."""
    root = Path(tempfile.mkdtemp(prefix="gbg-"))
    (root / "home" / "dev").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(root / "home" / "dev"))
    yield root
    shutil.rmtree(root)


def two_file_wizard(qtbot: QtBot, files: TargetFiles, root: Path) -> FixWizard:
    etc = root / "etc" / "docker"
    etc.mkdir(parents=True)
    daemon = etc / "daemon.json"
    daemon.write_bytes(DAEMON_JSON.encode())
    client_dir = root / "home" / "dev" / ".docker"
    client_dir.mkdir()
    client = client_dir / "config.json"
    client.write_bytes(files.client_config.read_bytes())
    ctx = files.context(overrides={Target.DAEMON_JSON: daemon, Target.CLIENT_CONFIG: client})

    def plan() -> fixes.FixPlan:
        return catalogue.combine_plans(
            [
                fixes.FIXES["daemon-dns"].build({"dns": "10.20.1.2, 10.20.1.3"}, ctx),
                fixes.FIXES["client-proxy"].build(
                    {"http-proxy": PROXY, "https-proxy": PROXY, "no-proxy": ".corp.example"},
                    ctx,
                ),
            ]
        )

    wizard = FixWizard(None, history=files.history(), fix_context=ctx, plan_factory=plan)
    qtbot.addWidget(wizard)
    wizard.resize(1180, 800)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def test_two_file_plan_preview_masks_the_password_and_applies_and_undoes_both(
    qtbot: QtBot, files: TargetFiles, short_root: Path
) -> None:
    wizard = two_file_wizard(qtbot, files, short_root)
    daemon = short_root / "etc" / "docker" / "daemon.json"
    client = short_root / "home" / "dev" / ".docker" / "config.json"
    before = {p: p.read_bytes() for p in (daemon, client)}
    assert wizard.currentId() == FixWizard.PAGE_PREVIEW
    view = wizard.preview_page().diff_view
    assert [d.path.rsplit("/", 1)[1] for d in view.diffs()] == ["daemon.json", "config.json"]
    shown = view.unified_pane.toPlainText()
    assert "jdoe:****@proxy.corp.example:3128" in shown
    assert "~/.docker/config.json" in shown  # the header names it the short way
    assert all(PASSWORD not in t for t in visible_texts(wizard))
    view.set_mode(DiffMode.SIDE_BY_SIDE)
    assert all(PASSWORD not in t for t in visible_texts(wizard))

    wizard.next()
    wizard.apply_page().apply_button.click()
    assert wizard.state.applied
    assert b'"10.20.1.3"' in daemon.read_bytes()
    assert PASSWORD.encode() in client.read_bytes()
    index = (files.history_dir / "index.json").read_text()
    assert PASSWORD not in index  # the history index holds masked summaries only

    wizard.button(QWizard.WizardButton.CustomButton1).click()
    assert {p: p.read_bytes() for p in (daemon, client)} == before


def _save(wizard: FixWizard, name: str, tmp_path: Path) -> QImage:
    QApplication.processEvents()
    image = wizard.grab().toImage()
    target = os.environ.get("GOBUILDGUI_SCREENSHOT_DIR")
    out = Path(target) if target else tmp_path
    image.save(str(out / name))
    return image


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_preview_renders_readably_in_light_and_dark(
    qtbot: QtBot, files: TargetFiles, short_root: Path, tmp_path: Path, theme: str
) -> None:
    wizard = two_file_wizard(qtbot, files, short_root)
    if theme == "dark":
        wizard.setPalette(dark_palette())
    QApplication.processEvents()
    view = wizard.preview_page().diff_view
    colours = diff_colours(view.palette())
    # The added/removed backgrounds must keep the text readable (WCAG AA: 4.5:1).
    for background in (colours.added_bg, colours.removed_bg, colours.hunk_bg):
        assert contrast(colours.text, background) >= 4.5
    assert contrast(colours.hunk_fg, colours.hunk_bg) >= 4.5
    image = _save(wizard, f"wizard-preview-{theme}.png", tmp_path)
    assert image.width() >= 1000
    # Both diff colours are on screen (the diff pane is not empty).
    seen = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 7)
        for y in range(0, image.height(), 5)
    }
    assert colours.added_bg.name() in seen
    assert colours.removed_bg.name() in seen


def contrast(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
