"""The editor widget: lint as you type, squiggles, quick fixes, navigation."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
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


MANY = "FROM golang:latest\nRUN apk add git\nADD app.go /src/\n"


def _starts(ed: DockerfileEditor) -> list[tuple[int, int]]:
    return sorted({(s, e) for s, e, _c in _wave_selections(ed)})


def test_stale_lint_results_are_dropped(qtbot: QtBot, editor: DockerfileEditor) -> None:
    # A long file makes each background lint slow enough for keystrokes to overtake it.
    prefix = "".join(f"# line {i}\nRUN echo {i}\n" for i in range(800))
    _set_text_and_lint(qtbot, editor, prefix)
    editor.set_debounce(0)
    shown: list[tuple[str, list[tuple[str, int, int]]]] = []
    editor.diagnostics_changed.connect(
        lambda ds: shown.append(
            (editor.toPlainText(), [(d.code, d.span.start, d.span.end) for d in ds])
        )
    )
    cursor = editor.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    editor.setFocus()
    typed = "FROM golang:latest"
    for ch in typed:
        QTest.keyClicks(editor, ch)
        qtbot.wait(3)
    qtbot.waitUntil(lambda: not editor.lint_pending(), timeout=10000)
    from gobuildgui.core.dockerfile.lint import lint

    assert shown, "no lint result was shown"
    assert len(shown) < len(typed)  # results for intermediate texts were dropped
    for text, diags in shown:
        # Whatever was shown belongs to the text on screen at that moment.
        assert diags == [(d.code, d.span.start, d.span.end) for d in lint(text).diagnostics]
    assert shown[-1][0] == prefix + typed
    assert any(code == "DL3007" for code, _s, _e in shown[-1][1])


def test_an_outdated_outcome_is_ignored(qtbot: QtBot, editor: DockerfileEditor) -> None:
    from gobuildgui.ui.editor.linting import LintOutcome, LintRequest, run_lint

    _set_text_and_lint(qtbot, editor, "FROM alpine:3.19\n")
    before = editor.diagnostics()
    old = run_lint(LintRequest(0, "FROM golang:latest\n", None, None))
    assert old.diagnostics
    with qtbot.assertNotEmitted(editor.diagnostics_changed):
        editor._on_lint_finished(LintOutcome(0, old.text, old.diagnostics))
    assert editor.diagnostics() == before


def test_gutter_width_grows_with_digits(qtbot: QtBot, editor: DockerfileEditor) -> None:
    widths = []
    for n in (9, 120, 12000):
        editor.setPlainText("\n" * (n - 1))
        assert editor.blockCount() == n
        widths.append(editor.gutter_width())
        assert editor.viewportMargins().left() == editor.gutter_width()
    assert widths[0] < widths[1] < widths[2]
    digit = editor.fontMetrics().horizontalAdvance("9")
    assert widths[2] - widths[1] == 2 * digit


def test_next_and_previous_problem_wrap(qtbot: QtBot, editor: DockerfileEditor) -> None:
    assert not editor.next_problem()
    assert not editor.previous_problem()
    _set_text_and_lint(qtbot, editor, MANY)
    places = _starts(editor)
    assert len(places) >= 3
    editor.goto_line(1)
    seen = []
    for _ in places:
        assert editor.next_problem()
        c = editor.textCursor()
        seen.append((c.selectionStart(), c.selectionEnd()))
    assert [s for s, _e in seen] == sorted({s for s, _e in places})
    assert editor.next_problem()  # wraps to the first
    assert editor.textCursor().selectionStart() == places[0][0]
    assert editor.previous_problem()  # and back round to the last
    assert editor.textCursor().selectionStart() == places[-1][0]


def test_goto_span_line_and_find(qtbot: QtBot, editor: DockerfileEditor) -> None:
    diags = _set_text_and_lint(qtbot, editor, MANY)
    d = next(d for d in diags if d.code == "DL3019")
    editor.goto_span(d.span)
    assert editor.textCursor().selectedText() == MANY[d.span.start : d.span.end]
    editor.goto_line(3, 5)
    c = editor.textCursor()
    assert (c.blockNumber(), c.positionInBlock()) == (2, 4)
    editor.goto_line(99, 99)  # clamped to the end
    assert editor.textCursor().blockNumber() == editor.blockCount() - 1
    editor.goto_line(1)
    assert editor.find("ADD")  # case-insensitive by default: "apk add" comes first
    assert (editor.textCursor().selectedText(), editor.textCursor().blockNumber()) == ("add", 1)
    assert editor.find("ADD", case_sensitive=True)
    assert (editor.textCursor().selectedText(), editor.textCursor().blockNumber()) == ("ADD", 2)
    assert editor.find("from")  # wraps; case-insensitive by default
    assert editor.textCursor().selectionStart() == 0
    assert not editor.find("from", case_sensitive=True)
    editor.goto_line(3)
    assert editor.find("RUN", backward=True)
    assert editor.textCursor().blockNumber() == 1
    assert not editor.find("nowhere")


def test_unsafe_fix_accepted_applies_and_undoes(qtbot: QtBot, editor: DockerfileEditor) -> None:
    editor.confirm_unsafe = lambda d: True
    diags = _set_text_and_lint(qtbot, editor, SAFE_FIX_TEXT)
    unsafe = next(d for d in diags if d.code == "GB160")
    assert editor.apply_fix(unsafe)
    assert "USER 65532:65532" in editor.toPlainText()
    editor.undo()
    assert editor.toPlainText() == SAFE_FIX_TEXT


def test_display_only_fix_is_never_applied(qtbot: QtBot, editor: DockerfileEditor) -> None:
    from gobuildgui.core.model import Applicability, Edit, Fix

    diags = _set_text_and_lint(qtbot, editor, SAFE_FIX_TEXT)
    base = diags[0]
    shown_only = Diagnostic(
        code=base.code,
        name=base.name,
        severity=base.severity,
        message=base.message,
        span=base.span,
        fix=Fix("copy this", (Edit(0, 0, "# x\n"),), Applicability.DISPLAY_ONLY),
    )
    assert not editor.apply_fix(shown_only)
    assert editor.toPlainText() == SAFE_FIX_TEXT


def test_stale_diagnostic_is_found_again_after_edits(
    qtbot: QtBot, editor: DockerfileEditor
) -> None:
    diags = _set_text_and_lint(qtbot, editor, SAFE_FIX_TEXT)
    fix = next(d for d in diags if d.code == "DL3019")
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    editor.insertPlainText("# top\n")  # every offset moves by 6
    assert editor.apply_fix(fix)
    assert editor.toPlainText() == "# top\nFROM alpine:3.19\nRUN apk add --no-cache git\n"


def test_quick_fix_shortcut_menu(qtbot: QtBot, editor: DockerfileEditor) -> None:
    _set_text_and_lint(qtbot, editor, SAFE_FIX_TEXT)
    editor.goto_line(2, 6)
    editor.setFocus()
    QTest.keyClick(editor, Qt.Key.Key_Period, Qt.KeyboardModifier.ControlModifier)
    menu = editor._fix_menu
    assert menu is not None
    assert menu.isVisible()
    labels = [a.text() for a in menu.actions()]
    assert labels == ["Quick fix: Add --no-cache"]
    menu.actions()[0].trigger()
    assert editor.toPlainText() == "FROM alpine:3.19\nRUN apk add --no-cache git\n"
    menu.close()


def test_context_menu_offers_fixes_and_docs(qtbot: QtBot, editor: DockerfileEditor) -> None:
    diags = _set_text_and_lint(qtbot, editor, SAFE_FIX_TEXT)
    gb160 = next(d for d in diags if d.code == "GB160")
    menu = editor.context_menu_at(gb160.span.start + 1)
    labels = [a.text() for a in menu.actions()]
    assert "Quick fix: Run as UID 65532 (append USER 65532:65532) (unsafe)" in labels
    docs = next(a for a in menu.actions() if a.text().startswith("Documentation: GB160"))
    with qtbot.waitSignal(editor.documentation_requested) as blocker:
        docs.trigger()
    assert blocker.args == ["GB160"]
    # Standard edit actions stay below ours.
    assert any("Copy" in a.text() for a in menu.actions())


def test_hover_popup_shows_message_docs_and_fix(qtbot: QtBot, editor: DockerfileEditor) -> None:
    diags = _set_text_and_lint(qtbot, editor, SAFE_FIX_TEXT)
    d = next(d for d in diags if d.code == "DL3019")
    text = editor.hover_html([d])
    assert "DL3019" in text
    assert d.name in text
    assert 'href="doc:DL3019"' in text
    assert "Add --no-cache" in text
    unsafe = editor.hover_html([next(d for d in diags if d.code == "GB160")])
    assert "(unsafe)" in unsafe
    # Hover over the middle of the span.
    cursor = editor.textCursor()
    cursor.setPosition(d.span.start + 2)
    rect = editor.cursorRect(cursor)
    assert editor.show_hover_at(rect.center())
    popup = editor._popup
    assert popup.isVisible()
    assert "DL3019" in popup.label.text()
    with qtbot.waitSignal(editor.documentation_requested) as blocker:
        popup.label.linkActivated.emit("doc:DL3019")
    assert blocker.args == ["DL3019"]
    # Away from any squiggle: no popup.
    assert not editor.show_hover_at(editor.cursorRect(QTextCursor(editor.document())).center())
    # The fix link applies the fix.
    assert editor.show_hover_at(rect.center())
    idx = editor.diagnostics().index(d)
    popup.label.linkActivated.emit(f"fix:{idx}")
    assert "--no-cache" in editor.toPlainText()


def test_gutter_markers_tooltip_and_lightbulb(qtbot: QtBot, editor: DockerfileEditor) -> None:
    diags = _set_text_and_lint(qtbot, editor, MANY)
    marks = editor.line_diagnostics()
    assert set(marks) == {editor.document().findBlock(d.span.start).blockNumber() for d in diags}
    tip = editor._gutter_tooltip(QPoint(5, editor.cursorRect(QTextCursor(editor.document())).y()))
    assert "DL3007" in tip
    # The lightbulb sits on the cursor's line when it has a fix; clicking it opens the menu.
    editor.goto_line(2)
    gutter = editor.gutter()
    y = editor.cursorRect().center().y()
    QTest.mouseClick(
        gutter,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(gutter.width() - 5, y),
    )
    menu = editor._fix_menu
    assert menu is not None
    assert [a.text() for a in menu.actions()] == ["Quick fix: Add --no-cache"]
    menu.close()
    # Clicking a line number moves the cursor there.
    QTest.mouseClick(
        gutter, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, y)
    )
    assert editor.textCursor().blockNumber() == 1


def test_astral_characters_keep_squiggles_in_place(qtbot: QtBot, editor: DockerfileEditor) -> None:
    text = "# \U0001f600\U0001f433 base\nFROM golang:latest\n"
    diags = _set_text_and_lint(qtbot, editor, text)
    d = next(d for d in diags if d.code == "DL3007")
    assert text[d.span.start : d.span.end] == "latest"
    for sel in editor.extraSelections():
        if sel.format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline:
            cur: QTextCursor = sel.cursor
            if cur.selectionStart() == d.span.start + 2:  # two surrogate pairs before it
                assert cur.selectedText() == "latest"
                break
    else:
        pytest.fail("no squiggle under 'latest'")
    editor.goto_span(d.span)
    assert editor.textCursor().selectedText() == "latest"


def test_current_line_and_bracket_highlight(qtbot: QtBot, editor: DockerfileEditor) -> None:
    from PySide6.QtGui import QTextFormat

    editor.setPlainText('RUN echo "(a)" [1]\nCMD ["x"]\n')
    editor.goto_line(1, 11)  # just after '('
    sels = editor.extraSelections()
    full = [s for s in sels if s.format.property(QTextFormat.Property.FullWidthSelection)]
    assert len(full) == 1
    assert full[0].cursor.blockNumber() == 0
    brackets = sorted(
        s.cursor.selectionStart()
        for s in sels
        if s.format.background().color() == editor.theme.bracket_match
    )
    assert brackets == [10, 12]
    editor.goto_line(1, 10)  # just after the opening quote
    quotes = sorted(
        s.cursor.selectionStart()
        for s in editor.extraSelections()
        if s.format.background().color() == editor.theme.bracket_match
    )
    assert quotes == [9, 13]


def test_bad_config_falls_back_to_defaults(
    qtbot: QtBot, editor: DockerfileEditor, tmp_path: Path
) -> None:
    (tmp_path / ".gobuildgui.toml").write_text("ignore = 12\n", encoding="utf-8")
    editor.setPlainText("FROM golang:latest\n")
    with qtbot.waitSignal(editor.diagnostics_changed, timeout=5000):
        editor.set_lint_context(tmp_path / "Dockerfile")
    assert editor.config_error
    assert any(d.code == "DL3007" for d in editor.diagnostics())


def test_deleting_the_editor_while_it_lints(qtbot: QtBot) -> None:
    ed = DockerfileEditor(debounce_ms=0)
    ed.setPlainText("".join(f"RUN echo {i}\n" for i in range(3000)))
    qtbot.wait(5)  # let the lint start on its thread
    ed.deleteLater()
    qtbot.wait(300)  # the queued result must not reach a deleted editor


def test_replacing_the_text_drops_old_squiggles_at_once(
    qtbot: QtBot, editor: DockerfileEditor
) -> None:
    _set_text_and_lint(qtbot, editor, MANY)
    assert _wave_selections(editor)
    editor.setPlainText("FROM alpine:3.19\n# nothing wrong here\n")
    assert _wave_selections(editor) == []
    assert editor.line_diagnostics() == {}
    qtbot.waitUntil(lambda: not editor.lint_pending(), timeout=5000)
    assert all(d.code != "DL3007" for d in editor.diagnostics())


def test_default_confirmation_asks_the_user(
    qtbot: QtBot, editor: DockerfileEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def answer(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    diags = _set_text_and_lint(qtbot, editor, SAFE_FIX_TEXT)
    assert editor.confirm_unsafe is None
    assert not editor.apply_fix(next(d for d in diags if d.code == "GB160"))
    assert len(asked) == 1
    assert "Run as UID 65532" in asked[0]
    assert editor.toPlainText() == SAFE_FIX_TEXT
    # Safe fixes never ask.
    assert editor.apply_fix(next(d for d in diags if d.code == "DL3019"))
    assert len(asked) == 1


def test_font_is_monospaced(editor: DockerfileEditor) -> None:
    fm = editor.fontMetrics()
    assert len({fm.horizontalAdvance(c) for c in "iMW.l"}) == 1


def test_goto_span_follows_edits_since_the_lint(qtbot: QtBot, editor: DockerfileEditor) -> None:
    diags = _set_text_and_lint(qtbot, editor, MANY)
    d = next(d for d in diags if d.code == "DL3019")
    editor.set_debounce(10_000)  # no relint during the test
    cursor = QTextCursor(editor.document())
    cursor.insertText("# a comment on top\n")
    editor.goto_span(d.span)
    assert editor.textCursor().selectedText() == MANY[d.span.start : d.span.end]
    assert editor.textCursor().blockNumber() == 2
