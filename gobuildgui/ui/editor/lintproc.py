"""Linting in a helper process, so a lint never competes with the UI thread for the GIL.

A lint on a pool thread shares the interpreter lock with the UI thread: every Python
callback of the UI (a key press, a highlighted line, the gutter's paint) then waits for
the lint thread to hand the lock over, and on a busy machine each hand-over can take
milliseconds.  One long-lived helper process (spawned, so it starts clean and without
Qt) does the parsing and the rules instead; the pool thread only sends the text and
waits.  If the process cannot start or dies, the caller lints on its own thread.

This module imports no Qt: the helper process imports it to find :func:`lint_in_child`.
"""

from __future__ import annotations

import gc
import multiprocessing
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from pathlib import Path

from gobuildgui.core.config import LintConfig
from gobuildgui.core.dockerfile.lint import lint
from gobuildgui.core.dockerfile.project import ProjectContext
from gobuildgui.core.model import Diagnostic

_child_heap_frozen = False
RESULT_TIMEOUT_S = 30.0  # a lint of a 10 MB file takes a few seconds; more means it hangs


def lint_in_child(
    text: str, root: Path | None, config: LintConfig | None
) -> tuple[Diagnostic, ...]:
    """Lint ``text`` as a Dockerfile in folder ``root`` (runs in the helper process)."""
    global _child_heap_frozen
    if not _child_heap_frozen:
        # The modules and the rule registry live as long as the process: keep the
        # collector from scanning them again at every full collection.
        _child_heap_frozen = True
        gc.collect()
        gc.freeze()
    project = ProjectContext(root) if root is not None else ProjectContext.empty()
    gc.disable()  # a lint allocates tens of thousands of objects that mostly survive it
    try:
        diagnostics = lint(text, project=project, config=config).diagnostics
    finally:
        gc.enable()
    gc.collect(0)  # the parsed document is cyclic garbage now
    return diagnostics


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Keep a spawned child from re-running the parent's ``__main__``.

    ``spawn`` imports the parent's main script in the child unless it cannot find it;
    a script without an ``if __name__ == "__main__"`` guard (a screenshot or benchmark
    script) would then open its windows again in the helper.  The helper needs nothing
    from ``__main__``, so hide it while the process starts.
    """
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    saved: dict[str, object] = {
        k: main.__dict__[k] for k in ("__file__", "__spec__") if k in main.__dict__
    }
    main.__dict__.pop("__file__", None)
    main.__dict__["__spec__"] = None
    try:
        yield
    finally:
        main.__dict__.pop("__spec__", None)
        main.__dict__.update(saved)


class LintProcess:
    """The helper process, started on first use and shared by every editor."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        self._warm_up: Future[tuple[Diagnostic, ...]] | None = None
        self._failures = 0

    @property
    def available(self) -> bool:
        """False once the process failed twice (the editors then lint on threads)."""
        return self._failures < 2

    def start(self) -> None:
        """Start the process now (it imports the linter in the background)."""
        with self._lock:
            self._executor_or_none()

    def _executor_or_none(self) -> ProcessPoolExecutor | None:
        if self._executor is None and self.available:
            try:
                self._executor = ProcessPoolExecutor(
                    max_workers=1, mp_context=multiprocessing.get_context("spawn")
                )
                # Warm it up: the import of the rules happens now, not at the first key.
                # (The worker process is spawned by this first submit.)
                with _main_module_hidden():
                    self._warm_up = self._executor.submit(
                        lint_in_child, "FROM scratch\n", None, None
                    )
            except (OSError, RuntimeError):
                self._failures += 1
                self._executor = None
        return self._executor

    def lint(
        self, text: str, root: Path | None, config: LintConfig | None
    ) -> tuple[Diagnostic, ...] | None:
        """The diagnostics of ``text``, or None if the process is not usable or still
        starting (lint elsewhere then).  Blocks the calling thread, without holding the
        GIL while it waits."""
        with self._lock:
            executor = self._executor_or_none()
            if executor is None:
                return None
            if self._warm_up is not None and not self._warm_up.done():
                return None  # still starting (about a second): do not wait for it
            try:
                future: Future[tuple[Diagnostic, ...]] = executor.submit(
                    lint_in_child, text, root, config
                )
            except (BrokenProcessPool, RuntimeError):
                self._drop(executor)
                return None
        try:
            return future.result(timeout=RESULT_TIMEOUT_S)
        except (BrokenProcessPool, TimeoutError):
            with self._lock:
                self._drop(executor)
            return None

    def _drop(self, executor: ProcessPoolExecutor) -> None:
        self._failures += 1
        if self._executor is executor:
            self._executor = None
        executor.shutdown(wait=False, cancel_futures=True)

    @property
    def ready(self) -> bool:
        """Whether the process has started and linted its warm-up text."""
        warm = self._warm_up
        return self._executor is not None and warm is not None and warm.done()

    def shutdown(self) -> None:
        """Stop the process (waits for a running lint)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


LINT_PROCESS = LintProcess()
