"""Spans, line indexes, edits and diagnostic ordering (``gobuildgui.core.model``).

Offsets are Python string indices, i.e. code points; lines and columns are 1-based and
``end_column`` is exclusive.  ``LineIndex`` puts a ``\\r`` before ``\\n`` into the line
ending, but a column is still just ``offset - line_start + 1``.
"""

from __future__ import annotations

import pytest

from gobuildgui.core.model import (
    Diagnostic,
    Edit,
    LineIndex,
    Severity,
    Span,
    apply_edits,
    sort_diagnostics,
)

# -- LineIndex.position ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset", "expected"),
    [
        pytest.param("", 0, (1, 1), id="empty"),
        pytest.param("abc", 0, (1, 1), id="first-char"),
        pytest.param("abc", 2, (1, 3), id="last-char"),
        pytest.param("abc", 3, (1, 4), id="end-of-last-line-without-newline"),
        pytest.param("ab\ncd", 2, (1, 3), id="the-newline-is-past-the-line"),
        pytest.param("ab\ncd", 3, (2, 1), id="start-of-line-2"),
        pytest.param("ab\ncd", 5, (2, 3), id="end-of-text"),
        pytest.param("ab\n", 3, (2, 1), id="after-trailing-newline"),
        pytest.param("a\n\nb", 2, (2, 1), id="empty-line"),
        pytest.param("a\n\nb", 3, (3, 1), id="after-empty-line"),
        pytest.param("ab\r\ncd", 2, (1, 3), id="crlf-cr"),
        pytest.param("ab\r\ncd", 3, (1, 4), id="crlf-lf"),
        pytest.param("ab\r\ncd", 4, (2, 1), id="crlf-next-line"),
        pytest.param("ab\r\ncd", 6, (2, 3), id="crlf-end"),
        pytest.param("a\rb", 2, (1, 3), id="lone-cr-does-not-end-a-line"),
        pytest.param("\ufeffFROM", 0, (1, 1), id="bom-is-column-1"),
        pytest.param("\ufeffFROM", 1, (1, 2), id="after-bom"),
        pytest.param("😀x\n😀😀y", 1, (1, 2), id="astral-is-one-column"),
        pytest.param("😀x\n😀😀y", 5, (2, 3), id="astral-line-2"),
        pytest.param("é\u0301x", 2, (1, 3), id="combining-mark-is-a-column"),
    ],
)
def test_position(text: str, offset: int, expected: tuple[int, int]) -> None:
    index = LineIndex(text)
    assert index.position(offset) == expected
    # ``offset`` is the inverse wherever the position is inside a line's content.
    line, column = expected
    if offset <= index.line_end(line):
        assert index.offset(line, column) == offset


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(-5, (1, 1)), (-1, (1, 1)), (6, (2, 3)), (100, (2, 3))],
)
def test_position_clamps_into_the_text(offset: int, expected: tuple[int, int]) -> None:
    assert LineIndex("ab\ncd\n"[:5]).position(offset) == expected


def test_crlf_reports_the_same_columns_as_lf() -> None:
    lf = "FROM a\nRUN echo hi\n"
    crlf = lf.replace("\n", "\r\n")
    lf_index, crlf_index = LineIndex(lf), LineIndex(crlf)
    lf_at = lf.index("echo")
    crlf_at = crlf.index("echo")
    assert lf_index.position(lf_at) == crlf_index.position(crlf_at) == (2, 5)
    assert crlf_index.line_end(1) == crlf.index("\r")
    assert crlf_index.line_end(2) == crlf.index("\r", crlf_at)


# -- LineIndex: lines -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 1),
        ("a", 1),
        ("a\n", 1),
        ("a\nb", 2),
        ("a\nb\n", 2),
        ("a\n\n", 2),
        ("\n", 1),
        ("\n\n", 2),
        ("a\r\nb\r\n", 2),
        ("a\rb\r", 1),
    ],
)
def test_line_count_does_not_count_the_line_after_a_final_newline(text: str, count: int) -> None:
    assert LineIndex(text).line_count == count


