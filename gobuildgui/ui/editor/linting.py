"""Linting off the UI thread, and the mapping between Python and Qt text offsets.

The editor takes a snapshot of its text on the UI thread and hands it to a
:class:`LintJob` on a private thread pool.  Each snapshot carries a generation number;
the editor keeps only the result whose generation is still the newest, so a slow lint
of an older text can never overwrite the diagnostics of the text on screen.

The job sends the text to the shared helper process (:mod:`.lintproc`) and waits, or,
when the process is not usable (starting, broken, ``isolated_lint=False``), lints on
its own thread; the GIL measures below keep that fallback from stalling the UI.
"""

from __future__ import annotations

import bisect
import gc
import re
import sys
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal

from gobuildgui.core.config import LintConfig
from gobuildgui.core.dockerfile.lint import lint
from gobuildgui.core.dockerfile.project import ProjectContext
from gobuildgui.core.model import Diagnostic
from gobuildgui.ui.editor.lintproc import LINT_PROCESS

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
    isolated: bool = False  # lint in the helper process (see lintproc) when it works


@dataclass(frozen=True, slots=True)
class LintOutcome:
    """The result of one :class:`LintRequest`."""

    generation: int
    text: str
    diagnostics: tuple[Diagnostic, ...]
    error: str | None = None  # the lint itself failed (a bug); diagnostics are then empty


def run_lint(request: LintRequest) -> LintOutcome:
    """Lint ``request``'s text (safe on any thread; blocks until done)."""
    project = (
        ProjectContext.for_dockerfile(request.path)
        if request.path is not None
        else ProjectContext.empty()
    )
    if request.isolated:
        try:
            isolated = LINT_PROCESS.lint(request.text, project.root, request.config)
        except Exception as exc:  # the lint itself raised in the helper process
            return LintOutcome(request.generation, request.text, (), f"{type(exc).__name__}: {exc}")
        if isolated is not None:
            return LintOutcome(request.generation, request.text, isolated)
    try:
        # lint() pauses the cyclic GC itself. No explicit collection here: cyclic garbage
        # collected on this thread could include Qt wrappers from the UI thread.
        diagnostics = lint(request.text, project=project, config=request.config).diagnostics
    except Exception as exc:  # keep the editor alive; the engine already guards the rules
        return LintOutcome(request.generation, request.text, (), f"{type(exc).__name__}: {exc}")
    return LintOutcome(request.generation, request.text, diagnostics)


# While a lint runs on a pool thread, the UI thread needs the GIL for every Python
# callback (key handling, highlighting, painting the gutter) and by default waits up to
# 5 ms for the lint thread to hand it over each time; a dozen callbacks per keystroke
# add up to a visible stall.  A short switch interval bounds each wait.
SHORT_SWITCH_INTERVAL_S = 0.0002
_running_lints = 0
_saved_switch_interval: float | None = None


def background_lint_started() -> None:
    """Shorten the interpreter's thread switch interval while background lints run."""
    global _running_lints, _saved_switch_interval
    if _running_lints == 0:
        current = sys.getswitchinterval()
        if current > SHORT_SWITCH_INTERVAL_S:
            _saved_switch_interval = current
            sys.setswitchinterval(SHORT_SWITCH_INTERVAL_S)
    _running_lints += 1


def background_lint_finished() -> None:
    """Undo :func:`background_lint_started` once no background lint is left."""
    global _running_lints, _saved_switch_interval
    _running_lints = max(_running_lints - 1, 0)
    if _running_lints == 0 and _saved_switch_interval is not None:
        sys.setswitchinterval(_saved_switch_interval)
        _saved_switch_interval = None


_heap_frozen = False


def freeze_startup_heap() -> None:
    """Move the objects alive now (modules, Qt wrappers, the rule registry) out of the
    garbage collector's sight, once per process.

    A full collection scans every tracked object while holding the GIL: with PySide6
    loaded that is ~150,000 objects and 20-60 ms in which the UI thread cannot run.
    Frozen objects are never scanned; the cost is that cyclic garbage among them (there
    is next to none at start-up) is never freed.
    """
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.collect()
        gc.freeze()


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
        outcome = run_lint(self.request)
        # RuntimeError: the editor (and its signal carrier) is gone; nobody wants it.
        with suppress(RuntimeError):
            self.signals.finished.emit(outcome)
