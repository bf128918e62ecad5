"""Plain data shared by every front end: severities, spans, edits, fixes and diagnostics.

Everything here is immutable and free of Qt so that the GUI, the CLI and the tests
render the same objects.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add


class Severity(enum.Enum):
    """How bad a finding is, ordered error > warning > info > style."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STYLE = "style"

    @property
    def rank(self) -> int:
        """Higher is more severe (error=3 ... style=0)."""
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Return the severity named by ``text`` (case-insensitive); raise ValueError otherwise."""
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None


_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1, Severity.STYLE: 0}


class Applicability(enum.Enum):
    """How much a fix may be trusted (after ruff's Applicability)."""

    SAFE = "safe"  # one click, keeps behaviour
    UNSAFE = "unsafe"  # changes behaviour; the user must opt in
    DISPLAY_ONLY = "display-only"  # shown as text to copy, never applied automatically


class Span:
    """A half-open range of character offsets ``[start, end)`` into a document's text.

    Lines and columns are 1-based; ``end_column`` is exclusive (as in SARIF), so a
    span covering the first three characters of line 1 is (1, 1) .. (1, 4).

    Spans made by :meth:`LineIndex.span` compute their lines and columns on first
    use: a parse creates tens of thousands of spans and rules look at few of them.
    Spans are immutable; equality compares offsets and positions.
    """

    __slots__ = ("_index", "_pos", "end", "start")

    def __init__(
        self,
        start: int,
        end: int,
        line: int = 1,
        column: int = 1,
        end_line: int = 1,
        end_column: int = 1,
        *,
        index: LineIndex | None = None,
    ) -> None:
        if end < start:
            raise ValueError(f"span end {end} before start {start}")
        self.start = start
        self.end = end
        self._index = index
        self._pos: tuple[int, int, int, int] | None = (
            None if index is not None else (line, column, end_line, end_column)
        )

    def _positions(self) -> tuple[int, int, int, int]:
        pos = self._pos
        if pos is None:
            # ``index.position(start) + index.position(end)``, inlined: rules ask for
            # the lines of many spans.  ``end >= start``, so its line is not before.
            index = self._index
            assert index is not None
            starts = index._starts
            size = len(index._text)
            start, end = self.start, self.end
            start = 0 if start < 0 else (size if start > size else start)
            end = 0 if end < 0 else (size if end > size else end)
            i = bisect.bisect_right(starts, start) - 1
            j = bisect.bisect_right(starts, end, i) - 1
            pos = (i + 1, start - starts[i] + 1, j + 1, end - starts[j] + 1)
            self._pos = pos
        return pos

    @property
    def line(self) -> int:
        """1-based line of ``start``."""
        return self._positions()[0]

    @property
    def column(self) -> int:
        """1-based column of ``start``."""
        return self._positions()[1]

    @property
    def end_line(self) -> int:
        """1-based line of ``end``."""
        return self._positions()[2]

    @property
    def end_column(self) -> int:
        """1-based column of ``end`` (exclusive)."""
        return self._positions()[3]

    def _key(self) -> tuple[int, int, int, int, int, int]:
        return (self.start, self.end, *self._positions())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Span):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        line, col, end_line, end_col = self._positions()
        return (
            f"Span(start={self.start}, end={self.end}, line={line}, column={col}, "
            f"end_line={end_line}, end_column={end_col})"
        )


class LineIndex:
    """Maps character offsets of one text to 1-based lines and columns.

    A line ends at ``\\n``; a ``\\r`` before it belongs to the line ending, not to
    the line's columns, so CRLF files report the same columns as LF files.
    """

    __slots__ = ("_starts", "_text")

    def __init__(self, text: str, *, starts: list[int] | None = None) -> None:
        """Index ``text``; ``starts`` (0, then each offset after a ``\\n``) if known, unchecked."""
        self._text = text
        if starts is None:
            # split, len and accumulate run in C: no Python loop over the lines.  The
            # last sum is one past the end of the text (a line that does not exist).
            starts = list(accumulate(map(add, map(len, text.split("\n")), repeat(1)), initial=0))
            starts.pop()
        self._starts = starts

    @property
    def text(self) -> str:
        """The indexed text."""
        return self._text

    @property
    def line_count(self) -> int:
        """Number of lines (a trailing newline does not open a counted empty line)."""
        n = len(self._starts)
        if n > 1 and self._starts[-1] == len(self._text):
            return n - 1
        return n

    def line_start(self, line: int) -> int:
        """Offset of the first character of 1-based ``line`` (clamped)."""
        i = min(max(line, 1), len(self._starts)) - 1
        return self._starts[i]

    def line_end(self, line: int) -> int:
        """Offset just past the last character of ``line``, before its CR/LF."""
        i = min(max(line, 1), len(self._starts)) - 1
        end = self._starts[i + 1] - 1 if i + 1 < len(self._starts) else len(self._text)
        if end > self._starts[i] and self._text[end - 1 : end] == "\r":
            end -= 1
        return end

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of ``offset`` (clamped into the text)."""
        offset = min(max(offset, 0), len(self._text))
        i = bisect.bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1

    def offset(self, line: int, column: int) -> int:
        """Inverse of :meth:`position` (clamped to the line)."""
        start = self.line_start(line)
        return min(start + max(column, 1) - 1, self.line_end(line))

    def span(self, start: int, end: int) -> Span:
        """Build a :class:`Span` for ``[start, end)`` (clamped into the text)."""
        size = len(self._text)
        if start < 0:
            start = 0
        elif start > size:
            start = size
        if end < start:
            end = start
        elif end > size:
            end = size
        return Span(start, end, index=self)


_new_object = object.__new__


def lazy_span(start: int, end: int, index: LineIndex) -> Span:
    """``Span(start, end, index=index)`` for a caller that knows ``start <= end``.

    The parser makes hundreds of spans per document; skipping the keyword call and
    the check halves their cost.
    """
    span: Span = _new_object(Span)
    span.start = start
    span.end = end
    span._index = index
    span._pos = None
    return span


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` with ``replacement`` (offsets into the linted text)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A change that cures a diagnostic, as text edits that must be applied together."""

    title: str
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits to ``text`` and return the new text.

    Raises:
        ValueError: when two edits overlap or an edit lies outside the text.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    out: list[str] = []
    pos = 0
    for e in ordered:
        if e.start < pos or e.end < e.start or e.end > len(text):
            raise ValueError(f"edit {e} overlaps another edit or lies outside the text")
        out.append(text[pos : e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding of the linter (or a parse problem) at a span of the text."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    fix: Fix | None = None
    # Extra notes shown with the message (e.g. the go.mod line that was compared).
    notes: tuple[str, ...] = field(default=())


def sort_diagnostics(diags: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Order by position, then by severity (worst first), then by code."""
    return sorted(diags, key=lambda d: (d.span.start, -d.severity.rank, d.code, d.span.end))
