"""The diff view on its own: layouts, colours, masking, badges."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QPalette, QTextCursor
from pytestqt.qtbot import QtBot

from gobuildgui.core.fixes import DiffRow, FileChange, side_by_side
from gobuildgui.core.secrets import register_secret
from gobuildgui.ui.wizard.diffview import DiffMode, DiffView, diff_colours, file_diff, short_path

OLD = "a\nb\nc\nd\n"
NEW = "a\nB\nc\nd\ne\n"
UNIFIED = "--- x\n+++ x\n@@ -1,4 +1,5 @@\n a\n-b\n+B\n c\n d\n+e\n"


def rows(old: str, new: str) -> tuple[DiffRow, ...]:
    return side_by_side(FileChange(Path("f"), old, new, "", "test"))


@pytest.fixture
def view(qtbot: QtBot) -> DiffView:
    widget = DiffView()
    qtbot.addWidget(widget)
    widget.resize(800, 400)
    widget.show()
    return widget


def test_long_unchanged_runs_fold_in_the_two_column_layout(view: DiffView) -> None:
    old = "".join(f"line {n}\n" for n in range(1, 41))
    new = old.replace("line 20\n", "line twenty\n")
    view.set_diffs([file_diff("f", "", rows(old, new))])
    view.set_mode(DiffMode.SIDE_BY_SIDE)
    left = view.old_pane.toPlainText().split("\n")
    assert "\u22ef" in left  # the fold before the hunk
    assert any(line.endswith("line 20") for line in left)
    assert not any(line.endswith("line 2") for line in left)  # folded away
    assert len(left) < 20


def test_unified_shows_the_text_given_line_by_line_with_colours(view: DiffView) -> None:
    view.set_diffs([file_diff("/etc/docker/daemon.json", UNIFIED, rows(OLD, NEW), ("new file",))])
    assert view.unified_text() == UNIFIED
    text = view.unified_pane.toPlainText()
    assert text.startswith("/etc/docker/daemon.json   new file \n")
    assert text.endswith(UNIFIED.rstrip("\n"))
    colours = diff_colours(view.palette())
    doc = view.unified_pane.document()
    backgrounds = {}
    for n in range(doc.blockCount()):
        block = doc.findBlockByNumber(n)
        backgrounds[block.text()] = block.blockFormat().background().color().name()
    assert backgrounds["-b"] == colours.removed_bg.name()
    assert backgrounds["+B"] == colours.added_bg.name()
    assert backgrounds["+e"] == colours.added_bg.name()
    assert backgrounds["@@ -1,4 +1,5 @@"] == colours.hunk_bg.name()
    assert "2 removed" not in view.stats_label.text()
    assert view.stats_label.text() == "1 file \u00b7 2 added, 1 removed line"


def test_toggle_switches_to_two_aligned_panes(view: DiffView, qtbot: QtBot) -> None:
    view.set_diffs([file_diff("f", UNIFIED, rows(OLD, NEW))])
    with qtbot.waitSignal(view.mode_changed) as sig:
        view.side_button.click()
    assert sig.args == ["side-by-side"]
    assert view.mode() is DiffMode.SIDE_BY_SIDE
    left = view.old_pane.toPlainText().split("\n")
    right = view.new_pane.toPlainText().split("\n")
    assert len(left) == len(right)  # rows stay side by side
    assert right[-1].split() == ["5", "e"]
    assert left[-1] == ""  # the filler opposite the inserted line
    view.new_pane.verticalScrollBar().setValue(3)
    assert view.old_pane.verticalScrollBar().value() == view.new_pane.verticalScrollBar().value()
    view.set_mode(DiffMode.UNIFIED)
    assert view.mode() is DiffMode.UNIFIED


def test_secrets_are_masked_in_every_pane(view: DiffView) -> None:
    register_secret("s3cr3t-token-value")
    old = '{"proxy": "x"}\n'
    new = '{"proxy": "http://u:hunter22@p:3128", "t": "s3cr3t-token-value"}\n'
    unified = f"--- f\n+++ f\n@@ -1 +1 @@\n-{old}+{new}"
    view.set_diffs([file_diff("f", unified, rows(old, new))])
    view.set_mode(DiffMode.SIDE_BY_SIDE)
    assert view.new_pane.toPlainText()
    for pane in (view.unified_pane, view.old_pane, view.new_pane):
        text = pane.toPlainText()
        assert "hunter22" not in text
        assert "s3cr3t-token-value" not in text
    assert "u:****@p:3128" in view.new_pane.toPlainText()


def test_empty_state_says_so(view: DiffView) -> None:
    view.set_diffs([])
    assert view.unified_pane.toPlainText() == "No file changes."
    assert view.stats_label.text() == "Nothing to change"


def test_dark_palette_gets_dark_backgrounds_with_light_text(view: DiffView) -> None:
    light = diff_colours(view.palette())
    dark_palette = QPalette(view.palette())
    dark_palette.setColor(QPalette.ColorRole.Base, QColor("#101010"))
    dark_palette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    view.setPalette(dark_palette)
    dark = diff_colours(view.palette())
    assert dark.added_bg.lightness() < 100 < light.added_bg.lightness()
    assert dark.text.lightness() > 200
    view.set_diffs([file_diff("f", UNIFIED, rows(OLD, NEW))])
    cursor = QTextCursor(view.unified_pane.document())
    assert cursor.document().toPlainText()


def test_home_folder_is_shortened_in_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/dev")
    assert short_path("/home/dev/.docker/config.json") == "~/.docker/config.json"
    assert short_path("/home/developer/x") == "/home/developer/x"
    assert short_path(str(Path("/etc/docker/daemon.json"))) == "/etc/docker/daemon.json"
