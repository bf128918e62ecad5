"""The editor widget: lint as you type, squiggles, quick fixes, navigation."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from gobuildgui.core.model import Diagnostic, Severity
from gobuildgui.ui.editor import DockerfileEditor

SAFE_FIX_TEXT = "FROM alpine:3.19\nRUN apk add git\n"  # DL3019: Add --no-cache (safe)


@pytest.fixture
def editor(qtbot: QtBot) -> DockerfileEditor:
    ed = DockerfileEditor(debounce_ms=50)
    ed.resize(700, 400)
    qtbot.addWidget(ed)
    ed.show()
    return ed


def _wave_selections(ed: DockerfileEditor) -> list[tuple[int, int, str]]:
    out = []
    for sel in ed.extraSelections():
        fmt: QTextCharFormat = sel.format
        if fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline:
            cur: QTextCursor = sel.cursor
            out.append((cur.selectionStart(), cur.selectionEnd(), fmt.underlineColor().name()))
    return out


def _set_text_and_lint(qtbot: QtBot, ed: DockerfileEditor, text: str) -> tuple[Diagnostic, ...]:
    with qtbot.waitSignal(ed.diagnostics_changed, timeout=5000) as blocker:
        ed.setPlainText(text)
    while ed.lint_pending():
        with qtbot.waitSignal(ed.diagnostics_changed, timeout=5000) as blocker:
            pass
    result = blocker.args[0]
    assert isinstance(result, tuple)
    return result


def test_typing_a_problem_underlines_its_exact_span(qtbot: QtBot, editor: DockerfileEditor) -> None:
    editor.setFocus()
    with qtbot.waitSignal(editor.diagnostics_changed, timeout=5000):
        QTest.keyClicks(editor, "FROM golang:latest")
    qtbot.waitUntil(lambda: not editor.lint_pending(), timeout=5000)
    diags = editor.diagnostics()
    latest = [d for d in diags if d.code == "DL3007"]
    assert len(latest) == 1
    span = latest[0].span
    assert "FROM golang:latest"[span.start : span.end] == "latest"
    waves = _wave_selections(editor)
    assert (span.start, span.end, editor.theme.severity(Severity.WARNING).name()) in waves


def test_safe_quick_fix_is_one_undo_step(qtbot: QtBot, editor: DockerfileEditor) -> None:
    diags = _set_text_and_lint(qtbot, editor, SAFE_FIX_TEXT)
    fix = next(d for d in diags if d.code == "DL3019")
    with qtbot.waitSignal(editor.diagnostics_changed, timeout=5000):
        assert editor.apply_fix(fix)
    assert editor.toPlainText() == "FROM alpine:3.19\nRUN apk add --no-cache git\n"
    qtbot.waitUntil(lambda: not editor.lint_pending(), timeout=5000)
    assert all(d.code != "DL3019" for d in editor.diagnostics())
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.toPlainText() == SAFE_FIX_TEXT


def test_declined_unsafe_fix_changes_nothing(qtbot: QtBot, editor: DockerfileEditor) -> None:
    asked: list[str] = []

    def decline(d: Diagnostic) -> bool:
        asked.append(d.code)
        return False

    editor.confirm_unsafe = decline
    diags = _set_text_and_lint(qtbot, editor, SAFE_FIX_TEXT)
    unsafe = next(d for d in diags if d.code == "GB160")
    assert not editor.apply_fix(unsafe)
    assert asked == ["GB160"]
    assert editor.toPlainText() == SAFE_FIX_TEXT
    assert not editor.document().isUndoAvailable() or editor.toPlainText() == SAFE_FIX_TEXT


def test_set_lint_context_reads_go_mod(
    qtbot: QtBot, editor: DockerfileEditor, tmp_path: Path
) -> None:
    (tmp_path / "go.mod").write_text("module example.test/x\n\ngo 1.23\n", encoding="utf-8")
    docker = tmp_path / "Dockerfile"
    _set_text_and_lint(qtbot, editor, "FROM golang:1.21 AS build\n")
    assert all(d.code != "GB115" for d in editor.diagnostics())
    with qtbot.waitSignal(editor.diagnostics_changed, timeout=5000):
        editor.set_lint_context(docker)
    assert any(d.code == "GB115" for d in editor.diagnostics())
