"""Linting off the UI thread, and the mapping between Python and Qt text offsets.

The editor takes a snapshot of its text on the UI thread and hands it to a
:class:`LintJob` on a private thread pool.  Each snapshot carries a generation number;
the editor keeps only the result whose generation is still the newest, so a slow lint
of an older text can never overwrite the diagnostics of the text on screen.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from gobuildgui.core.config import LintConfig
from gobuildgui.core.dockerfile.lint import lint
from gobuildgui.core.dockerfile.project import ProjectContext
from gobuildgui.core.model import Diagnostic

_ASTRAL_RE = re.compile("[\U00010000-\U0010ffff]")


class OffsetMap:
    """Converts offsets into a Python ``str`` (code points) to QTextDocument positions
    (UTF-16 code units) and back; the identity for text without astral characters."""

    __slots__ = ("_astral",)

    def __init__(self, text: str) -> None:
        # Indices (in code points) of characters that take two UTF-16 units.
        self._astral = [m.start() for m in _ASTRAL_RE.finditer(text)] if not text.isascii() else []

    def to_qt(self, offset: int) -> int:
        """The document position of Python offset ``offset``."""
        if not self._astral:
            return offset
        return offset + bisect.bisect_left(self._astral, offset)

    def from_qt(self, position: int) -> int:
        """The Python offset of document position ``position`` (inside a pair: its start)."""
        if not self._astral:
            return position
        lo, hi = 0, len(self._astral)
        # The k-th astral character sits at Qt position astral[k] + k.
        while lo < hi:
            mid = (lo + hi) // 2
            if self._astral[mid] + mid < position:
                lo = mid + 1
            else:
                hi = mid
        return position - lo


@dataclass(frozen=True, slots=True)
class LintRequest:
    """What one lint run needs; built on the UI thread."""

    generation: int
    text: str
    path: Path | None
    config: LintConfig | None


@dataclass(frozen=True, slots=True)
class LintOutcome:
    """The result of one :class:`LintRequest`."""

    generation: int
    text: str
    diagnostics: tuple[Diagnostic, ...]
    error: str | None = None  # the lint itself failed (a bug); diagnostics are then empty


def run_lint(request: LintRequest) -> LintOutcome:
    """Lint ``request``'s text (pure Python, safe on any thread)."""
    project = (
        ProjectContext.for_dockerfile(request.path)
        if request.path is not None
        else ProjectContext.empty()
    )
    try:
        result = lint(request.text, project=project, config=request.config)
    except Exception as exc:  # keep the editor alive; the engine already guards the rules
        return LintOutcome(request.generation, request.text, (), f"{type(exc).__name__}: {exc}")
    return LintOutcome(request.generation, request.text, result.diagnostics)


class LintSignals(QObject):
    """Carries a finished :class:`LintOutcome` back to the UI thread (queued)."""

    finished = Signal(object)


class LintJob(QRunnable):
    """Runs :func:`run_lint` on a pool thread and emits ``signals.finished``."""

    def __init__(self, request: LintRequest, signals: LintSignals) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the editor holds the Python reference until it finishes
        self.request = request
        self.signals = signals

    def run(self) -> None:
        self.signals.finished.emit(run_lint(self.request))