def test_line_start_and_end() -> None:
    text = "ab\r\n\ncd\r\r\nlast"
    index = LineIndex(text)
    assert [index.line_start(n) for n in (1, 2, 3, 4)] == [0, 4, 5, 10]
    # One ``\r`` before ``\n`` belongs to the ending; the line-3 content keeps the other.
    assert [index.line_end(n) for n in (1, 2, 3, 4)] == [2, 4, 8, 14]
    assert text[index.line_start(3) : index.line_end(3)] == "cd\r"
    # Clamped line numbers.
    assert index.line_start(0) == index.line_start(-3) == 0
    assert index.line_start(99) == 10
    assert index.line_end(99) == len(text)


def test_offset_clamps_the_column_to_the_line() -> None:
    index = LineIndex("abc\r\nde")
    assert index.offset(1, 1) == 0
    assert index.offset(1, 4) == 3  # end of the content, before the CR
    assert index.offset(1, 50) == 3
    assert index.offset(1, 0) == 0
    assert index.offset(2, 3) == 7
    assert index.offset(2, 9) == 7
    assert index.offset(7, 1) == 5  # past the last line: the last line


def test_text_is_kept() -> None:
    assert LineIndex("x\ny").text == "x\ny"


# -- Span -------------------------------------------------------------------------------


def test_span_positions_are_computed_from_the_index() -> None:
    text = "FROM a\n  RUN b\n"
    span = LineIndex(text).span(9, 12)
    assert text[span.start : span.end] == "RUN"
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 3, 2, 6)


def test_span_across_lines() -> None:
    text = "RUN a \\\n  b\n"
    span = LineIndex(text).span(0, 11)
    assert (span.line, span.column, span.end_line, span.end_column) == (1, 1, 2, 4)


def test_span_with_explicit_positions() -> None:
    span = Span(3, 5, 2, 1, 2, 3)
    assert (span.start, span.end) == (3, 5)
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 1, 2, 3)


def test_span_default_positions() -> None:
    span = Span(0, 0)
    assert (span.line, span.column, span.end_line, span.end_column) == (1, 1, 1, 1)


def test_span_rejects_end_before_start() -> None:
    with pytest.raises(ValueError, match="before start"):
        Span(5, 4)


def test_empty_span_is_allowed() -> None:
    span = LineIndex("abc").span(2, 2)
    assert (span.start, span.end, span.column, span.end_column) == (2, 2, 3, 3)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (-3, 2, (0, 2)),
        (2, 1, (2, 2)),
        (1, 99, (1, 5)),
        (99, 100, (5, 5)),
        (-1, -1, (0, 0)),
    ],
)
def test_index_span_clamps(start: int, end: int, expected: tuple[int, int]) -> None:
    span = LineIndex("ab\ncd").span(start, end)
    assert (span.start, span.end) == expected


def test_span_equality_compares_offsets_and_positions() -> None:
    index = LineIndex("ab\ncd")
    lazy = index.span(3, 5)
    assert lazy == Span(3, 5, 2, 1, 2, 3)
    assert hash(lazy) == hash(Span(3, 5, 2, 1, 2, 3))
    assert lazy != Span(3, 5, 1, 1, 1, 3)  # same offsets, other positions
    assert lazy != index.span(3, 4)
    assert lazy != (3, 5)
    assert "line=2" in repr(lazy)
    assert "end_column=3" in repr(lazy)


def test_span_positions_in_crlf_bom_and_astral_text() -> None:
    text = "\ufeffFROM a\r\nRUN 😀 x\r\n"
    index = LineIndex(text)
    from_span = index.span(text.index("FROM"), text.index("FROM") + 4)
    assert (from_span.line, from_span.column, from_span.end_column) == (1, 2, 6)
    x = text.index(" x") + 1
    x_span = index.span(x, x + 1)
    # 😀 is one code point, so one column.
    assert (x_span.line, x_span.column, x_span.end_column) == (2, 7, 8)


