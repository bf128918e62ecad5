"""The Dockerfile editor widget and what the window reuses from it.

Public API (names are stable; the main window and the tests use them):

``DockerfileEditor(QPlainTextEdit)`` (:mod:`.widget`)
    ``DockerfileEditor(parent=None, *, confirm_unsafe=None, debounce_ms=200)``.

    - ``set_lint_context(path, config=None)``: lint as the Dockerfile at ``path`` (its
      folder gives go.mod, go.sum, .dockerignore and, when ``config`` is None, the
      project's configuration); re-lints at once.
    - signal ``diagnostics_changed(object)``: a sorted ``tuple[Diagnostic, ...]`` after
      every lint.  Linting runs on a private thread pool after a short debounce; results
      for an older text are dropped (a generation counter).
    - ``diagnostics()``, ``lint_now()`` (synchronous), ``lint_pending()``.
    - ``goto_span(span)``, ``goto_line(line, column=1)``: select, scroll, focus.
    - ``next_problem()``, ``previous_problem()``: wrap around; False when there are none.
    - ``apply_fix(diagnostic) -> bool``: one undoable edit block; an unsafe fix asks
      ``confirm_unsafe(diagnostic)`` first (attribute or constructor argument; None asks
      the user with a message box).  Display-only fixes are never applied.
    - ``fixes_at(position)``: diagnostics with an applicable fix overlapping a document
      position; ``fixes_for_cursor()``: at the cursor, else on the cursor's line.
    - ``show_quick_fix_menu()`` (Ctrl+., the gutter lightbulb) and the context menu's
      "Quick fix: <title>" items, ``(unsafe)`` where the fix changes behaviour.
    - ``find(text, *, backward=False, case_sensitive=False) -> bool`` (wraps around).
    - signal ``documentation_requested(str)``: a rule code, from the hover popup's
      "Docs" link or the context menu.

    Offsets in diagnostics are Python string offsets into the linted text; the editor
    converts them to Qt's UTF-16 positions.  The widget holds text as Qt gives it: the
    window converts line endings and encodings when it loads and saves.

``RuleDocDialog`` (:mod:`.ruledoc`)
    Shows a rule's documentation from the registry.

:mod:`.theme`
    ``severity_color(severity, palette=None)``, ``severity_icon(severity, palette=None,
    size=16)``, ``theme_for_palette(palette)``, ``is_dark(palette)``: light and dark
    colours for each severity and for the syntax highlighting.
"""

from __future__ import annotations

from gobuildgui.ui.editor.highlighter import DockerfileHighlighter
from gobuildgui.ui.editor.ruledoc import RuleDocDialog, rule_markdown
from gobuildgui.ui.editor.theme import (
    EditorTheme,
    is_dark,
    severity_color,
    severity_icon,
    theme_for_palette,
)
from gobuildgui.ui.editor.widget import DockerfileEditor

__all__ = [
    "DockerfileEditor",
    "DockerfileHighlighter",
    "EditorTheme",
    "RuleDocDialog",
    "is_dark",
    "rule_markdown",
    "severity_color",
    "severity_icon",
    "theme_for_palette",
]
