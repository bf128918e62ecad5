"""Run one blocking call (the verifier's probes, a pkexec write) off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Verifier = Callable[[Sequence[str]], Sequence[object]]


class CallSignals(QObject):
    """Deliveries from the worker; created on the GUI thread, so they arrive queued there."""

    returned = Signal(object)  # the call's result
    errored = Signal(object)  # the exception it raised
    finished = Signal()


class CallWorker(QRunnable):
    """Calls ``function()`` once on a pool thread and reports through :attr:`signals`.

    The pool owns the runnable and deletes it once ``run()`` has returned; callers keep
    only ``signals``. (Dropping the last Python reference to a runnable while its
    ``run()`` is still unwinding on the pool thread crashes the interpreter.)
    """

    def __init__(self, function: Callable[[], object]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.signals = CallSignals()
        self._function = function

    def run(self) -> None:
        """The only place that turns the call's outcome into signals."""
        try:
            result = self._function()
        except Exception as exc:  # reported to the page, which says what happened
            self.signals.errored.emit(exc)
        else:
            self.signals.returned.emit(result)
        finally:
            self.signals.finished.emit()


def start(
    function: Callable[[], object],
    *,
    returned: Callable[[object], None],
    errored: Callable[[object], None],
    finished: Callable[[], None],
) -> CallSignals:
    """Run ``function`` on the application's thread pool, connected before it starts."""
    worker = CallWorker(function)
    signals = worker.signals
    signals.returned.connect(returned)
    signals.errored.connect(errored)
    signals.finished.connect(finished)
    QThreadPool.globalInstance().start(worker)
    return signals
