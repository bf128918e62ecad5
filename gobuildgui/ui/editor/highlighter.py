"""Syntax highlighting for Dockerfiles, one block (line) at a time.

QSyntaxHighlighter calls :meth:`DockerfileHighlighter.highlightBlock` for each changed
line and only carries one ``int`` from line to line.  What a line means depends on
the lines before it (a continuation, an open heredoc, the escape character set by a
parser directive), so the full lexer state is a small tuple interned to an int: equal
states get equal ints, which is what lets Qt stop re-highlighting as soon as a line's
end state is unchanged.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from gobuildgui.ui.editor.theme import EditorTheme, theme_for_palette

INSTRUCTIONS = frozenset(
    {
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    }
)
_HEREDOC_INSTRUCTIONS = frozenset({"RUN", "COPY", "ADD"})
_DIRECTIVE_RE = re.compile(r"^[ \t]*#[ \t]*(syntax|escape|check)[ \t]*=[ \t]*(\S*)[ \t]*$", re.I)
_INSTRUCTION_RE = re.compile(r"^([ \t]*)([A-Za-z]+)")
_VAR_RE = re.compile(r"\$(?:\{[^}]*\}?|[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])")


def _arg_token_re(escape: str) -> re.Pattern[str]:
    e = re.escape(escape)
    return re.compile(
        rf"""
        (?P<ws>\s+)
        |(?P<heredoc><<(?P<strip>-)?(?P<q>["']?)(?P<delim>[A-Za-z_][A-Za-z0-9_.-]*)(?P=q))
        |(?P<dq>"(?:[^"{e}]|{e}.)*"?)
        |(?P<sq>'[^']*'?)
        |(?P<var>\$(?:\{{[^}}]*\}}?|[A-Za-z_][A-Za-z0-9_]*|[0-9@*\#?$!-]))
        |(?P<flag>--[A-Za-z][A-Za-z0-9-]*(?:=\S*)?)
        |(?P<other>[^\s"'$<]+|.)
        """,
        re.VERBOSE,
    )


_ARG_TOKEN_RES = {"\\": _arg_token_re("\\"), "`": _arg_token_re("`")}


class Heredoc(NamedTuple):
    delimiter: str
    strip_tabs: bool  # <<-EOF: leading tabs of the terminator (and body) are ignored
    expands: bool  # unquoted delimiter: $VARS in the body are expanded


class LexState(NamedTuple):
    """What the highlighter knows at the end of a line."""

    escape: str = "\\"
    continuation: bool = False  # the line ended with the escape character
    instruction: str = ""  # the instruction a continued line belongs to
    flags_open: bool = False  # still before the first non-flag argument
    heredocs: tuple[Heredoc, ...] = ()  # bodies still to come, in order
    directives_open: bool = True  # parser directives are only read at the top


_INITIAL = LexState()


class DockerfileHighlighter(QSyntaxHighlighter):
    """Highlights instructions, flags, strings, variables, comments, heredoc bodies and
    parser directives; colours come from :func:`theme_for_palette`."""

    def __init__(self, document: QTextDocument, theme: EditorTheme | None = None) -> None:
        super().__init__(document)
        self._states: list[LexState] = []
        self._state_ids: dict[LexState, int] = {}
        self._formats: dict[str, QTextCharFormat] = {}
        self.set_theme(theme if theme is not None else theme_for_palette())

    def set_theme(self, theme: EditorTheme) -> None:
        """Use ``theme``'s colours (re-highlights the whole document)."""

        def fmt(color: QColor, *, bold: bool = False, italic: bool = False) -> QTextCharFormat:
            f = QTextCharFormat()
            f.setForeground(color)
            if bold:
                f.setFontWeight(QFont.Weight.Bold)
            if italic:
                f.setFontItalic(True)
            return f

        self._formats = {
            "keyword": fmt(theme.keyword, bold=True),
            "directive": fmt(theme.directive, italic=True),
            "flag": fmt(theme.flag),
            "string": fmt(theme.string),
            "variable": fmt(theme.variable),
            "comment": fmt(theme.comment, italic=True),
            "heredoc": fmt(theme.heredoc),
            "heredoc_marker": fmt(theme.heredoc_marker, bold=True),
        }
        self.rehighlight()

    def format_for(self, kind: str) -> QTextCharFormat:
        """The format used for ``kind`` (``keyword``, ``comment``, ``heredoc`` ...)."""
        return self._formats[kind]

    # -- state interning ------------------------------------------------------------------

    def _state_id(self, state: LexState) -> int:
        sid = self._state_ids.get(state)
        if sid is None:
            sid = len(self._states)
            self._states.append(state)
            self._state_ids[state] = sid
        return sid

    def _previous_state(self) -> LexState:
        sid = self.previousBlockState()
        return self._states[sid] if 0 <= sid < len(self._states) else _INITIAL

    # -- lexing ----------------------------------------------------------------------------

    def highlightBlock(self, text: str) -> None:
        state = self.lex_line(text, self._previous_state())
        self.setCurrentBlockState(self._state_id(state))

    def lex_line(self, text: str, state: LexState) -> LexState:
        """Format ``text`` (one line) after ``state``; return the state after it."""
        fmts = self._formats
        if state.heredocs:
            return self._heredoc_line(text, state)

        if state.directives_open:
            m = _DIRECTIVE_RE.match(text)
            if m:
                self.setFormat(0, len(text), fmts["directive"])
                if m.group(1).lower() == "escape" and m.group(2) in ("\\", "`"):
                    return state._replace(escape=m.group(2))
                return state
            state = state._replace(directives_open=False)

        stripped = text.lstrip()
        if stripped.startswith("#"):
            # Comment lines are dropped even inside a continuation, which goes on after them.
            self.setFormat(0, len(text), fmts["comment"])
            return state
        if not stripped:
            return state  # blank lines inside a continuation are skipped too

        start = 0
        instruction = state.instruction
        flags_open = state.flags_open
        if not state.continuation:
            m = _INSTRUCTION_RE.match(text)
            if m is None:
                instruction, flags_open = "", False
                start = 0
            else:
                word = m.group(2).upper()
                start = m.end()
                instruction = word
                flags_open = True
                if word in INSTRUCTIONS:
                    self.setFormat(m.start(2), len(word), fmts["keyword"])
                    if word == "ONBUILD":
                        m2 = _INSTRUCTION_RE.match(text, start)
                        if m2 is not None and m2.group(2).upper() in INSTRUCTIONS:
                            instruction = m2.group(2).upper()
                            self.setFormat(m2.start(2), len(m2.group(2)), fmts["keyword"])
                            start = m2.end()
        return self._arguments(text, start, state, instruction, flags_open)

    def _arguments(
        self, text: str, start: int, state: LexState, instruction: str, flags_open: bool
    ) -> LexState:
        fmts = self._formats
        escape = state.escape
        heredocs = list(state.heredocs)
        allow_heredoc = instruction in _HEREDOC_INSTRUCTIONS
        at_word_start = True
        word_index = 0
        set_format = self.setFormat
        body = text.rstrip(" \t")
        continuation = body.endswith(escape)
        end = len(body) - 1 if continuation else len(text)
        for m in _ARG_TOKEN_RES[escape].finditer(text, start, max(end, start)):
            kind = m.lastgroup
            s = m.start()
            n = m.end() - s
            if kind == "ws":
                at_word_start = True
                continue
            if at_word_start:
                word_index += 1
            if kind == "flag":
                if flags_open and at_word_start:
                    set_format(s, n, fmts["flag"])
                    eq = m.group("flag").find("=")
                    if eq >= 0:
                        self._variables(m.group("flag"), s, eq + 1)
                else:
                    flags_open = False
            elif kind == "heredoc" and allow_heredoc and at_word_start:
                # Only a word that starts with << opens a heredoc ($((a<<b)) does not).
                set_format(s, n, fmts["heredoc_marker"])
                heredocs.append(
                    Heredoc(m.group("delim"), m.group("strip") is not None, not m.group("q"))
                )
                flags_open = False
            elif kind == "dq":
                set_format(s, n, fmts["string"])
                self._variables(m.group(), s, 1)
                flags_open = False
            elif kind == "sq":
                set_format(s, n, fmts["string"])
                flags_open = False
            elif kind == "var":
                set_format(s, n, fmts["variable"])
                flags_open = False
            else:
                if (
                    instruction == "FROM"
                    and at_word_start
                    and m.group().upper() == "AS"
                    and text[m.end() : m.end() + 1] in (" ", "\t")
                ):
                    set_format(s, n, fmts["keyword"])
                flags_open = False
            at_word_start = False
        if continuation:
            set_format(len(body) - 1, 1, fmts["flag"])
        return LexState(
            escape=escape,
            continuation=continuation,
            instruction=instruction if continuation else "",
            flags_open=flags_open if continuation else False,
            heredocs=tuple(heredocs),
            directives_open=False,
        )

    def _variables(self, text: str, offset: int, start: int) -> None:
        fmt = self._formats["variable"]
        for v in _VAR_RE.finditer(text, start):
            self.setFormat(offset + v.start(), v.end() - v.start(), fmt)

    def _heredoc_line(self, text: str, state: LexState) -> LexState:
        doc = state.heredocs[0]
        line = text.lstrip("\t") if doc.strip_tabs else text
        if line == doc.delimiter:
            self.setFormat(0, len(text), self._formats["heredoc_marker"])
            return state._replace(heredocs=state.heredocs[1:])
        self.setFormat(0, len(text), self._formats["heredoc"])
        if doc.expands:
            self._variables(text, 0, 0)
        return state