# -- apply_edits ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        pytest.param([], "abcdef", id="none"),
        pytest.param([Edit(0, 0, ">")], ">abcdef", id="insert-at-start"),
        pytest.param([Edit(6, 6, "<")], "abcdef<", id="insert-at-end"),
        pytest.param([Edit(1, 3, "X")], "aXdef", id="replace"),
        pytest.param([Edit(1, 3, "")], "adef", id="delete"),
        pytest.param([Edit(0, 6, "")], "", id="delete-all"),
        pytest.param([Edit(4, 5, "E"), Edit(0, 1, "A")], "AbcdEf", id="unsorted"),
        pytest.param([Edit(0, 2, "1"), Edit(2, 4, "2")], "12ef", id="adjacent"),
        pytest.param([Edit(2, 2, "x"), Edit(2, 2, "y")], "abxycdef", id="same-point-in-order"),
        pytest.param([Edit(2, 2, "y"), Edit(0, 2, "Z")], "Zycdef", id="insert-after-replace"),
        pytest.param([Edit(3, 3, "-"), Edit(3, 5, "+")], "abc-+f", id="insert-before-replace"),
    ],
)
def test_apply_edits(edits: list[Edit], expected: str) -> None:
    assert apply_edits("abcdef", edits) == expected


def test_apply_edits_accepts_any_iterable() -> None:
    assert apply_edits("abc", (e for e in [Edit(2, 3, "C"), Edit(0, 1, "A")])) == "AbC"


@pytest.mark.parametrize(
    "edits",
    [
        pytest.param([Edit(0, 3, "x"), Edit(2, 4, "y")], id="overlap"),
        pytest.param([Edit(2, 4, "y"), Edit(0, 3, "x")], id="overlap-unsorted"),
        pytest.param([Edit(0, 6, "x"), Edit(3, 3, "y")], id="insert-inside-replace"),
        pytest.param([Edit(1, 2, "x"), Edit(1, 2, "y")], id="same-range-twice"),
        pytest.param([Edit(5, 7, "x")], id="past-the-end"),
        pytest.param([Edit(7, 7, "x")], id="insert-past-the-end"),
        pytest.param([Edit(3, 2, "x")], id="end-before-start"),
        pytest.param([Edit(-1, 1, "x")], id="negative-start"),
    ],
)
def test_apply_edits_rejects_overlapping_or_outside_edits(edits: list[Edit]) -> None:
    with pytest.raises(ValueError, match="overlaps another edit or lies outside the text"):
        apply_edits("abcdef", edits)


# -- Severity and sort_diagnostics ------------------------------------------------------


def test_severity_rank_and_parse() -> None:
    ranks = [s.rank for s in (Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.STYLE)]
    assert ranks == [3, 2, 1, 0]
    assert Severity.parse(" Warning ") is Severity.WARNING
    with pytest.raises(ValueError, match="unknown severity 'fatal'"):
        Severity.parse("fatal")


def _diag(code: str, severity: Severity, start: int, end: int) -> Diagnostic:
    return Diagnostic(code, code.lower(), severity, "m", Span(start, end))


def test_sort_diagnostics_by_start_then_severity_then_code_then_end() -> None:
    a = _diag("GB002", Severity.INFO, 5, 9)
    b = _diag("GB001", Severity.INFO, 5, 9)
    c = _diag("GB009", Severity.ERROR, 5, 6)
    d = _diag("GB001", Severity.STYLE, 0, 40)
    e = _diag("GB002", Severity.INFO, 5, 7)
    f = _diag("GB001", Severity.WARNING, 7, 8)
    ordered = sort_diagnostics([a, b, c, d, e, f])
    assert ordered == [d, c, b, e, a, f]


def test_sort_diagnostics_is_stable_and_returns_a_new_list() -> None:
    first = _diag("GB001", Severity.INFO, 1, 2)
    second = Diagnostic("GB001", "x", Severity.INFO, "other", Span(1, 2))
    source = (second, first)
    result = sort_diagnostics(source)
    assert result == [second, first]
    assert isinstance(result, list)
    assert sort_diagnostics([]) == []
