"""Dockerfile syntax highlighting: what gets which format, line by line."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from gobuildgui.ui.editor import DockerfileEditor

KINDS = (
    "keyword",
    "directive",
    "flag",
    "string",
    "variable",
    "comment",
    "heredoc",
    "heredoc_marker",
)

Highlight = Callable[[str], list[list[tuple[str, str]]]]


@pytest.fixture
def highlight(qtbot: QtBot) -> Highlight:
    editor = DockerfileEditor()
    qtbot.addWidget(editor)

    def run(text: str) -> list[list[tuple[str, str]]]:
        editor.setPlainText(text)
        doc = editor.document()
        hl = editor.highlighter
        out: list[list[tuple[str, str]]] = []
        block = doc.begin()
        while block.isValid():
            line = block.text()
            spans: list[tuple[str, str]] = []
            for r in block.layout().formats():
                kind = next((k for k in KINDS if r.format == hl.format_for(k)), "?")
                spans.append((kind, line[r.start : r.start + r.length]))
            out.append(spans)
            block = block.next()
        return out

    return run


def test_instruction_flags_strings_and_variables(highlight: Highlight) -> None:
    lines = highlight(
        "FROM --platform=$BUILDPLATFORM golang:${GO_VERSION} AS build\n"
        "RUN --mount=type=cache,target=/go/pkg/mod"
        ' go test --count=1 -ldflags="-X main.v=$V" ./...\n'
        "  # not a directive\n"
    )
    first = lines[0]
    assert ("keyword", "FROM") in first
    assert ("flag", "--platform=") in first
    assert ("variable", "$BUILDPLATFORM") in first
    assert ("variable", "${GO_VERSION}") in first
    assert ("keyword", "AS") in first
    second = lines[1]
    assert ("keyword", "RUN") in second
    assert ("flag", "--mount=type=cache,target=/go/pkg/mod") in second
    assert ("string", '"-X main.v=') in second
    assert ("variable", "$V") in second
    # A flag-like word after the command is an argument of the command, not of RUN.
    assert ("flag", "--count=1") not in second
    assert lines[2] == [("comment", "  # not a directive")]


def test_parser_directives_only_at_the_top(highlight: Highlight) -> None:
    lines = highlight("# syntax=docker/dockerfile:1\n# escape=\\\nFROM alpine\n# syntax=late\n")
    assert lines[0] == [("directive", "# syntax=docker/dockerfile:1")]
    assert lines[1] == [("directive", "# escape=\\")]
    assert lines[3] == [("comment", "# syntax=late")]


def test_continuation_lines_are_arguments_not_instructions(highlight: Highlight) -> None:
    lines = highlight(
        "RUN --mount=type=ssh \\\n"
        "    --mount=type=secret,id=netrc \\\n"
        "    # comment inside\n"
        "    echo run copy $HOME\n"
        "COPY . .\n"
    )
    assert ("flag", "--mount=type=secret,id=netrc") in lines[1]
    assert lines[2] == [("comment", "    # comment inside")]
    assert ("variable", "$HOME") in lines[3]
    assert all(kind != "keyword" for kind, _ in lines[3])
    assert ("keyword", "COPY") in lines[4]


def test_heredoc_bodies_across_blocks(highlight: Highlight) -> None:
    lines = highlight(
        "COPY <<A <<'B' /dst/\n"
        "echo $X\n"
        "A\n"
        "FROM not-an-instruction $Y\n"
        "B\n"
        "RUN <<-EOT\n"
        "\tgo mod download\n"
        "\tEOT\n"
        "WORKDIR /src\n"
    )
    assert ("heredoc_marker", "<<A") in lines[0]
    assert ("heredoc_marker", "<<'B'") in lines[0]
    assert ("heredoc", "echo ") in lines[1]
    assert ("variable", "$X") in lines[1]  # unquoted delimiter: expanded
    assert lines[2] == [("heredoc_marker", "A")]
    assert lines[3] == [("heredoc", "FROM not-an-instruction $Y")]  # quoted: literal
    assert lines[4] == [("heredoc_marker", "B")]
    assert lines[6] == [("heredoc", "\tgo mod download")]
    assert lines[7] == [("heredoc_marker", "\tEOT")]
    assert ("keyword", "WORKDIR") in lines[8]


def test_escape_directive_backtick(highlight: Highlight) -> None:
    lines = highlight("# escape=`\nRUN dir c:\\ `\n    && echo done\nUSER app\n")
    assert all(kind != "keyword" for kind, _ in lines[2])
    assert ("keyword", "USER") in lines[3]


def test_editing_reopens_and_closes_a_heredoc(qtbot: QtBot) -> None:
    editor = DockerfileEditor()
    qtbot.addWidget(editor)
    editor.setPlainText("RUN echo\nFROM alpine\n")
    doc = editor.document()
    hl = editor.highlighter
    second = doc.findBlockByNumber(1)
    assert any(r.format == hl.format_for("keyword") for r in second.layout().formats())
    cursor = QTextCursor(doc.findBlockByNumber(0))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.insertText(" <<EOF")  # the next line becomes a heredoc body
    second = doc.findBlockByNumber(1)
    assert [r.format == hl.format_for("heredoc") for r in second.layout().formats()] == [True]
    cursor.insertText("\nEOF")  # closed again: the line after is an instruction once more
    third = doc.findBlockByNumber(2)
    assert third.text() == "FROM alpine"
    assert any(r.format == hl.format_for("keyword") for r in third.layout().formats())


def test_shift_operator_is_not_a_heredoc(highlight: Highlight) -> None:
    lines = highlight('RUN echo $((1<<x)) "<<EOF"\nUSER app\n')
    assert all(kind != "heredoc_marker" for kind, _ in lines[0])
    assert ("keyword", "USER") in lines[1]
